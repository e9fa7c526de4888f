/**
 * Frames to RGBA pixels, with the PNG snapshot renderer's pixels but not its cost per frame.
 * Rasterising a whole 80×24 SVG with resvg costs 50–130 ms, and most frames of a recording
 * change a row or two. So a frame is composed of rows, and a row is rasterised once for each
 * distinct look it has:
 *
 * - a row's pixels depend on its own cells and on its neighbours' (a glyph reaches 0.3 px past
 *   its cell: DejaVu's ascent + descent is 16.3 px at 14 px in a 16 px cell, which is how box
 *   drawing joins up), so a row is drawn by renderPng's own SVG (png.ts pngSvg) of a snapshot of
 *   three lines (the row and its neighbours), clipped to the middle one, and cached under the
 *   three lines' keys (screen-key.ts);
 * - the rows missing for a batch of frames are drawn in one resvg render (a nested <svg> per row,
 *   each at a whole-pixel offset), so the fonts are read once a batch, not once a row;
 * - a frame starts as a copy of the one before and only the rows whose key changed are copied in.
 *
 * At whole-pixel offsets resvg's output does not depend on where the row is placed, so a frame
 * equals renderPng of the same screen (test/render/animation.test.ts compares every frame).
 * Screens narrower or shorter than the animation (after a resize) are drawn at the top left,
 * the rest in the theme's background.
 *
 * Owns the row cache (bounded by `cacheBytes`, oldest rows dropped first).
 */
import { Resvg } from '@resvg/resvg-js';
import type { ScreenSnapshot } from '../../engine/index.js';
import { renderFonts } from '../fonts.js';
import { defaultColors, DEFAULT_THEME } from '../palette.js';
import { pngSvg, resvgOptions, type PngOptions } from '../png.js';
import { svgLayout } from '../svg.js';
import type { Frame } from './frames.js';

export interface RasterOptions extends PngOptions {
  /** Bytes of rasterised rows kept for reuse (default 64 MiB). */
  cacheBytes?: number;
  /** Rows drawn per resvg render at most (default 64). */
  batchRows?: number;
}

export interface RasterSize {
  width: number;
  height: number;
  cellWidth: number;
  cellHeight: number;
}

/** The animation's pixel size: its widest and tallest screen. */
export function rasterSize(frames: readonly Frame[], opts: PngOptions = {}): RasterSize {
  let cols = 1, rows = 1;
  for (const f of frames) { cols = Math.max(cols, f.snap.cols); rows = Math.max(rows, f.snap.rows); }
  const L = svgLayout({ cols, lines: { length: rows } } as unknown as ScreenSnapshot, { ...opts, padding: 0 });
  return { width: L.width, height: L.height, cellWidth: L.cellWidth, cellHeight: L.cellHeight };
}

const rowKey = (f: Frame, y: number): string =>
  `${f.snap.cols}|${f.snap.modes.reverseVideo ? 'rv' : ''}|${f.lines[y - 1] ?? '-'},${f.lines[y]},${f.lines[y + 1] ?? '-'}`;

/** Lines [y-1, y+1] of `snap` as a snapshot of their own, the cursor kept when it is on them. */
function strip(snap: ScreenSnapshot, y: number): { sub: ScreenSnapshot; mid: number } {
  const a = Math.max(0, y - 1), b = Math.min(snap.rows, y + 2);
  const c = snap.cursor;
  const on = c.row >= a && c.row < b;
  return {
    sub: { ...snap, rows: b - a, lines: snap.lines.slice(a, b), cursor: { ...c, row: on ? c.row - a : 0, visible: c.visible && on } },
    mid: y - a,
  };
}

export class FrameRasterizer {
  readonly size: RasterSize;
  private readonly cache = new Map<string, Uint8Array>();
  private cached = 0;
  private prev: { frame: Frame; pixels: Uint8Array; keys: string[] } | null = null;
  /** Pixels of each colour (0xRRGGBB) in the rows drawn so far (at most 4,097 colours counted: enough to say "over 256"). */
  readonly colors = new Map<number, number>();
  /** Rows rasterised by resvg so far, and resvg renders (for the bench and tests). */
  rowsDrawn = 0;
  renders = 0;

  constructor(frames: readonly Frame[], private readonly opts: RasterOptions = {}) {
    this.size = rasterSize(frames, opts);
    // The background a smaller screen leaves around itself (frame()).
    for (const rv of [false, true]) this.colors.set(defaultColors(opts.theme ?? DEFAULT_THEME, rv).bg, 0);
  }

  /** Up to `max` pixels of the rows drawn (RGBA), for a palette. */
  sample(max = 2_000_000): Uint8Array {
    const parts: Uint8Array[] = [];
    let n = 0;
    for (const rows of this.cache.values()) {
      if (n + rows.length / 4 > max) break;
      parts.push(rows);
      n += rows.length / 4;
    }
    return Buffer.concat(parts);
  }

  private count(rows: Uint8Array): void {
    const colors = this.colors;
    let last = -1;
    for (let i = 0; i < rows.length; i += 4) {
      const c = (rows[i] << 16) | (rows[i + 1] << 8) | rows[i + 2];
      if (c === last) continue;
      last = c;
      const had = colors.get(c);
      if (had !== undefined) colors.set(c, had + 1);
      else if (colors.size <= 4096) colors.set(c, 1);
    }
  }

  /** Draws the rows `frames` need that are not cached yet (call with a batch before `frame`). */
  prepare(frames: readonly Frame[]): void {
    const missing = new Map<string, { f: Frame; y: number }>();
    for (const f of frames) {
      for (let y = 0; y < f.snap.rows; y++) {
        const k = rowKey(f, y);
        if (!this.cache.has(k) && !missing.has(k)) missing.set(k, { f, y });
      }
    }
    const all = [...missing];
    const per = this.opts.batchRows ?? 64;
    for (let i = 0; i < all.length; i += per) this.draw(all.slice(i, i + per));
  }

  /** The RGBA pixels of `f` (a new buffer), composed from cached rows (drawn now if missing). */
  frame(f: Frame): Uint8Array {
    const { width: W, height: H, cellHeight: ch } = this.size;
    const keys: string[] = [];
    for (let y = 0; y < f.snap.rows; y++) keys.push(rowKey(f, y));
    const p = this.prev;
    const same = p !== null && p.frame.snap.cols === f.snap.cols && p.frame.snap.rows === f.snap.rows && p.frame.snap.modes.reverseVideo === f.snap.modes.reverseVideo;
    let out: Uint8Array;
    if (same) {
      out = p.pixels.slice();
    } else {
      out = new Uint8Array(W * H * 4);
      const bg = defaultColors(this.opts.theme ?? DEFAULT_THEME, f.snap.modes.reverseVideo).bg;
      const px = new Uint8Array([(bg >> 16) & 255, (bg >> 8) & 255, bg & 255, 255]);
      for (let i = 0; i < out.length; i += 4) out.set(px, i);
    }
    const rowBytes = f.snap.cols * this.size.cellWidth * 4;
    for (let y = 0; y < keys.length; y++) {
      if (same && p.keys[y] === keys[y]) continue;
      let pixels = this.cache.get(keys[y]);
      if (pixels === undefined) {
        this.prepare([f]);
        pixels = this.cache.get(keys[y])!;
      }
      for (let r = 0; r < ch; r++) out.set(pixels.subarray(r * rowBytes, (r + 1) * rowBytes), ((y * ch + r) * W) * 4);
    }
    this.prev = { frame: f, pixels: out, keys };
    return out;
  }

  /** One resvg render of the rows `todo`, stacked; each row goes into the cache. */
  private draw(todo: [string, { f: Frame; y: number }][]): void {
    const fonts = renderFonts(this.opts.fontDirs);
    const ch = this.size.cellHeight;
    let W = 1;
    let body = '';
    todo.forEach(([, { f, y }], i) => {
      const { sub, mid } = strip(f.snap, y);
      const w = f.snap.cols * this.size.cellWidth;
      W = Math.max(W, w);
      const svg = pngSvg(sub, { ...this.opts, padding: 0 }, fonts)
        .replace(/^<svg [^>]*?width="[^"]*" height="[^"]*" viewBox="[^"]*"/, `<svg x="0" y="${i * ch}" width="${w}" height="${ch}" viewBox="0 ${mid * ch} ${w} ${ch}"`)
        // DECDWL/DECDHL clip paths are named by row: unique per nested image.
        .replace(/(id="|url\(#)dl-/g, `$1r${i}-dl-`);
      body += svg;
    });
    const H = todo.length * ch;
    const doc = `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}">\n${body}</svg>\n`;
    const img = new Resvg(doc, resvgOptions(fonts)).render();
    this.renders++;
    const px = img.pixels;
    todo.forEach(([key, { f }], i) => {
      const w = f.snap.cols * this.size.cellWidth;
      const rows = new Uint8Array(w * ch * 4);
      for (let r = 0; r < ch; r++) {
        const src = ((i * ch + r) * img.width) * 4;
        rows.set(px.subarray(src, src + w * 4), r * w * 4);
      }
      this.count(rows);
      this.remember(key, rows);
    });
    this.rowsDrawn += todo.length;
  }

  private remember(key: string, rows: Uint8Array): void {
    this.cache.set(key, rows);
    this.cached += rows.length;
    const max = this.opts.cacheBytes ?? 64 << 20;
    for (const [k, v] of this.cache) {
      if (this.cached <= max || k === key) break;
      this.cache.delete(k);
      this.cached -= v.length;
    }
  }
}
