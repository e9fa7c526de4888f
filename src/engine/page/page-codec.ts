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
 * Rebuild page `p` (fresh from the pool: zeroed, empty, same capacity) from `raw` and `links`.
 * Rows land in identity slots; ids, refs, graphemes, flags and links are as encoded.
 */
export function decodePage(p: Page, raw: Uint8Array, links: string | null): void {
  const dv = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const h = (k: number) => dv.getUint32(k * 4, true);
  if (h(0) !== MAGIC) throw new Error('not an encoded page');
  const size = h(1);
  const cols = h(2);
  const nStyles = h(3);
  const graphemeWords = h(4);
  const lenA = h(5);
  const lenB = h(6);
  if (cols !== p.cols || size > p.capacity.rows || p.size !== 0) throw new Error('encoded page does not fit its target');

  let o = HEADER_WORDS * 4;
  const rowsAt = o;
  o += size * 4;
  // Styles first, in order: a fresh table hands out ids 1..n, exactly the encoded ids.
  const st = p.styles;
  for (let k = 1; k <= nStyles; k++) {
    const id = st.internFields(dv.getUint32(o, true), dv.getUint32(o + 4, true), dv.getUint32(o + 8, true), dv.getUint32(o + 12, true));
    if (id !== k) throw new Error(`style table restore gave id ${id}, expected ${k}`);
    st.refs[k] = dv.getUint32(o + 16, true);
    o += 20;
  }
  for (let k = 0; k < graphemeWords; k++) p.graphemes[k] = dv.getUint32(o + k * 4, true);
  p.graphemeUsed = graphemeWords;
  o += graphemeWords * 4;

  const content = p.content;
  const ids = p.styleIds;
  let a = o;
  let b = o + lenA;
  let c = b + lenB;
  for (let r = 0; r < size; r++) {
    const ro = rowsAt + r * 4;
    const mode = raw[ro + 1];
    const used = dv.getUint16(ro + 2, true);
    p.appendRow();
    p.rowFlags[r] = raw[ro];
    p.extendRow(r, used);
    const base = p.rowStart(r);
    if ((mode & MODE_HIGH) === 0) {
      for (let x = 0; x < used; x++) content[base + x] = raw[a + x];
    } else {
      for (let x = 0; x < used; x++) {
        content[base + x] = (raw[a + x] | (raw[b + x] << 8) | (raw[b + used + x] << 16) | (raw[b + 2 * used + x] << 24)) >>> 0;
      }
      b += used * 3;
    }
    a += used;
    if ((mode & MODE_STYLED) !== 0) {
      if (p.packed) for (let x = 0; x < used; x++) content[base + x] |= (raw[c + x] | (raw[c + used + x] << 8)) << STYLE_SHIFT;
      else for (let x = 0; x < used; x++) ids[base + x] = raw[c + x] | (raw[c + used + x] << 8);
      c += used * 2;
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
