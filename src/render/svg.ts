/**
 * SVG renderer: the snapshot as a monospace grid. One background rect per run of cells with
 * the same non-default background, one <text> per run of simple glyphs with an explicit x for
 * each (so glyphs sit on their cells whatever the font's advance), a <text> of its own for each
 * multi-code-point or astral grapheme (SVG 2 counts positions in UTF-16 units, resvg in code
 * points: a lone x keeps both right) and for each wide char (centred on its two cells),
 * decorations as rects/paths, and the cursor.
 *
 * NOTE: the default metrics fit DejaVu Sans Mono at 14px (advance 8.43, ascent+descent 16.3):
 * an 8×16 cell is a hair smaller, so box-drawing glyphs overlap into continuous lines.
 */
import type { ScreenSnapshot } from '../engine/index.js';
import { gridContext, gridRow, type GridOptions, type GridRow, type Run } from './grid.js';
import { escapeXml, linkTags, MONO_STACK, safeHref } from './markup.js';
import { hex } from './palette.js';
import { sourceOf, windows, type SnapshotSource } from './snapshot-source.js';

export interface SvgOptions extends GridOptions {
  /** Cell width in px (default 8). */
  cellWidth?: number;
  /** Cell height in px (default 16). */
  cellHeight?: number;
  /** Font size in px (default 14). */
  fontSize?: number;
  /** CSS font-family list (default a monospace stack starting with DejaVu Sans Mono). */
  fontFamily?: string;
  /** Blank border around the grid in px, painted with the default background (default 0). */
  padding?: number;
  /**
   * Lean italic runs with a skew instead of asking for an italic face (renderPng sets this:
   * it loads no italic font). Browsers viewing the SVG pick their own italic face.
   */
  syntheticItalic?: boolean;
  /** Wrap linked text in `<a href>` (default true; renderPng sets false: a raster has no links). */
  links?: boolean;
  /**
   * A font-family for a glyph's <text> (undefined: inherit the stack). renderPng names the font
   * that has the glyph when the first of the stack lacks it (and for every wide glyph), which
   * spares resvg a search through every font file for each such glyph (src/render/fonts.ts).
   */
  glyphFamily?: (text: string, wide: boolean) => string | undefined;
  /**
   * A picture to draw a wide glyph as instead of text (undefined: text): a <symbol> with its
   * id, written once into the image's <defs> and drawn with <use> in each cell (resvg draws 500
   * <use>s of a symbol in 112 ms, 500 <image>s of the same picture in 1.8 s). renderPng draws
   * emoji as Twemoji's colour pictures this way: resvg draws no colour font.
   */
  glyphImage?: (text: string) => GlyphPicture | undefined;
}

/** A picture for SvgOptions.glyphImage: `symbol` is a <symbol id="{id}" viewBox=…> element. */
export interface GlyphPicture {
  id: string;
  symbol: string;
}

/** DejaVu Sans Mono ascent and descent, in em. */
const ASCENT = 0.928;
const DESCENT = 0.236;

/** Round to 2 decimals for compact output. */
const n = (v: number): string => String(Math.round(v * 100) / 100);

/** One grapheme that needs its own <text>: more than one code point, or outside the BMP. */
function isComplex(text: string): boolean {
  return text.length > 1;
}

export interface SvgLayout {
  width: number;
  height: number;
  cellWidth: number;
  cellHeight: number;
  fontSize: number;
  padding: number;
}

export function svgLayout(snap: ScreenSnapshot, opts: SvgOptions = {}): SvgLayout {
  return layoutOf(snap.cols, snap.lines.length, opts);
}

function layoutOf(cols: number, lineCount: number, opts: SvgOptions): SvgLayout {
  const cellWidth = opts.cellWidth ?? 8;
  const cellHeight = opts.cellHeight ?? 16;
  const fontSize = opts.fontSize ?? 14;
  const padding = opts.padding ?? 0;
  for (const [k, v] of Object.entries({ cellWidth, cellHeight, fontSize })) {
    if (!(v > 0 && Number.isFinite(v))) throw new RangeError(`${k} must be a positive number, got ${v}`);
  }
  if (!(padding >= 0 && Number.isFinite(padding))) throw new RangeError(`padding must be >= 0, got ${padding}`);
  return {
    width: cols * cellWidth + 2 * padding,
    height: lineCount * cellHeight + 2 * padding,
    cellWidth, cellHeight, fontSize, padding,
  };
}

export function renderSvg(snap: ScreenSnapshot, opts: SvgOptions = {}): string {
  let out = '';
  for (const part of svgParts(sourceOf(snap), opts)) out += part;
  return out;
}

type Section = 'bgs' | 'texts' | 'decos';

/**
 * renderSvg's output in pieces of `perPart` lines. The image has three layers (backgrounds, text,
 * decorations), each a <g> over every line, so the lines are read three times, a window at a
 * time (once, kept, when one window holds them all). Joined, exactly renderSvg's string.
 */
export function* svgParts(src: SnapshotSource, opts: SvgOptions = {}, perPart = Infinity): Generator<string> {
  const L = layoutOf(src.head.cols, src.lineCount, opts);
  const { cellWidth: cw, cellHeight: ch, fontSize: fs, padding: pad } = L;
  const g = gridContext(src, opts);
  const baseline = Math.round((ch - (ASCENT + DESCENT) * fs) / 2 + ASCENT * fs);
  const thick = Math.max(1, Math.round(fs / 14));
  const ulY = Math.min(ch - thick, baseline + Math.max(1, Math.round(fs * 0.12)));
  const strikeY = baseline - Math.round(fs * 0.28);
  const links = opts.links ?? true;
  /** The pictures <use>d so far, by id: written in <defs> at the end (a reference may come first). */
  const pictures = new Map<string, string>();

  /** The elements row `y` adds to `section`. */
  const rowParts = (row: GridRow, y: number, section: Section): string[] => {
    const top = pad + y * ch;
    const out: string[] = [];
    if (section === 'bgs') {
      // Backgrounds: merge neighbouring runs that share a non-default background.
      let start = -1, end = 0, color = -1;
      const flush = (): void => {
        if (start >= 0) out.push(`<rect x="${n(pad + start * cw)}" y="${n(top)}" width="${n((end - start) * cw)}" height="${n(ch)}" fill="${hex(color)}"/>`);
        start = -1;
      };
      for (const run of row.runs) {
        const paint = !run.style.defaultBg && run.style.bg !== g.bg;
        if (!paint) { flush(); continue; }
        if (start >= 0 && color === run.style.bg && end === run.col) { end = run.col + run.cols; continue; }
        flush();
        start = run.col; end = run.col + run.cols; color = run.style.bg;
      }
      flush();
    } else if (section === 'texts') {
      let open: string | null = null; // the link whose <a> is open (see linkTags)
      for (const run of row.runs) {
        const text = run.style.hidden ? [] : runText(run, pad, { top, baseline: top + baseline, cw, ch }, opts, pictures);
        const href = !links || text.length === 0 || run.link === undefined ? null : safeHref(run.link);
        if (text.length > 0) {
          out.push(...linkTags(open, href), ...text);
          open = href;
        }
      }
      out.push(...linkTags(open, null));
    } else {
      for (const run of row.runs) out.push(...runDecorations(run, pad, top, cw, { ulY, strikeY, thick }));
    }
    return out;
  };

  /**
   * A DECDWL/DECDHL row: its elements scaled ×2 across (and down: the top or bottom half) from
   * the row's left edge, clipped to the row's box (only the first cols/2 cells fit).
   */
  const lineSized = (parts: string[], size: NonNullable<GridRow['size']>, y: number, section: Section): string[] => {
    const top = pad + y * ch;
    const id = `dl-${section}-${y}`;
    const t = size === 'double-width' ? `translate(${n(pad)} ${n(top)}) scale(2 1)`
      : size === 'double-height-top' ? `translate(${n(pad)} ${n(top)}) scale(2 2)`
        : `translate(${n(pad)} ${n(top - ch)}) scale(2 2)`;
    return [
      `<clipPath id="${id}"><rect x="${n(pad)}" y="${n(top)}" width="${n(src.head.cols * cw)}" height="${n(ch)}"/></clipPath>`,
      `<g clip-path="url(#${id})"><g transform="${t} translate(${n(-pad)} ${n(-top)})">`,
      ...parts,
      '</g></g>',
    ];
  };

  let head = `<svg xmlns="http://www.w3.org/2000/svg" width="${n(L.width)}" height="${n(L.height)}" viewBox="0 0 ${n(L.width)} ${n(L.height)}" font-family="${escapeXml(opts.fontFamily ?? MONO_STACK)}" font-size="${n(fs)}">\n`;
  if (src.head.title !== '') head += `<title>${escapeXml(src.head.title)}</title>\n`;
  head += `<rect width="${n(L.width)}" height="${n(L.height)}" fill="${hex(g.bg)}"/>\n`;
  yield head;

  const n0 = src.lineCount;
  const whole = perPart >= n0 ? src.lines(0, n0).map((l, y) => gridRow(g, l.cells, y, l.size)) : null;
  const opening: Record<Section, string> = {
    bgs: '<g shape-rendering="crispEdges">', texts: `<g fill="${hex(g.fg)}">`, decos: '<g shape-rendering="crispEdges">',
  };
  for (const section of ['bgs', 'texts', 'decos'] as const) {
    let opened = false;
    for (const [a, b] of windows(n0, perPart)) {
      const rows = whole ?? src.lines(a, b).map((l, i) => gridRow(g, l.cells, a + i, l.size));
      let out = '';
      for (let i = 0; i < rows.length; i++) {
        const row = rows[i];
        let parts = rowParts(row, a + i, section);
        if (parts.length === 0) continue;
        if (row.size !== undefined) parts = lineSized(parts, row.size, a + i, section);
        if (!opened) { out += opening[section] + '\n'; opened = true; }
        for (const p of parts) out += p + '\n';
      }
      yield out;
    }
    if (opened) yield '</g>\n';
  }

  let tail = '';
  const c = g.cursor;
  if (c !== null && c.shape !== 'block') {
    const x = pad + c.col * cw, top = pad + c.row * ch;
    const w = Math.max(1, Math.round(cw / 8)), h = Math.max(1, Math.round(ch / 8));
    tail += (c.shape === 'bar'
      ? `<rect class="cursor" x="${n(x)}" y="${n(top)}" width="${n(w)}" height="${n(ch)}" fill="${hex(g.cursorColor)}"/>`
      : `<rect class="cursor" x="${n(x)}" y="${n(top + ch - h)}" width="${n(cw)}" height="${n(h)}" fill="${hex(g.cursorColor)}"/>`) + '\n';
  }
  if (pictures.size > 0) tail += `<defs>${[...pictures.values()].join('')}</defs>\n`;
  yield tail + '</svg>\n';
}

function fontAttrs(run: Run, baseline: number, synthetic: boolean): string {
  let a = `fill="${hex(run.style.fg)}"`;
  if (run.style.bold) a += ' font-weight="bold"';
  if (run.style.italic) {
    // Skew about the baseline so glyphs stay on their cells.
    a += synthetic ? ` transform="translate(0 ${n(baseline)}) skewX(-12) translate(0 ${n(-baseline)})"` : ' font-style="italic"';
  }
  return a;
}

const familyAttr = (family: string | undefined): string => (family === undefined ? '' : ` font-family="${escapeXml(family)}"`);

/**
 * <text> elements for a run's glyphs (blanks draw nothing): one per stretch of simple glyphs of
 * the same font-family, one per wide or complex glyph.
 */
function runText(run: Run, pad: number, row: { top: number; baseline: number; cw: number; ch: number }, opts: SvgOptions, pictures: Map<string, string>): string[] {
  const { baseline, cw, ch } = row;
  const out: string[] = [];
  const attrs = fontAttrs(run, baseline, opts.syntheticItalic ?? false);
  let xs: string[] = [];
  let chars = '';
  let open: string | undefined; // the family of the stretch in xs/chars
  const flush = (): void => {
    if (chars !== '') out.push(`<text x="${xs.join(' ')}" y="${n(baseline)}"${familyAttr(open)} ${attrs}>${escapeXml(chars)}</text>`);
    xs = []; chars = '';
  };
  for (const g of run.glyphs) {
    if (g.text === '' || g.text === ' ') continue;
    const x = n(pad + g.col * cw);
    const picture = g.width === 2 ? opts.glyphImage?.(g.text) : undefined;
    if (picture !== undefined) {
      // A square centred on its two cells, as a wide glyph is.
      const side = Math.round(0.9 * Math.min(2 * cw, ch));
      pictures.set(picture.id, picture.symbol);
      out.push(`<use href="#${escapeXml(picture.id)}" x="${n(pad + g.col * cw + cw - side / 2)}" y="${n(row.top + (ch - side) / 2)}" width="${n(side)}" height="${n(side)}"/>`);
      continue;
    }
    const family = opts.glyphFamily?.(g.text, g.width === 2);
    if (g.width === 2) {
      // Centred on its two cells: a CJK or emoji advance is rarely exactly 2 cells.
      out.push(`<text x="${n(pad + (g.col + 1) * cw)}" y="${n(baseline)}" text-anchor="middle"${familyAttr(family)} ${attrs}>${escapeXml(g.text)}</text>`);
    } else if (isComplex(g.text)) {
      out.push(`<text x="${x}" y="${n(baseline)}"${familyAttr(family)} ${attrs}>${escapeXml(g.text)}</text>`);
    } else {
      if (family !== open) { flush(); open = family; }
      xs.push(x);
      chars += g.text;
    }
  }
  flush();
  return out;
}

function runDecorations(run: Run, pad: number, top: number, cw: number, m: { ulY: number; strikeY: number; thick: number }): string[] {
  const s = run.style;
  const out: string[] = [];
  const x0 = pad + run.col * cw;
  const w = run.cols * cw;
  const line = (y: number, color: number, extra = ''): string =>
    `<rect x="${n(x0)}" y="${n(y)}" width="${n(w)}" height="${n(m.thick)}" fill="${hex(color)}"${extra}/>`;
  if (s.underline !== null) {
    const y = top + m.ulY;
    const col = hex(s.ul);
    switch (s.underline) {
      case 'double':
        out.push(line(y - 2 * m.thick, s.ul), line(y, s.ul));
        break;
      case 'curly': {
        // Half-waves one quarter cell wide, amplitude one line width.
        const step = cw / 2;
        let d = `M${n(x0)} ${n(y)}`;
        for (let x = 0, up = true; x < w - 0.01; x += step, up = !up) d += ` q${n(step / 2)} ${up ? -2 * m.thick : 2 * m.thick} ${n(step)} 0`;
        out.push(`<path d="${d}" fill="none" stroke="${col}" stroke-width="${n(m.thick)}" shape-rendering="geometricPrecision"/>`);
        break;
      }
      case 'dotted':
      case 'dashed': {
        const dash = s.underline === 'dotted' ? `${m.thick} ${m.thick}` : `${3 * m.thick} ${2 * m.thick}`;
        const yy = y + m.thick / 2;
        out.push(`<line x1="${n(x0)}" y1="${n(yy)}" x2="${n(x0 + w)}" y2="${n(yy)}" stroke="${col}" stroke-width="${n(m.thick)}" stroke-dasharray="${dash}"/>`);
        break;
      }
      default:
        out.push(line(y, s.ul));
    }
  }
  if (s.strike) out.push(line(top + m.strikeY, s.fg));
  if (s.overline) out.push(line(top, s.fg));
  return out;
}
