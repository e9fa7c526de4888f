/**
 * Reads of the visible screen a wait makes on every check (src/sessions/wait-screen.ts), cheaper
 * than a snapshot: one cell with its style, and the rows untrimmed (blank cells after a row's last
 * character kept as spaces, so a prompt's trailing space can be matched). Both read the screen the
 * way `snapshot()` does: a cell's text and width as in CellJson, its style as StyleJson.
 */
import { Wide, WIDTH_MASK, WIDTH_SHIFT } from '../page/cell.js';
import { StyleValue } from '../page/style-table.js';
import type { Terminal } from '../terminal/terminal.js';
import type { StyleJson } from '../terminal/snapshot.js';
import { cellsText, styleJson } from './text.js';

/** One cell of the screen as a snapshot gives it, its style resolved. */
export interface CellRead {
  /** The grapheme ("" for a never-written cell or the spacer half of a wide character). */
  text: string;
  width: 0 | 1 | 2;
  style: StyleJson;
}

const cpScratch: number[] = [];
/** NOTE: scratch for one read at a time, as text.ts's. */
const svScratch = new StyleValue();

/** The cell at screen `row`, `col` (0-based); null outside the screen. */
export function cellAt(t: Terminal, row: number, col: number): CellRead | null {
  if (row < 0 || col < 0 || row >= t.rows || col >= t.cols) return null;
  const list = t.active.list;
  const p = list.pinActive(row);
  const i = p.rowStart(list.pinRow) + col;
  const w = p.content[i]!;
  const wide = (w & WIDTH_MASK) >>> WIDTH_SHIFT;
  let text = '';
  if (wide !== Wide.SpacerTail && wide !== Wide.SpacerHead) {
    p.cellCodepoints(i, cpScratch);
    text = cpScratch.length ? String.fromCodePoint(...cpScratch) : '';
  }
  p.styles.read(p.styleAt(i), svScratch);
  return { text, width: wide === Wide.Wide ? 2 : wide === Wide.SpacerTail ? 0 : 1, style: styleJson(svScratch) };
}

/** The visible rows untrimmed: exactly `rows` strings, each the row's full width. */
export function screenLinesUntrimmed(t: Terminal): string[] {
  const list = t.active.list;
  const out: string[] = [];
  for (let y = 0; y < t.rows; y++) {
    const p = list.pinActive(y);
    out.push(cellsText(p, list.pinRow, 0, p.cols, ' '));
  }
  return out;
}
