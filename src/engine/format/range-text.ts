/**
 * Text between two places of the primary screen's rows, addressed by absolute line numbers
 * (`PageList.droppedRows` + history index: the numbering that pruning and scrolling do not shift,
 * see Terminal.scrollbackEnd). What a shell command printed lies between its OSC 133 C and D
 * marks (terminal/semantic-prompt.ts); this reads it back as logical lines: rows joined where the
 * terminal soft-wrapped them, right-trimmed, trailing blank lines dropped.
 */
import { ROW_WRAPPED } from '../page/cell.js';
import type { PageList } from '../page/page-list.js';
import { cellsText } from './text.js';

/** A place on the primary screen: absolute line, 0-based column. */
export interface LinePoint {
  line: number;
  col: number;
}

export interface RangeText {
  lines: string[];
  /** Lines were left out: the first ones beyond `maxLines`, or rows already pruned from the scrollback. */
  truncated: boolean;
}

/**
 * Logical lines from `from` (inclusive) to `to` (exclusive) on `list`; a `to` at column 0 ends
 * on the line before. At most `maxLines`, the last ones (the end of a long output is what tells
 * how it went). Rows no longer kept are skipped (and reported as `truncated`).
 */
export function textBetween(list: PageList, from: LinePoint, to: LinePoint, maxLines: number): RangeText {
  const first = list.droppedRows;
  const last = first + list.totalRows - 1;
  let truncated = false;
  let start = from;
  if (start.line < first) { start = { line: first, col: 0 }; truncated = true; }
  let endLine = to.col > 0 ? to.line : to.line - 1;
  if (endLine > last) endLine = last;
  if (endLine < start.line || maxLines <= 0) return { lines: [], truncated: truncated || endLine >= start.line };
  const wrapped = (line: number): boolean => {
    const p = list.pinHistory(line - first);
    return (p.rowFlags[list.pinRow] & ROW_WRAPPED) !== 0;
  };
  // Walk back from the end to where the last `maxLines` logical lines begin (flags only: cheap).
  let begin = endLine;
  let count = 1;
  while (begin > start.line) {
    if (!wrapped(begin - 1)) {
      if (count === maxLines) { truncated = true; break; }
      count++;
    }
    begin--;
  }
  const lines: string[] = [];
  let cur = '';
  for (let line = begin; line <= endLine; line++) {
    const p = list.pinHistory(line - first);
    const r = list.pinRow;
    const x0 = line === start.line ? Math.min(start.col, list.cols) : 0;
    const x1 = line === to.line ? Math.min(to.col, list.cols) : list.cols;
    const soft = (p.rowFlags[r] & ROW_WRAPPED) !== 0 && line < endLine;
    cur += cellsText(p, r, x0, x1, '');
    if (!soft) { lines.push(cur.trimEnd()); cur = ''; }
  }
  if (cur !== '') lines.push(cur.trimEnd());
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return { lines, truncated };
}
