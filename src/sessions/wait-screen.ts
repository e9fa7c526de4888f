/**
 * What a wait's screen conditions read and how they are decided: the served screen's rows
 * untrimmed, its title, cursor and one cell (the last complete frame during a synchronized
 * update, as `Session.screenLines()` serves), and the predicates for title, cursor and cell.
 *
 * Every read is cheap enough to make on each check (src/sessions/wait-hub.ts): the title, the
 * cursor and one cell are O(1) reads of the Terminal; untrimmed rows cost what `screenLines()`
 * costs and are made once per served screen, shared by every wait of the session (cached by the
 * identity of the `screenLines()` array, which is replaced exactly when the served screen may
 * change). A title regex runs under the RegexBudget like any other (see wait-hub).
 */
import { cellAt, screenLinesUntrimmed, type CellRead, type ScreenSnapshot } from '../engine/index.js';
import type { Session } from './session.js';
import type { CellCondition, WaitColor, WaitCondition } from './wait.js';

/** Untrimmed rows, by the `screenLines()` array of the same served screen. */
const untrimmed = new WeakMap<readonly string[], string[]>();

/** The served screen's rows, each its full width (blank cells as spaces). */
export function servedLinesUntrimmed(s: Session): string[] {
  const trimmed = s.screenLines();
  let lines = untrimmed.get(trimmed);
  if (lines === undefined) {
    lines = s.inFrame ? frameRows(s.snapshot(0)) : screenLinesUntrimmed(s.terminal);
    untrimmed.set(trimmed, lines);
  }
  return lines;
}

/** A frame's rows untrimmed, from its cells (the frame keeps no Terminal of its own). */
function frameRows(snap: ScreenSnapshot): string[] {
  return snap.lines.map((l) => {
    let row = '';
    for (const c of l.cells) if (c.width !== 0) row += c.text === '' ? ' ' : c.text;
    return row;
  });
}

/**
 * Whether text/regex/absent of `cond` match full-width rows: with trim: false, and (trim unset)
 * for a one-line text ending in a space, which trimmed rows could never contain at a row's end.
 * Never with scrollback (its lines are kept trimmed; trim: false with it is refused).
 */
export function matchesUntrimmed(cond: Pick<WaitCondition, 'trim' | 'scrollback'>, text: string | undefined): boolean {
  if (cond.scrollback === true) return false;
  if (cond.trim === false) return true;
  if (cond.trim === true || text === undefined) return false;
  return text.endsWith(' ') && !text.includes('\n');
}

/** The window title as served. */
export function servedTitle(s: Session): string {
  return s.inFrame ? s.snapshot(0).title : s.terminal.title;
}

/** The cursor as served (0-based). */
export function servedCursor(s: Session): { row: number; col: number } {
  if (s.inFrame) return s.snapshot(0).cursor;
  const c = s.terminal.cursor;
  return { row: c.y, col: c.x };
}

/** One served cell; null outside the screen (it may have shrunk since the wait began). */
export function servedCell(s: Session, row: number, col: number): CellRead | null {
  if (!s.inFrame) return cellAt(s.terminal, row, col);
  const snap = s.snapshot(0);
  const c = snap.lines[row]?.cells[col];
  return c === undefined ? null : { text: c.text, width: c.width, style: snap.styles[c.style]! };
}

export function cursorHolds(s: Session, want: { row?: number; col?: number }): boolean {
  const c = servedCursor(s);
  return (want.row === undefined || c.row === want.row) && (want.col === undefined || c.col === want.col);
}

const sameColor = (want: WaitColor | undefined, got: WaitColor): boolean => want === undefined || want === got;
const flag = (want: boolean | undefined, got: true | undefined): boolean => want === undefined || want === (got === true);

/**
 * Whether the cell shows what `want` asks. Colours compare in the JSON notation: palette 1 and
 * "#cd0000" are different colours even where they look alike; fg/bg are the colours set by SGR,
 * not swapped by inverse (ask for inverse separately).
 */
export function cellHolds(s: Session, want: CellCondition): boolean {
  const c = servedCell(s, want.row, want.col);
  if (c === null) return false;
  if (want.text !== undefined && want.text !== c.text && !(want.text === ' ' && c.text === '')) return false;
  const st = c.style;
  if (!flag(want.inverse, st.inverse) || !flag(want.bold, st.bold) || !flag(want.italic, st.italic)) return false;
  if (want.underline !== undefined) {
    const u = st.underline;
    if (typeof want.underline === 'string' ? u !== want.underline : want.underline !== (u !== undefined)) return false;
  }
  return sameColor(want.fg, st.fg) && sameColor(want.bg, st.bg);
}
