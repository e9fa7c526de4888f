/**
 * A plain substring found in history rows, compressed pages included, without turning every row
 * into text (issue 27: search on compressed pages ran at 2.25x the time of hot pages; each row was
 * inflated and converted to a string only to be looked at once).
 *
 * A compressed page's rows without MODE_HIGH (page-codec.ts) hold only narrow cells of code
 * points up to U+00FF, no grapheme, no link: their text is exactly their low bytes (stream A),
 * 0 read as a space. So the query's longest run without a space (its "needle") is looked for
 * in stream A with Buffer.indexOf (native), and only rows where it occurs, and the MODE_HIGH rows
 * (wide characters, graphemes, code points above U+00FF: their text is not their low bytes), are
 * turned into text and searched as before. A query with a character above U+00FF cannot occur in
 * a low-byte row at all: only MODE_HIGH rows are read. Hits are those of `text.indexOf(query)` on
 * every row, in row order.
 */
import { MODE_HIGH } from '../page/page-codec.js';
import type { PageList } from '../page/page-list.js';
import { eachHistoryPage, inflatePage, rowsText, type InflatedPage } from './history-text.js';
import { rowText } from './row-text.js';

/** A row whose text contains the query: its index from the search's first row, where, its text. */
export interface HistoryHit { index: number; column: number; text: string }

/** NOTE: module scratch for one search at a time (synchronous). */
let pick = new Uint8Array(256);
let rowAt = new Int32Array(257);

/** The rows among history rows [from, to) of `list` whose text contains `query`, first match each. */
export function historyFind(list: PageList, from: number, to: number, query: string): HistoryHit[] {
  const out: HistoryHit[] = [];
  const filter = filterOf(query);
  let index = 0;
  eachHistoryPage(list, from, to, (node, r0, r1) => {
    const first = index - r0;
    if (node.kind === 'compressed') {
      const p = inflatePage(node);
      rowsText(p, r0, r1, filter === 'all' ? null : candidates(p, r0, r1, filter), (row, text) => {
        const column = text.indexOf(query);
        if (column >= 0) out.push({ index: first + row, column, text });
      });
    } else {
      for (let r = r0; r < r1; r++) {
        const text = rowText(node, r);
        const column = text.indexOf(query);
        if (column >= 0) out.push({ index: first + r, column, text });
      }
    }
    index += r1 - r0;
  });
  return out;
}

/**
 * What a low-byte row must contain to be worth reading: the query's longest run without a space
 * (as latin1 bytes), 'none' when no low-byte row can hold the query (a character above U+00FF),
 * 'all' when there is no such run (empty or all spaces: every row is read).
 */
function filterOf(query: string): Buffer | 'none' | 'all' {
  let best = '';
  for (const run of query.split(' ')) if (run.length > best.length) best = run;
  for (let k = 0; k < query.length; k++) if (query.charCodeAt(k) > 0xff) return 'none';
  return best === '' ? 'all' : Buffer.from(best, 'latin1');
}

/** Rows of [r0, r1) to read: every MODE_HIGH row, and the low-byte rows where `needle` occurs. */
function candidates(p: InflatedPage, r0: number, r1: number, needle: Buffer | 'none'): Uint8Array {
  if (pick.length < r1) pick = new Uint8Array(r1 * 2);
  if (rowAt.length < r1 + 1) rowAt = new Int32Array(r1 * 2 + 1);
  pick.fill(0, 0, r1);
  // Where each row's low bytes start in stream A.
  p.rewind();
  while (p.row < r1 - 1 && p.next()) {
    rowAt[p.row] = p.a;
    if ((p.mode & MODE_HIGH) !== 0) pick[p.row] = 1;
  }
  const a = p.a + p.used;
  rowAt[r1] = a;
  if (needle === 'none') return pick;
  // NOTE: an occurrence may run on into the next row: its row is read and checked all the same.
  const lows = Buffer.from(p.raw.buffer, p.raw.byteOffset, a);
  let row = r0;
  let pos = lows.indexOf(needle, rowAt[r0]!);
  while (pos >= 0) {
    while (rowAt[row + 1]! <= pos) row++;
    pick[row] = 1;
    if (row + 1 >= r1) break;
    pos = lows.indexOf(needle, rowAt[row + 1]!);
  }
  return pick;
}
