/**
 * Text of history rows read page by page, compressed pages included without restoring them
 * (issue 27): a restore takes a page from the pool, decodes every cell and style into it, and
 * makes the list compress another page to stay within its idle rule; reading a compressed page's
 * text needs only its code points. So a compressed page is inflated and its content streams
 * (page-codec.ts: the low bytes A, the high bytes B of rows that need them, the grapheme arena)
 * are turned into text straight away, row by row, through the same conversion as a live page's
 * rows (wordsText). The lines are exactly rowText's of the restored page.
 *
 * NOTE: reads leave the list as it is: no restore, no compression, no idle-clock stamp.
 */
import { inflateRawSync } from 'node:zlib';
import type { CompressedPage } from '../page/compressed-page.js';
import { EncodedRows } from '../page/page-codec.js';
import type { DecodedPage } from '../page/decoded-page.js';
import type { Page } from '../page/page.js';
import { rowText, trimmedEnd, wordsText } from './row-text.js';

/** NOTE: module scratch for one decode at a time (synchronous). */
let words = new Uint32Array(1024);
let arena = new Uint32Array(256);

/** Right-trimmed text of history rows [from, to) of `list` (0 = oldest kept line), in order. */
export function historyTexts(list: HistoryNodes, from: number, to: number): string[] {
  const out: string[] = [];
  eachHistoryPage(list, from, to, (node, r0, r1) => {
    if (node.kind === 'compressed') compressedRowsText(node, r0, r1, out);
    else if (node.kind === 'decoded') {
      for (let k = r0; k < r1; k++) {
        const base = k * node.cols;
        out.push(wordsText(node.content, base, 0, trimmedEnd(node.content, base, node.cols), node.graphemes, ' '));
      }
    } else for (let k = r0; k < r1; k++) out.push(rowText(node, k));
  });
  return out;
}

/**
 * What history is read from: a page list's nodes, or a frozen copy of some of them
 * (format/frozen-history.ts: live pages' rows copied into DecodedPages, compressed records shared).
 */
export interface HistoryNodes {
  readonly pages: readonly (Page | CompressedPage | DecodedPage)[];
  /** Rows of the first node before history row 0. */
  readonly headTrim: number;
}

/**
 * Calls `fn(node, r0, r1)` for the rows [r0, r1) of each list node that history rows [from, to)
 * of `list` lie in, in order, pages and compressed pages as they are (nothing restored).
 */
export function eachHistoryPage<N extends Page | CompressedPage | DecodedPage>(list: { readonly pages: readonly N[]; readonly headTrim: number }, from: number, to: number, fn: (node: N, r0: number, r1: number) => void): void {
  if (to <= from) return;
  // Physical row (headTrim included) of `from`, then page by page.
  let r = from + list.headTrim;
  let i = 0;
  const pages = list.pages;
  while (i < pages.length && r >= pages[i]!.size) r -= pages[i++]!.size;
  let left = to - from;
  for (; left > 0 && i < pages.length; i++, r = 0) {
    const node = pages[i]!;
    const r1 = Math.min(node.size, r + left);
    fn(node, r, r1);
    left -= r1 - r;
  }
}

/** Pushes the right-trimmed text of rows [r0, r1) of compressed page `rec` to `out`. */
export function compressedRowsText(rec: CompressedPage, r0: number, r1: number, out: string[]): void {
  rowsText(inflatePage(rec), r0, r1, null, (_row, text) => { out.push(text); });
}

/** An inflated page: page-codec.ts's reader over its byte form. */
export type InflatedPage = EncodedRows;

export function inflatePage(rec: CompressedPage): InflatedPage {
  return new EncodedRows(inflateRawSync(rec.bytes));
}

/**
 * Calls `emit(row, text)` with the right-trimmed text of rows [r0, r1) of page `p`, of those
 * rows only whose `pick` entry is non-zero when `pick` is given.
 */
export function rowsText(p: InflatedPage, r0: number, r1: number, pick: Uint8Array | null, emit: (row: number, text: string) => void): void {
  if (r1 > p.size) throw new Error(`rows up to ${r1} asked of a page of ${p.size}`);
  if (p.graphemeWords > 0) {
    if (arena.length < p.graphemeWords) arena = new Uint32Array(p.graphemeWords);
    p.readArena(arena);
  }
  if (words.length < p.cols) words = new Uint32Array(p.cols);
  const w = words;
  p.rewind();
  while (p.next() && p.row < r1) {
    const row = p.row;
    if (row >= r0 && (pick === null || pick[row] !== 0)) {
      p.readContent(w, 0);
      // Cells past `used` are empty (0): trimmed anyway.
      emit(row, wordsText(w, 0, 0, trimmedEnd(w, 0, p.used), arena, ' '));
    }
  }
}
