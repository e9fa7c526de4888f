/**
 * RGBA frames to an animated image, each frame after the first stored as the rectangle that
 * changed (a terminal frame mostly changes a line or two), so the writers keep one frame, not all.
 *
 * - GIF: gifenc's palette quantiser and LZW coder. One global palette for the whole animation:
 *   the exact colours when the rows drawn have at most 256 (a terminal's usually do: each
 *   colour pair and its anti-aliasing steps), else gifenc's quantiser over them. gifenc writes
 *   every image at 0,0, so a changed rectangle is written by a frame-only encoder and its
 *   position patched into the image descriptor (GIF89a §20).
 * - APNG: written here (PNG chunks, node:zlib's deflate and crc32; upng-js's encoder needs every
 *   frame in memory at once): IHDR RGB 8-bit, acTL, then fcTL + IDAT/fdAT per frame with its
 *   rectangle, dispose none, blend source.
 *
 * Delays are rounded on the running total, so a long animation does not drift: GIF counts in
 * hundredths of a second, APNG in milliseconds.
 */
// The package ships no types: ours, referenced here so every tsconfig that reaches this file (the
// client declarations' too) finds them.
/// <reference path="./vendor.d.ts" />
import { crc32, deflateSync } from 'node:zlib';
import * as gifencModule from 'gifenc';
import type { Palette } from 'gifenc';

// Node loads gifenc's CommonJS build (its exports under `default`); bundlers and vitest its ESM one (named exports).
const gifenc = ('GIFEncoder' in gifencModule ? gifencModule : gifencModule.default) as typeof gifencModule.default;

export interface Rect { x: number; y: number; w: number; h: number }

/** Frame delays in `unit`s per second, each the difference of rounded running totals. */
export function delays(frames: readonly { time: number; duration: number }[], unit: number): number[] {
  return frames.map((f) => Math.max(1, Math.round((f.time + f.duration) * unit) - Math.round(f.time * unit)));
}

/** The smallest rectangle where `cur` differs from `prev` (the whole frame without one; 1×1 when none). */
export function changedRect(prev: Uint8Array | null, cur: Uint8Array, W: number, H: number): Rect {
  if (prev === null) return { x: 0, y: 0, w: W, h: H };
  const a = new Uint32Array(prev.buffer, prev.byteOffset, W * H), b = new Uint32Array(cur.buffer, cur.byteOffset, W * H);
  let x0 = W, x1 = -1, y0 = H, y1 = -1;
  for (let y = 0; y < H; y++) {
    const o = y * W;
    let l = 0;
    while (l < W && a[o + l] === b[o + l]) l++;
    if (l === W) continue;
    let r = W - 1;
    while (a[o + r] === b[o + r]) r--;
    if (l < x0) x0 = l;
    if (r > x1) x1 = r;
    if (y < y0) y0 = y;
    y1 = y;
  }
  return y1 < 0 ? { x: 0, y: 0, w: 1, h: 1 } : { x: x0, y: y0, w: x1 - x0 + 1, h: y1 - y0 + 1 };
}

/** The pixels of `r` (RGBA) out of a W-wide frame. */
export function crop(px: Uint8Array, W: number, r: Rect): Uint8Array {
  if (r.x === 0 && r.w === W) return px.subarray(r.y * W * 4, (r.y + r.h) * W * 4);
  const out = new Uint8Array(r.w * r.h * 4);
  for (let y = 0; y < r.h; y++) out.set(px.subarray(((r.y + y) * W + r.x) * 4, ((r.y + y) * W + r.x + r.w) * 4), y * r.w * 4);
  return out;
}

/** The animation's GIF palette from colour counts (0xRRGGBB → pixels) and a sample of its pixels. */
export function gifPalette(colors: ReadonlyMap<number, number>, sample: () => Uint8Array): { palette: Palette; exact: Map<number, number> | null } {
  if (colors.size <= 256) {
    const palette: Palette = [];
    const exact = new Map<number, number>();
    for (const c of colors.keys()) { exact.set(c, palette.length); palette.push([(c >> 16) & 255, (c >> 8) & 255, c & 255]); }
    while (palette.length < 2) palette.push([0, 0, 0]);
    return { palette, exact };
  }
  return { palette: gifenc.quantize(sample(), 256), exact: null };
}

export class GifWriter {
  private readonly parts: Uint8Array[] = [];
  private first = true;
  constructor(private readonly width: number, private readonly height: number, private readonly palette: Palette, private readonly exact: Map<number, number> | null) {}

  private indices(rgba: Uint8Array): Uint8Array {
    if (this.exact === null) return gifenc.applyPalette(rgba, this.palette);
    const out = new Uint8Array(rgba.length / 4);
    for (let i = 0, j = 0; j < out.length; i += 4, j++) out[j] = this.exact.get((rgba[i] << 16) | (rgba[i + 1] << 8) | rgba[i + 2]) ?? 0;
    return out;
  }

  add(rgba: Uint8Array, r: Rect, delayCs: number): void {
    const index = this.indices(rgba);
    if (this.first) {
      // The header, the screen descriptor with the global palette, the loop extension, frame 0.
      const enc = gifenc.GIFEncoder();
      enc.writeFrame(index, this.width, this.height, { palette: this.palette, delay: delayCs * 10, repeat: 0 });
      this.parts.push(enc.bytes());
      this.first = false;
      return;
    }
    const enc = gifenc.GIFEncoder({ auto: false });
    enc.writeFrame(index, r.w, r.h, { delay: delayCs * 10 });
    const b = enc.bytes();
    // Graphic control extension (8 bytes), then the image descriptor: 0x2C, left, top (LE).
    if (b[8] !== 0x2c) throw new Error('gifenc wrote an unexpected frame layout');
    b[9] = r.x & 255; b[10] = r.x >> 8; b[11] = r.y & 255; b[12] = r.y >> 8;
    this.parts.push(b);
  }

  finish(): Uint8Array {
    return Buffer.concat([...this.parts, Uint8Array.of(0x3b)]);
  }
}

function chunk(type: string, data: Uint8Array): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(data, crc32(head.subarray(4))) >>> 0, 0);
  return Buffer.concat([head, data, crc]);
}

export class ApngWriter {
  private readonly parts: Buffer[] = [];
  private seq = 0;
  private frame = 0;
  constructor(private readonly width: number, private readonly height: number, frames: number) {
    const ihdr = Buffer.alloc(13);
    ihdr.writeUInt32BE(width, 0); ihdr.writeUInt32BE(height, 4);
    ihdr[8] = 8; ihdr[9] = 2; // 8-bit RGB
    const actl = Buffer.alloc(8);
    actl.writeUInt32BE(frames, 0); // plays 0: forever
    this.parts.push(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('acTL', actl));
  }

  add(rgba: Uint8Array, r: Rect, delayMs: number): void {
    const fctl = Buffer.alloc(26);
    fctl.writeUInt32BE(this.seq++, 0);
    fctl.writeUInt32BE(r.w, 4); fctl.writeUInt32BE(r.h, 8); fctl.writeUInt32BE(r.x, 12); fctl.writeUInt32BE(r.y, 16);
    fctl.writeUInt16BE(Math.min(65535, delayMs), 20); fctl.writeUInt16BE(1000, 22);
    this.parts.push(chunk('fcTL', fctl));
    // Scanlines: filter byte 0, then RGB.
    const raw = Buffer.alloc(r.h * (1 + r.w * 3));
    for (let y = 0, o = 0; y < r.h; y++) {
      raw[o++] = 0;
      for (let x = 0, i = y * r.w * 4; x < r.w; x++, i += 4) { raw[o++] = rgba[i]; raw[o++] = rgba[i + 1]; raw[o++] = rgba[i + 2]; }
    }
    const z = deflateSync(raw);
    if (this.frame++ === 0) {
      this.parts.push(chunk('IDAT', z));
    } else {
      const seq = Buffer.alloc(4);
      seq.writeUInt32BE(this.seq++, 0);
      this.parts.push(chunk('fdAT', Buffer.concat([seq, z])));
    }
  }

  finish(): Uint8Array {
    return Buffer.concat([...this.parts, chunk('IEND', new Uint8Array(0))]);
  }
}
