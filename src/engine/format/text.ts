/**
 * Text and JSON snapshots of a terminal: visible lines (right-trimmed), scrollback ranges,
 * and the cell/style/cursor/mode snapshot. Wide characters appear once; their spacer cells
 * add nothing to the text.
 */
import { HYPERLINK_BIT, Wide, WIDTH_MASK, WIDTH_SHIFT } from '../page/cell.js';
import { colorToJson } from '../page/color.js';
import type { Page } from '../page/page.js';
import type { PageList } from '../page/page-list.js';
import {
  ATTR_BLINK, ATTR_BOLD, ATTR_FAINT, ATTR_INVERSE, ATTR_INVISIBLE, ATTR_ITALIC, ATTR_OVERLINE,
  ATTR_STRIKE, StyleValue, UNDERLINE_MASK, UNDERLINE_SHIFT,
} from '../page/style-table.js';
import { MouseEncoding, MouseTracking } from '../terminal/modes.js';
import type { Terminal } from '../terminal/terminal.js';
import type { CellJson, LineJson, ScreenSnapshot, StyleJson } from '../terminal/snapshot.js';
import { ROW_SIZE_MASK, ROW_SIZE_SHIFT, ROW_WRAPPED } from '../page/cell.js';
import { historyTexts } from './history-text.js';
import { rowText } from './row-text.js';

export { cellsText, rowText, trimmedEnd, wordsText } from './row-text.js';

const cpScratch: number[] = [];

/** Visible lines of the active screen: exactly `rows` strings. */
export function screenLines(t: Terminal): string[] {
  const list = t.active.list;
  const out: string[] = [];
  for (let y = 0; y < t.rows; y++) {
    const p = list.pinActive(y);
    out.push(rowText(p, list.pinRow));
  }
  return out;
}

/** Lines of the primary screen's scrollback, 0 = oldest kept. */
export function scrollbackLines(list: PageList, start: number, count: number): string[] {
  const n = list.scrollbackRows;
  const from = Math.max(0, Math.min(start, n));
  const to = Math.max(from, Math.min(n, from + Math.max(0, count)));
  return historyTexts(list, from, to);
}

const UNDERLINES = ['', 'single', 'double', 'curly', 'dotted', 'dashed'];

export function styleJson(s: StyleValue): StyleJson {
  const j: StyleJson = { fg: colorToJson(s.fg), bg: colorToJson(s.bg), underlineColor: colorToJson(s.ul) };
  const f = s.flags;
  if (f & ATTR_BOLD) j.bold = true;
  if (f & ATTR_FAINT) j.faint = true;
  if (f & ATTR_ITALIC) j.italic = true;
  if (f & ATTR_BLINK) j.blink = true;
  if (f & ATTR_INVERSE) j.inverse = true;
  if (f & ATTR_INVISIBLE) j.invisible = true;
  if (f & ATTR_STRIKE) j.strikethrough = true;
  if (f & ATTR_OVERLINE) j.overline = true;
  const u = (f & UNDERLINE_MASK) >>> UNDERLINE_SHIFT;
  if (u !== 0) j.underline = UNDERLINES[u] ?? 'single';
  return j;
}

/** The tables a snapshot's cells index into, built while its lines are read. */
export class SnapshotTables {
  readonly styles: StyleJson[] = [styleJson(new StyleValue())]; // style 0 is always the default
  readonly links: string[] = [];
  private readonly styleKeys = new Map<string, number>([['0,0,0,0', 0]]);
  private readonly linkKeys = new Map<string, number>();

  style(sv: StyleValue): number {
    const key = `${sv.fg},${sv.bg},${sv.ul},${sv.flags}`;
    let k = this.styleKeys.get(key);
    if (k === undefined) {
      k = this.styles.length;
      this.styles.push(styleJson(sv));
      this.styleKeys.set(key, k);
    }
    return k;
  }

  link(uri: string): number {
    let k = this.linkKeys.get(uri);
    if (k === undefined) {
      k = this.links.length;
      this.links.push(uri);
      this.linkKeys.set(uri, k);
    }
    return k;
  }
}

const LINE_SIZES = [undefined, 'double-width', 'double-height-top', 'double-height-bottom'] as const;

/** Lines with cells for rows of `list`, history index range [from, to). */
export function linesJson(list: PageList, from: number, to: number, tables: SnapshotTables): LineJson[] {
  const sv = new StyleValue();
  const lines: LineJson[] = [];
  for (let a = from; a < to; a++) {
    const p = list.pinHistory(a);
    const r = list.pinRow;
    const base = p.rowStart(r);
    const cells: CellJson[] = [];
    // Cells of one style come in runs: a style id is looked up once a run, not once a cell.
    // NOTE: per row: a pin may restore a page into a recycled Page object, whose ids differ.
    let lastId = -1;
    let lastStyle = 0;
    for (let x = 0; x < p.cols; x++) {
      const i = base + x;
      const w = p.content[i];
      const wide = (w & WIDTH_MASK) >>> WIDTH_SHIFT;
      const id = p.styleAt(i);
      if (id !== lastId) {
        p.styles.read(id, sv);
        lastStyle = tables.style(sv);
        lastId = id;
      }
      const style = lastStyle;
      let text = '';
      if (wide !== Wide.SpacerTail && wide !== Wide.SpacerHead) {
        p.cellCodepoints(i, cpScratch);
        text = cpScratch.length ? String.fromCodePoint(...cpScratch) : '';
      }
      const cell: CellJson = { text, width: wide === Wide.Wide ? 2 : wide === Wide.SpacerTail ? 0 : 1, style };
      if ((w & HYPERLINK_BIT) !== 0) {
        const link = p.linkOf(i);
        if (link !== undefined) cell.link = tables.link(link.uri);
      }
      cells.push(cell);
    }
    const line: LineJson = { text: rowText(p, r), wrapped: (p.rowFlags[r] & ROW_WRAPPED) !== 0, cells };
    const size = (p.rowFlags[r] & ROW_SIZE_MASK) >>> ROW_SIZE_SHIFT;
    if (size !== 0) line.size = LINE_SIZES[size];
    lines.push(line);
  }
  return lines;
}

const TRACKING: Record<number, string> = {
  [MouseTracking.None]: 'none', [MouseTracking.X10]: 'x10', [MouseTracking.Normal]: 'normal',
  [MouseTracking.Button]: 'button', [MouseTracking.Any]: 'any',
};
const ENCODING: Record<number, string> = {
  [MouseEncoding.Default]: 'default', [MouseEncoding.Utf8]: 'utf8', [MouseEncoding.Sgr]: 'sgr',
  [MouseEncoding.Urxvt]: 'urxvt', [MouseEncoding.SgrPixels]: 'sgr-pixels',
};

/** Full JSON snapshot of the visible screen (plus `scrollback` lines above it when asked). */
export function snapshot(t: Terminal, scrollback = 0): ScreenSnapshot {
  const list = t.active.list;
  const tables = new SnapshotTables();
  const lines = linesJson(list, snapshotFrom(t, scrollback), list.totalRows, tables);
  return { ...snapshotHead(t), styles: tables.styles, links: tables.links, lines };
}

/** History index of a snapshot's first line with `scrollback` lines above the screen. */
export function snapshotFrom(t: Terminal, scrollback: number): number {
  const top = t.active.list.totalRows - t.rows;
  return Math.max(0, top - Math.max(0, scrollback));
}

/** The fields of a snapshot before its tables and lines, in the order JSON.stringify writes them. */
export function snapshotHead(t: Terminal): Pick<ScreenSnapshot, 'cols' | 'rows' | 'title' | 'cursor' | 'modes'> {
  const m = t.modes;
  const c = t.cursor;
  return {
    cols: t.cols,
    rows: t.rows,
    title: t.title,
    cursor: { row: c.y, col: c.x, visible: m.cursorVisible, shape: t.cursorShape },
    modes: {
      alternateScreen: t.altActive,
      applicationCursorKeys: m.appCursor,
      applicationKeypad: m.appKeypad,
      bracketedPaste: m.bracketedPaste,
      mouseTracking: TRACKING[m.mouseTracking] ?? 'none',
      mouseEncoding: ENCODING[m.mouseEncoding] ?? 'default',
      focusEvents: m.focusEvents,
      synchronizedOutput: m.synchronizedOutput,
      originMode: m.origin,
      autowrap: m.autowrap,
      insertMode: m.insert,
      reverseVideo: m.reverseVideo,
      cursorVisible: m.cursorVisible,
    },
  };
}
