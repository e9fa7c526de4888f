/**
 * A compressed page read back for reading only (issue 27): its rows, style ids, style records,
 * grapheme arena and links in flat arrays, without a page from the pool. A restore (restoreInto)
 * takes a pool page, interns every style and link into it and makes the list compress another
 * page to keep its idle rule; a read of history needs none of that, and a read that walks every
 * page (a JSON snapshot of all history) paid it for each page, twice (scan, then lines).
 *
 * Rows are in logical order, row r at r * cols; cells past a row's stored extent are 0 (content
 * and style), as in the page. Style ids are the codec's dense ids (1..n, 0 the default), and
 * `records` holds their fields at id * 4. Reading the same record again is free (`read` keeps it),
 * so a reader walking a page window by window inflates it once.
 */
import { inflateRawSync } from 'node:zlib';
import type { CompressedPage } from './compressed-page.js';
import { CONTENT_MASK, HYPERLINK_BIT, STYLE_SHIFT } from './cell.js';
import { EncodedRows, type EncodedLinks } from './page-codec.js';
import type { Page } from './page.js';
import { STYLE_WORDS } from './style-table.js';

export class DecodedPage {
  /** Discriminates history nodes (format/history-text.ts eachHistoryPage): a page's rows in flat arrays. */
  readonly kind = 'decoded' as const;
  /** The record these arrays hold (records never change: a new compression is a new record). */
  private source: CompressedPage | null = null;
  size = 0;
  cols = 0;
  /** Content words, row r at r * cols. */
  content = new Uint32Array(0);
  /** Dense style ids, as content. */
  styleIds = new Uint16Array(0);
  /** Style fields (fg, bg, ul, flags) at id * 4; id 0 (the default) is zeros. */
  records = new Uint32Array(4);
  /** Style ids in use: 0..styleCount. */
  styleCount = 0;
  /** The grapheme arena the content words' grapheme offsets point into. */
  graphemes = new Uint32Array(0);
  rowFlags = new Uint8Array(0);
  /** Hyperlinked cells: cell index (r * cols + x) → URI. */
  readonly links = new Map<number, string>();

  /** Fills the arrays from `rec`, unless they hold it already. */
  read(rec: CompressedPage): this {
    if (this.source === rec) return this;
    this.source = null;
    const rows = new EncodedRows(inflateRawSync(rec.bytes));
    const { size, cols } = rows;
    const nStyles = rows.styles;
    const cells = size * cols;
    if (this.content.length < cells) {
      this.content = new Uint32Array(cells);
      this.styleIds = new Uint16Array(cells);
    }
    if (this.rowFlags.length < size) this.rowFlags = new Uint8Array(size);
    if (this.records.length < (nStyles + 1) * 4) this.records = new Uint32Array((nStyles + 1) * 4);
    if (this.graphemes.length < rows.graphemeWords) this.graphemes = new Uint32Array(rows.graphemeWords);
    const rec4 = this.records;
    rec4.fill(0, 0, 4);
    for (let k = 1; k <= nStyles; k++) for (let f = 0; f < 4; f++) rec4[k * 4 + f] = rows.styleField(k, f);
    rows.readArena(this.graphemes);
    const content = this.content;
    const ids = this.styleIds;
    while (rows.next()) {
      const base = rows.row * cols;
      const used = rows.used;
      this.rowFlags[rows.row] = rows.flags;
      rows.readContent(content, base);
      content.fill(0, base + used, base + cols);
      if (rows.styled) {
        rows.readStyleIds(ids, base);
        ids.fill(0, base + used, base + cols);
      } else {
        ids.fill(0, base, base + cols);
      }
    }
    this.links.clear();
    if (rec.links !== null) {
      const enc = JSON.parse(rec.links) as EncodedLinks;
      for (let j = 0; j < enc.c.length; j += 2) this.links.set(enc.c[j]!, enc.t[enc.c[j + 1]!]![0]);
    }
    this.size = size;
    this.cols = cols;
    this.styleCount = nStyles;
    this.source = rec;
    return this;
  }

  /**
   * Fills the arrays with a copy of rows [r0, r1) of live page `p` (row r0 becomes row 0): a
   * frozen view of them that the page's later changes do not reach (render/stream.ts reads a
   * session's history over several turns of the event loop from such copies). Style ids stay the
   * page's own; `records` holds the records up to the largest id the rows use.
   */
  copyRows(p: Page, r0: number, r1: number): this {
    this.source = null;
    const cols = p.cols;
    const size = r1 - r0;
    const cells = size * cols;
    if (this.content.length < cells) {
      this.content = new Uint32Array(cells);
      this.styleIds = new Uint16Array(cells);
    }
    if (this.rowFlags.length < size) this.rowFlags = new Uint8Array(size);
    const src = p.content;
    const content = this.content;
    const ids = this.styleIds;
    const packed = p.packed;
    const split = p.styleIds;
    let maxId = 0;
    for (let r = 0; r < size; r++) {
      const base = p.rowStart(r0 + r);
      const at = r * cols;
      this.rowFlags[r] = p.rowFlags[r0 + r]!;
      if (packed) {
        for (let x = 0; x < cols; x++) {
          const w = src[base + x]!;
          content[at + x] = w & CONTENT_MASK;
          const id = w >>> STYLE_SHIFT;
          ids[at + x] = id;
          if (id > maxId) maxId = id;
        }
      } else {
        content.set(src.subarray(base, base + cols), at);
        ids.set(split.subarray(base, base + cols), at);
        for (let x = 0; x < cols; x++) if (ids[at + x]! > maxId) maxId = ids[at + x]!;
      }
    }
    // NOTE: a style record is STYLE_WORDS = 4 words (fg, bg, ul, flags), this array's layout too.
    if (this.records.length < (maxId + 1) * 4) this.records = new Uint32Array((maxId + 1) * 4);
    this.records.set(p.styles.records.subarray(0, (maxId + 1) * STYLE_WORDS));
    this.records.fill(0, 0, 4);
    if (this.graphemes.length < p.graphemeUsed) this.graphemes = new Uint32Array(p.graphemeUsed);
    this.graphemes.set(p.graphemes.subarray(0, p.graphemeUsed));
    this.links.clear();
    if (p.links.size > 0) {
      for (let r = 0; r < size; r++) {
        const base = p.rowStart(r0 + r);
        for (let x = 0; x < cols; x++) {
          if ((src[base + x]! & HYPERLINK_BIT) === 0) continue;
          const uri = p.linkOf(base + x)?.uri;
          if (uri !== undefined) this.links.set(r * cols + x, uri);
        }
      }
    }
    this.size = size;
    this.cols = cols;
    this.styleCount = maxId;
    return this;
  }

  /** Bytes the arrays hold (what a frozen read reserves). */
  get byteLength(): number {
    return this.content.byteLength + this.styleIds.byteLength + this.records.byteLength + this.graphemes.byteLength + this.rowFlags.byteLength;
  }
}

/** NOTE: one kept alive for good, for the reason page-codec.ts's KEPT_READER gives. */
export const KEPT_DECODED = new DecodedPage();
