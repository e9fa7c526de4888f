/**
 * The visual grid shared by the HTML and SVG renderers: each snapshot line becomes runs of
 * adjacent cells that look the same (resolved colours, flags, link, cursor), each run a list
 * of glyphs with their columns. Spacer tails are folded into their wide head; empty cells are
 * glyphs with text "".
 */
import type { CellJson, LineJson, ScreenSnapshot } from '../engine/index.js';
import { sourceOf, type SnapshotSource } from './snapshot-source.js';
import {
  cursorColor, defaultColors, DEFAULT_THEME, resolveStyle, underBlockCursor,
  type ResolvedStyle, type Theme,
} from './palette.js';

export interface Glyph {
  /** Column of the glyph's (first) cell. */
  col: number;
  /** Grapheme; "" for an empty cell. */
  text: string;
  /** Columns taken: 1, or 2 for a wide char. */
  width: 1 | 2;
}

export type CursorShape = 'block' | 'underline' | 'bar';

export interface Run {
  col: number;
  /** Columns covered. */
  cols: number;
  style: ResolvedStyle;
  link: string | undefined;
  /** Set on the run holding the visible cursor (always a run of its own). */
  cursor: CursorShape | null;
  glyphs: Glyph[];
}

export interface GridRow {
  runs: Run[];
  /** DECDWL/DECDHL: drawn at double width (double height: one half), as the snapshot line says. */
  size?: LineJson['size'];
}

export interface Grid {
  cols: number;
  /** Rows drawn: every line of the snapshot (scrollback first, then the screen). */
  rows: GridRow[];
  fg: number;
  bg: number;
  cursorColor: number;
  /** Cursor as a row index into `rows`, or null when it is hidden or not drawn. */
  cursor: { row: number; col: number; shape: CursorShape } | null;
}

export interface GridOptions {
  theme?: Theme;
  /** Draw the cursor when the snapshot says it is visible (default true). */
  cursor?: boolean;
}

/** DECSCUSR: 0–2 block, 3–4 underline, 5–6 bar. */
export function cursorShape(n: number): CursorShape {
  if (n === 3 || n === 4) return 'underline';
  if (n === 5 || n === 6) return 'bar';
  return 'block';
}

function sameLook(a: ResolvedStyle, b: ResolvedStyle): boolean {
  return a.fg === b.fg && a.bg === b.bg && a.ul === b.ul && a.defaultBg === b.defaultBg && a.bold === b.bold
    && a.italic === b.italic && a.blink === b.blink && a.hidden === b.hidden && a.underline === b.underline
    && a.strike === b.strike && a.overline === b.overline;
}

/** What every row of a grid is drawn with: resolved styles, colours, and where the cursor is. */
export interface GridContext {
  cols: number;
  resolved: ResolvedStyle[];
  links: string[];
  fg: number;
  bg: number;
  cursorColor: number;
  /** Cursor as a line index of the source, or null when it is hidden or not drawn. */
  cursor: Grid['cursor'];
}

export function gridContext(src: SnapshotSource, opts: GridOptions = {}): GridContext {
  const theme = opts.theme ?? DEFAULT_THEME;
  const h = src.head;
  const rv = h.modes.reverseVideo;
  const d = defaultColors(theme, rv);
  const cc = cursorColor(theme, rv);
  const resolved = src.styles.map((s) => resolveStyle(s, theme, rv));
  const top = src.lineCount - h.rows;
  const c = h.cursor;
  let cursor: Grid['cursor'] = null;
  if ((opts.cursor ?? true) && c.visible && c.row >= 0 && c.row < h.rows && c.col >= 0 && c.col < h.cols) {
    let col = c.col;
    // A cursor on a spacer tail covers the wide char it belongs to.
    if (col > 0 && src.lines(top + c.row, top + c.row + 1)[0]?.cells[col]?.width === 0) col--;
    cursor = { row: top + c.row, col, shape: cursorShape(c.shape) };
  }
  return { cols: h.cols, resolved, links: src.links, fg: d.fg, bg: d.bg, cursorColor: cc, cursor };
}

/** Line `y` of the source (its `cells`) as runs; `size` is the line's (DECDWL/DECDHL). */
export function gridRow(g: GridContext, cells: CellJson[], y: number, size?: LineJson['size']): GridRow {
  const cursor = g.cursor;
  const runs: Run[] = [];
  let run: Run | null = null;
  for (let x = 0; x < cells.length; x++) {
    const cell = cells[x];
    if (cell.width === 0 && x > 0) continue; // spacer tail: drawn by its head
    const width: 1 | 2 = cell.width === 2 && x + 1 < g.cols ? 2 : 1;
    let style = g.resolved[cell.style] ?? g.resolved[0];
    const isCursor = cursor !== null && cursor.row === y && cursor.col === x;
    if (isCursor && cursor!.shape === 'block') style = underBlockCursor(style, g.cursorColor);
    const link = cell.link === undefined ? undefined : g.links[cell.link];
    if (run === null || isCursor || run.cursor !== null || run.link !== link || !sameLook(run.style, style)) {
      run = { col: x, cols: 0, style, link, cursor: isCursor ? cursor!.shape : null, glyphs: [] };
      runs.push(run);
    }
    run.glyphs.push({ col: x, text: cell.width === 0 ? '' : cell.text, width });
    run.cols += width;
  }
  return size === undefined ? { runs } : { runs, size };
}

export function buildGrid(snap: ScreenSnapshot, opts: GridOptions = {}): Grid {
  const g = gridContext(sourceOf(snap), opts);
  const rows = snap.lines.map((l, y) => gridRow(g, l.cells, y, l.size));
  return { cols: g.cols, rows, fg: g.fg, bg: g.bg, cursorColor: g.cursorColor, cursor: g.cursor };
}

/** True when a run draws nothing over the default background: blank text, plain style. */
export function isPlainBlank(run: Run): boolean {
  if (run.cursor !== null || run.link !== undefined || !run.style.defaultBg) return false;
  const s = run.style;
  if (s.underline !== null || s.strike || s.overline) {
    // Decorations are drawn under blanks too (an underlined space shows a line).
    return false;
  }
  return run.glyphs.every((g) => g.text === '' || g.text === ' ');
}
