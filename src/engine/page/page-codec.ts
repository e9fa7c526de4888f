/**
 * The byte form of a cold page, before and after the general-purpose codec (compressed-page.ts).
 *
 * Owns the pre-transform: it writes only what the page uses and sorts bytes so that like sits
 * with like, which is what lets a plain LZ codec reach well under a byte per cell on log-like
 * scrollback (LZ4 has no entropy stage: it only wins on repeats, so the transform makes repeats).
 *
 *   - Rows in logical order, each trimmed after its last non-empty cell (content 0, style 0).
 *   - Content words split into planes: the low byte of every kept cell in one stream (A); the
 *     three high bytes only for rows that have a code point above U+00FF or a flag bit (B).
 *   - Style ids only for rows that have a styled cell (C), remapped to a dense 1..n so the
 *     restored table hands out exactly those ids again (fresh tables allocate ids in order).
 *   - Live style records with their reference counts, and the grapheme arena after compaction.
 *
 * Raw layout (little-endian; header words are Uint32):
 *   header   [MAGIC, size, cols, styles, graphemeWords, lenA, lenB, lenC]
 *   rows     size × [flags u8, mode u8, used u16]         mode: MODE_HIGH | MODE_STYLED
 *   styles   styles × [fg, bg, ul, flags, refs] u32
 *   arena    graphemeWords × u32
 *   A        low byte of each kept cell, row after row
 *   B        per MODE_HIGH row: byte 1 × used, byte 2 × used, byte 3 × used
 *   C        per MODE_STYLED row: id low byte × used, id high byte × used
 *
 * The byte form is the same for both cell layouts (cell.ts): a packed page's words are split
 * into content (A, B) and style ids (C) like a split page's, so a record restores into either
 * layout and records written before packing existed read unchanged.
 *
 * Hyperlinks live in JS maps, not the buffer; they travel as a small JSON string beside the
 * bytes (cell indexes rewritten to logical-row order, link ids made dense the same way).
 */
import { CONTENT_MASK, HYPERLINK_BIT, ROW_HAS_STYLE, STYLE_SHIFT } from './cell.js';
import type { Page } from './page.js';
import { STYLE_WORDS } from './style-table.js';

export const MAGIC = 0x31504354; // "TCP1"
export const HEADER_WORDS = 8;
export const MODE_HIGH = 1;
export const MODE_STYLED = 2;

/** Links of an encoded page: dense table entries and (logical cell index, entry) pairs. */
export interface EncodedLinks {
  t: [uri: string, id: string, refs: number][];
  c: number[];
}

export interface EncodedPage {
  /** View into the module scratch: valid until the next `encodePage` call. */
  raw: Uint8Array;
  links: string | null;
}

/**
 * NOTE: module-level scratch, the one allowed kind of module state: encoding runs once per
 * page going cold, and reusing one buffer keeps that allocation-free. It grows to the largest
 * page seen and is never shared across an await (the codec is synchronous).
 */
let scratch = new Uint8Array(64 * 1024);
let styleMap = new Uint16Array(256);

function need(bytes: number): Uint8Array {
  if (scratch.length < bytes) scratch = new Uint8Array(Math.max(bytes, scratch.length * 2));
  return scratch;
}

/** Worst-case raw size for a page (every row full, high bytes and styles everywhere). */
function bound(p: Page, styles: number): number {
  return HEADER_WORDS * 4 + p.size * 4 + styles * 20 + p.graphemeUsed * 4 + p.size * p.cols * 6 + 8;
}

/**
 * Encode the rows [0, size) of `p`. Compacts the page's grapheme arena first (harmless: the
 * page is about to go back to the pool) so only live grapheme words are kept.
 */
export function encodePage(p: Page): EncodedPage {
  if (p.graphemeUsed > 0) p.compactGraphemes();
  const cols = p.cols;
  const size = p.size;
  const st = p.styles;

  // Dense style ids: live ids (refs > 0) in id order become 1..n.
  if (styleMap.length < st.capacity) styleMap = new Uint16Array(st.capacity);
  styleMap.fill(0, 0, st.capacity);
  let nStyles = 0;
  for (let id = 1; id < st.capacity; id++) if (st.refs[id] > 0) styleMap[id] = ++nStyles;

  const out = need(bound(p, nStyles));
  const dv = new DataView(out.buffer, out.byteOffset, out.byteLength);
  let o = HEADER_WORDS * 4;

  // Pass 1: row table + stream A, and the extent of B and C.
  const rowsAt = o;
  o += size * 4;
  const stylesAt = o;
  o += nStyles * 20;
  const arenaAt = o;
  o += p.graphemeUsed * 4;
  const aAt = o;
  const content = p.content;
  const ids = p.styleIds;
  const packed = p.packed;
  let a = aAt;
  let lenB = 0;
  let lenC = 0;
  for (let r = 0; r < size; r++) {
    const base = p.rowStart(r);
    const flags = p.rowFlags[r];
    let used = Math.min(cols, p.extentOf(r));
    let high = 0;
    let styled = 0;
    if ((flags & ROW_HAS_STYLE) === 0) {
      // NOTE: the common row (plain text): without ROW_HAS_STYLE every id is 0, so the style
      // ids are never read; this is most of the cost of going cold on plain output.
      while (used > 0 && content[base + used - 1] === 0) used--;
      for (let x = 0; x < used; x++) {
        const w = content[base + x];
        out[a + x] = w;
        high |= w;
      }
      high = (high & CONTENT_MASK) >>> 8;
    } else if (packed) {
      // A packed word is 0 exactly when the cell is blank and unstyled.
      while (used > 0 && content[base + used - 1] === 0) used--;
      for (let x = 0; x < used; x++) {
        const w = content[base + x];
        out[a + x] = w;
        high |= w & CONTENT_MASK;
        styled |= w >>> STYLE_SHIFT;
      }
      high >>>= 8;
    } else {
      while (used > 0 && content[base + used - 1] === 0 && ids[base + used - 1] === 0) used--;
      for (let x = 0; x < used; x++) {
        const w = content[base + x];
        out[a + x] = w;
        high |= w;
        styled |= ids[base + x];
      }
      high >>>= 8;
    }
    a += used;
    const mode = (high !== 0 ? MODE_HIGH : 0) | (styled !== 0 ? MODE_STYLED : 0);
    if (high !== 0) lenB += used * 3;
    if (styled !== 0) lenC += used * 2;
    const ro = rowsAt + r * 4;
    out[ro] = flags;
    out[ro + 1] = mode;
    out[ro + 2] = used;
    out[ro + 3] = used >>> 8;
  }
  const lenA = a - aAt;

  // Pass 2: streams B and C for the rows that need them.
  let b = a;
  let c = a + lenB;
  for (let r = 0; r < size; r++) {
    const ro = rowsAt + r * 4;
    const mode = out[ro + 1];
    if (mode === 0) continue;
    const used = out[ro + 2] | (out[ro + 3] << 8);
    const base = p.rowStart(r);
    if ((mode & MODE_HIGH) !== 0) {
      for (let x = 0; x < used; x++) {
        const w = content[base + x] & CONTENT_MASK;
        out[b + x] = w >>> 8;
        out[b + used + x] = w >>> 16;
        out[b + 2 * used + x] = w >>> 24;
      }
      b += used * 3;
    }
    if ((mode & MODE_STYLED) !== 0) {
      for (let x = 0; x < used; x++) {
        const s = styleMap[packed ? content[base + x] >>> STYLE_SHIFT : ids[base + x]];
        out[c + x] = s;
        out[c + used + x] = s >>> 8;
      }
      c += used * 2;
    }
  }

  // Style records (with their reference counts) and the grapheme arena.
  let so = stylesAt;
  const rec = st.records;
  for (let id = 1; id < st.capacity; id++) {
    if (styleMap[id] === 0) continue;
    const ro = id * STYLE_WORDS;
    dv.setUint32(so, rec[ro], true);
    dv.setUint32(so + 4, rec[ro + 1], true);
    dv.setUint32(so + 8, rec[ro + 2], true);
    dv.setUint32(so + 12, rec[ro + 3], true);
    dv.setUint32(so + 16, st.refs[id], true);
    so += 20;
  }
  for (let k = 0; k < p.graphemeUsed; k++) dv.setUint32(arenaAt + k * 4, p.graphemes[k], true);

  const header = [MAGIC, size, cols, nStyles, p.graphemeUsed, lenA, lenB, lenC];
  for (let k = 0; k < HEADER_WORDS; k++) dv.setUint32(k * 4, header[k], true);
  return { raw: out.subarray(0, c), links: encodeLinks(p) };
}

/** The page's links as JSON with logical cell indexes and dense ids; null when it has none. */
function encodeLinks(p: Page): string | null {
  if (p.links.size === 0) return null;
  const cols = p.cols;
  // Physical slot → logical row, to rewrite physical cell indexes.
  const rowOfSlot = new Int32Array(p.capacity.rows).fill(-1);
  for (let r = 0; r < p.size; r++) rowOfSlot[p.rowSlot[r]] = r;
  const dense = new Map<number, number>();
  const enc: EncodedLinks = { t: [], c: [] };
  for (const [cell, k] of p.links) {
    const row = rowOfSlot[Math.floor(cell / cols)];
    const e = p.linkTable[k];
    // NOTE: only cells of used rows that still carry the bit are live; anything else would be
    // a stale entry, which the page itself would never read.
    if (row < 0 || e === undefined || (p.content[cell] & HYPERLINK_BIT) === 0) continue;
    let d = dense.get(k);
    if (d === undefined) {
      d = enc.t.length;
      dense.set(k, d);
      enc.t.push([e.uri, e.id, e.refs]);
    }
    enc.c.push(row * cols + (cell % cols), d);
  }
  return JSON.stringify(enc);
}

/**
 * The one reader of the byte form: the header, the style records, the grapheme arena, and the
 * rows in order, a row's cells decoded on demand. Restoring a page (decodePage), decoding one for
 * reads (decoded-page.ts) and reading a page's text (format/history-text.ts, history-find.ts) all
 * walk it, so the layout is read in one place.
 *
 *   const rows = new EncodedRows(raw);
 *   while (rows.next()) { rows.row, rows.flags, rows.used; rows.readContent(dst, at); ... }
 *
 * A row's cells past `used` are blank (content 0, style 0): the reader writes only [at, at + used).
 */
export class EncodedRows {
  readonly size: number;
  readonly cols: number;
  /** Style records: ids 1..styles. */
  readonly styles: number;
  readonly graphemeWords: number;
  readonly lenA: number;
  readonly rowsAt: number;
  readonly stylesAt: number;
  readonly arenaAt: number;
  /** Stream A starts here; B at aAt + lenA; C after B. */
  readonly aAt: number;
  /** The current row (-1 before the first next()), its flags, mode and stored cells. */
  row = -1;
  flags = 0;
  mode = 0;
  used = 0;
  /** Where the current row's cells start in streams A, B and C. */
  a: number;
  private b: number;
  private c: number;
  private readonly dv: DataView;
  private readonly bAt: number;
  private readonly cAt: number;

  constructor(readonly raw: Uint8Array) {
    const dv = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
    this.dv = dv;
    if (raw.byteLength < HEADER_WORDS * 4 || dv.getUint32(0, true) !== MAGIC) throw new Error('not an encoded page');
    this.size = dv.getUint32(4, true);
    this.cols = dv.getUint32(8, true);
    this.styles = dv.getUint32(12, true);
    this.graphemeWords = dv.getUint32(16, true);
    this.lenA = dv.getUint32(20, true);
    const lenB = dv.getUint32(24, true);
    this.rowsAt = HEADER_WORDS * 4;
    this.stylesAt = this.rowsAt + this.size * 4;
    this.arenaAt = this.stylesAt + this.styles * 20;
    this.aAt = this.arenaAt + this.graphemeWords * 4;
    this.bAt = this.aAt + this.lenA;
    this.cAt = this.bAt + lenB;
    this.a = this.aAt;
    this.b = this.bAt;
    this.c = this.cAt;
  }

  /** Back before the first row. */
  rewind(): void {
    this.row = -1;
    this.used = 0;
    this.mode = 0;
    this.a = this.aAt;
    this.b = this.bAt;
    this.c = this.cAt;
  }

  /** Moves to the next row; false past the last. */
  next(): boolean {
    const used = this.used;
    if (this.row >= 0) {
      this.a += used;
      if ((this.mode & MODE_HIGH) !== 0) this.b += used * 3;
      if ((this.mode & MODE_STYLED) !== 0) this.c += used * 2;
    }
    if (++this.row >= this.size) { this.used = 0; this.mode = 0; return false; }
    const raw = this.raw;
    const ro = this.rowsAt + this.row * 4;
    this.flags = raw[ro]!;
    this.mode = raw[ro + 1]!;
    this.used = raw[ro + 2]! | (raw[ro + 3]! << 8);
    return true;
  }

  /** The current row has a style other than the default. */
  get styled(): boolean { return (this.mode & MODE_STYLED) !== 0; }

  /** The current row's content words into dst[at, at + used). */
  readContent(dst: Uint32Array, at: number): void {
    const raw = this.raw;
    const used = this.used;
    const a = this.a;
    if ((this.mode & MODE_HIGH) === 0) {
      for (let x = 0; x < used; x++) dst[at + x] = raw[a + x]!;
    } else {
      const b = this.b;
      for (let x = 0; x < used; x++) {
        dst[at + x] = (raw[a + x]! | (raw[b + x]! << 8) | (raw[b + used + x]! << 16) | (raw[b + 2 * used + x]! << 24)) >>> 0;
      }
    }
  }

  /** A styled row's style ids into dst[at, at + used) (a split page's array, a decoded page's). */
  readStyleIds(dst: Uint16Array, at: number): void {
    const raw = this.raw;
    const used = this.used;
    const c = this.c;
    for (let x = 0; x < used; x++) dst[at + x] = raw[c + x]! | (raw[c + used + x]! << 8);
  }

  /** A styled row's style ids into the style bits of content words dst[at, at + used) (a packed page). */
  orStyleBits(dst: Uint32Array, at: number): void {
    const raw = this.raw;
    const used = this.used;
    const c = this.c;
    for (let x = 0; x < used; x++) dst[at + x] = (dst[at + x]! | ((raw[c + x]! | (raw[c + used + x]! << 8)) << STYLE_SHIFT)) >>> 0;
  }

  /** Field `f` (0 fg, 1 bg, 2 ul, 3 flags, 4 refs) of style record `k` (1..styles). */
  styleField(k: number, f: number): number {
    return this.dv.getUint32(this.stylesAt + (k - 1) * 20 + f * 4, true);
  }

  /** The grapheme arena into dst[0, graphemeWords). */
  readArena(dst: Uint32Array): void {
    const dv = this.dv;
    const at = this.arenaAt;
    for (let k = 0; k < this.graphemeWords; k++) dst[k] = dv.getUint32(at + k * 4, true);
  }
}

/**
 * NOTE: one reader kept alive for good (of an empty page's header). Readers live for one page;
 * when none was alive at a collection, V8 dropped their hidden class and threw away the optimised
 * code of every method that had seen it (--trace-deopt: "weak objects"), so the next reads ran
 * unoptimised: a search of compressed pages measured 25 ms instead of 6 in bench/history.ts.
 */
export const KEPT_READER = new EncodedRows(headerOnly());

function headerOnly(): Uint8Array {
  const raw = Buffer.alloc(HEADER_WORDS * 4); // a Buffer, as inflateRawSync gives: one map for `raw`
  new DataView(raw.buffer).setUint32(0, MAGIC, true);
  return raw;
}

/**
 * Rebuild page `p` (fresh from the pool: zeroed, empty, same capacity) from `raw` and `links`.
 * Rows land in identity slots; ids, refs, graphemes, flags and links are as encoded.
 */
export function decodePage(p: Page, raw: Uint8Array, links: string | null): void {
  const rows = new EncodedRows(raw);
  const { size, cols } = rows;
  if (cols !== p.cols || size > p.capacity.rows || p.size !== 0) throw new Error('encoded page does not fit its target');

  // Styles first, in order: a fresh table hands out ids 1..n, exactly the encoded ids.
  const st = p.styles;
  for (let k = 1; k <= rows.styles; k++) {
    const id = st.internFields(rows.styleField(k, 0), rows.styleField(k, 1), rows.styleField(k, 2), rows.styleField(k, 3));
    if (id !== k) throw new Error(`style table restore gave id ${id}, expected ${k}`);
    st.refs[k] = rows.styleField(k, 4);
  }
  rows.readArena(p.graphemes);
  p.graphemeUsed = rows.graphemeWords;

  const content = p.content;
  const packed = p.packed;
  while (rows.next()) {
    const r = rows.row;
    p.appendRow();
    p.rowFlags[r] = rows.flags;
    p.extendRow(r, rows.used);
    const base = p.rowStart(r);
    rows.readContent(content, base);
    if (rows.styled) {
      if (packed) rows.orStyleBits(content, base);
      else rows.readStyleIds(p.styleIds, base);
    }
  }

  if (links !== null) {
    const enc = JSON.parse(links) as EncodedLinks;
    for (let d = 0; d < enc.t.length; d++) {
      const [uri, id, refs] = enc.t[d];
      const k = p.internLink(uri, id);
      if (k !== d) throw new Error(`link table restore gave id ${k}, expected ${d}`);
      p.linkTable[k]!.refs = refs;
    }
    for (let j = 0; j < enc.c.length; j += 2) {
      const logical = enc.c[j];
      const row = Math.floor(logical / cols);
      p.links.set(p.rowStart(row) + (logical % cols), enc.c[j + 1]);
    }
  }
}
