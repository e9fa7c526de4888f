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
import { HEADER_WORDS, MAGIC, MODE_HIGH, MODE_STYLED, type EncodedLinks } from './page-codec.js';

export class DecodedPage {
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
    const raw = inflateRawSync(rec.bytes);
    const dv = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
    const h = (k: number): number => dv.getUint32(k * 4, true);
    if (h(0) !== MAGIC) throw new Error('not an encoded page');
    const size = h(1);
    const cols = h(2);
    const nStyles = h(3);
    const graphemeWords = h(4);
    const lenA = h(5);
    const lenB = h(6);
    const cells = size * cols;
    if (this.content.length < cells) {
      this.content = new Uint32Array(cells);
      this.styleIds = new Uint16Array(cells);
    }
    if (this.rowFlags.length < size) this.rowFlags = new Uint8Array(size);
    if (this.records.length < (nStyles + 1) * 4) this.records = new Uint32Array((nStyles + 1) * 4);
    if (this.graphemes.length < graphemeWords) this.graphemes = new Uint32Array(graphemeWords);
    let o = HEADER_WORDS * 4;
    const rowsAt = o;
    o += size * 4;
    const rec4 = this.records;
    rec4.fill(0, 0, 4);
    for (let k = 1; k <= nStyles; k++, o += 20) {
      rec4[k * 4] = dv.getUint32(o, true);
      rec4[k * 4 + 1] = dv.getUint32(o + 4, true);
      rec4[k * 4 + 2] = dv.getUint32(o + 8, true);
      rec4[k * 4 + 3] = dv.getUint32(o + 12, true);
    }
    for (let k = 0; k < graphemeWords; k++) this.graphemes[k] = dv.getUint32(o + k * 4, true);
    o += graphemeWords * 4;
    const content = this.content;
    const ids = this.styleIds;
    let a = o;
    let b = o + lenA;
    let c = b + lenB;
    for (let r = 0; r < size; r++) {
      const ro = rowsAt + r * 4;
      const mode = raw[ro + 1]!;
      const used = raw[ro + 2]! | (raw[ro + 3]! << 8);
      this.rowFlags[r] = raw[ro]!;
      const base = r * cols;
      if ((mode & MODE_HIGH) === 0) {
        for (let x = 0; x < used; x++) content[base + x] = raw[a + x]!;
      } else {
        for (let x = 0; x < used; x++) {
          content[base + x] = (raw[a + x]! | (raw[b + x]! << 8) | (raw[b + used + x]! << 16) | (raw[b + 2 * used + x]! << 24)) >>> 0;
        }
        b += used * 3;
      }
      content.fill(0, base + used, base + cols);
      a += used;
      if ((mode & MODE_STYLED) !== 0) {
        for (let x = 0; x < used; x++) ids[base + x] = raw[c + x]! | (raw[c + used + x]! << 8);
        ids.fill(0, base + used, base + cols);
        c += used * 2;
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
}
