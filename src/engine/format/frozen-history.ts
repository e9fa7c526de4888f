/**
 * A frozen copy of some history rows, taken at once, read later over several turns of the event
 * loop (render/stream.ts: a JSON or text read of 10,000 lines written in slices, so no read holds
 * the loop for long, issue 27). Compressed records are shared, not copied: a record never changes
 * (a new compression is a new record), and one dropped from the list meanwhile stays readable.
 * Live pages' rows are copied into DecodedPages (flat arrays, ~6 bytes a cell: a memcpy, a few ms
 * for a million cells), so output the terminal takes after the copy never reaches the read.
 *
 * Much cheaper than the archive copy (archiveTerminal + restoreTerminal: every live page encoded
 * and deflated, then restored into pool pages) for reads that fit DIRECT_*_CELLS.
 */
import type { CompressedPage } from '../page/compressed-page.js';
import { DecodedPage } from '../page/decoded-page.js';
import type { PageList } from '../page/page-list.js';
import { eachHistoryPage, type HistoryNodes } from './history-text.js';

export interface FrozenHistory extends HistoryNodes {
  readonly pages: readonly (CompressedPage | DecodedPage)[];
  /** History row of the copy's first row (the read's first line). */
  readonly from: number;
  /** Bytes the copy holds apart from the shared records (its DecodedPages' arrays). */
  readonly copiedBytes: number;
  /** Bytes of the compressed records it shares (kept alive by the copy until it is dropped). */
  readonly sharedBytes: number;
  /** Bytes its compressed records take once decoded (a reader that keeps them decoded holds these too). */
  readonly decodedBytes: number;
}

/** History rows [from, to) of `list` frozen. */
export function freezeHistory(list: PageList, from: number, to: number): FrozenHistory {
  const pages: (CompressedPage | DecodedPage)[] = [];
  let first = -1;
  let copiedBytes = 0;
  let sharedBytes = 0;
  let decodedBytes = 0;
  eachHistoryPage(list, from, to, (node, r0, r1) => {
    if (node.kind === 'compressed') {
      if (first < 0) first = r0;
      pages.push(node);
      sharedBytes += node.byteLength;
      decodedBytes += node.size * (node.cols * 6 + 1);
    } else {
      if (first < 0) first = 0;
      const copy = new DecodedPage().copyRows(node, r0, r1);
      copiedBytes += copy.byteLength;
      pages.push(copy);
    }
  });
  return { pages, headTrim: 0, from: Math.max(0, first), copiedBytes, sharedBytes, decodedBytes };
}
