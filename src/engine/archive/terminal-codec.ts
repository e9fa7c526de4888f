/**
 * A Terminal's readable state as bytes, and back: what an archive needs to serve the screen and
 * scrollback of a session whose program is gone (size, both screens, cursors, title, modes,
 * margins, tab stops, palette changes, and every page).
 *
 * Pages travel in the cold-page form of compressed-page.ts (page-codec.ts pre-transform + raw
 * deflate): a page already compressed in the list is copied as it is, a live one is compressed
 * once. Restoring does not inflate anything: the records are adopted by the new Terminal's
 * PageLists (`PageList.adopt`), held through the pool like any compressed page, and restored
 * into pages from the pool (standard, large or oversized, as recorded) only when a read reaches them.
 *
 * Layout (little-endian):
 *   0   magic   "TPTA" (4 bytes)
 *   4   version u8 (VERSION), 3 bytes reserved (0)
 *   8   body length u32
 *   12  crc32 of the body u32 (node:zlib)
 *   16  body:   meta length u32, meta JSON (UTF-8), then the page records back to back
 *               (their byte lengths are listed in the meta, in order: primary, then alt)
 *
 * The checksum and the exact length are checked before anything is parsed, so a truncated or
 * altered blob is refused with a TerminalCodecError instead of restoring garbage; the meta is
 * then validated field by field (the checksum guards against damage, not against a forger).
 */
import { crc32 } from 'node:zlib';
import { CompressedPage, compressPage } from '../page/compressed-page.js';
import { isLargeCapacity, isLegacyPooledCapacity, isSmallCapacity, isStandardCapacity, MAX_PAGE_ROWS, type Capacity } from '../page/capacity.js';
import type { PageList } from '../page/page-list.js';
import { Modes } from '../terminal/modes.js';
import { PALETTE_ENTRIES } from '../terminal/palette.js';
import { Cursor, Screen } from '../terminal/screen.js';
import type { Terminal } from '../terminal/terminal.js';

const MAGIC = 0x41545054; // "TPTA" read as a little-endian u32
const VERSION = 1;
const HEADER = 16;

/** A blob that is not a valid terminal archive (truncated, altered, other version). */
export class TerminalCodecError extends Error {
  override readonly name = 'TerminalCodecError';
}

interface CursorMeta {
  x: number; y: number; pendingWrap: boolean;
  style: [fg: number, bg: number, ul: number, flags: number];
  link: { id: string; uri: string } | null;
  charsets: number[]; gl: number; originMode: boolean;
}

interface PageMeta {
  kind: 'small' | 'standard' | 'large' | 'oversized';
  /** rows, styles, graphemeWords, links (cols is the terminal's). */
  cap: [number, number, number, number];
  size: number;
  links: string | null;
  bytes: number;
}

interface ScreenMeta {
  cursor: CursorMeta;
  saved: CursorMeta | null;
  headTrim: number;
  pages: PageMeta[];
}

/** The meta JSON: everything but the page bytes. */
export interface TerminalMeta {
  cols: number;
  rows: number;
  maxScrollback: number;
  title: string;
  cursorShape: number;
  bytesParsed: number;
  modes: Record<string, number | boolean>;
  margins: [top: number, bottom: number, left: number, right: number];
  tabs: number[];
  palette: [number, string][];
  dynamicColors: (string | null)[];
  altActive: boolean;
  primary: ScreenMeta;
  alt: ScreenMeta | null;
}

/** A decoded, verified blob: the meta and the page records, not yet owned by any pool. */
export interface DecodedTerminal {
  meta: TerminalMeta;
  primary: CompressedPage[];
  alt: CompressedPage[] | null;
}

// ------------------------------------------------------------------ encode

/**
 * The terminal's state as bytes. Reads only (apart from grapheme compaction of live pages, which
 * compressing does and which changes no cell): the terminal is as usable afterwards as before.
 */
export function encodeTerminal(t: Terminal): Uint8Array {
  const records: Uint8Array[] = [];
  const screen = (s: Screen): ScreenMeta => ({
    cursor: cursorMeta(s.cursor),
    saved: s.saved === null ? null : cursorMeta(s.saved),
    headTrim: s.list.headTrim,
    pages: s.list.pages.map((node) => {
      const rec = node.kind === 'compressed' ? node : compressPage(node);
      records.push(rec.bytes);
      const c = rec.capacity;
      return { kind: rec.pageKind, cap: [c.rows, c.styles, c.graphemeWords, c.links], size: rec.size, links: rec.links, bytes: rec.bytes.byteLength };
    }),
  });
  const tabs: number[] = [];
  for (let x = 0; x < t.tabs.length; x++) if (t.tabs[x] !== 0) tabs.push(x);
  const meta: TerminalMeta = {
    cols: t.cols,
    rows: t.rows,
    maxScrollback: t.maxScrollback,
    title: t.title,
    cursorShape: t.cursorShape,
    bytesParsed: t.bytesParsed,
    modes: { ...t.modes } as unknown as Record<string, number | boolean>,
    margins: [t.scrollTop, t.scrollBottom, t.leftMargin, t.rightMargin],
    tabs,
    palette: [...t.paletteOverrides],
    dynamicColors: Array.from(t.dynamicColors, (c) => c ?? null),
    altActive: t.altActive,
    primary: screen(t.primary),
    alt: t.alt === null ? null : screen(t.alt),
  };
  const json = Buffer.from(JSON.stringify(meta), 'utf8');
  let bodyLen = 4 + json.byteLength;
  for (const r of records) bodyLen += r.byteLength;
  const out = Buffer.alloc(HEADER + bodyLen);
  out.writeUInt32LE(MAGIC, 0);
  out.writeUInt8(VERSION, 4);
  out.writeUInt32LE(bodyLen, 8);
  let o = HEADER;
  out.writeUInt32LE(json.byteLength, o);
  o += 4;
  json.copy(out, o);
  o += json.byteLength;
  for (const r of records) {
    out.set(r, o);
    o += r.byteLength;
  }
  out.writeUInt32LE(crc32(out.subarray(HEADER)), 12);
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}

function cursorMeta(c: Cursor): CursorMeta {
  return {
    x: c.x, y: c.y, pendingWrap: c.pendingWrap,
    style: [c.style.fg, c.style.bg, c.style.ul, c.style.flags],
    link: c.link === null ? null : { id: c.link.id, uri: c.link.uri },
    charsets: c.charsets.slice(), gl: c.gl, originMode: c.originMode,
  };
}

// ------------------------------------------------------------------ decode

/** Verify and parse a blob; throws TerminalCodecError naming what is wrong. */
export function decodeTerminal(bytes: Uint8Array): DecodedTerminal {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.byteLength < HEADER) throw new TerminalCodecError(`terminal archive truncated: ${buf.byteLength} bytes, the header alone is ${HEADER}`);
  if (buf.readUInt32LE(0) !== MAGIC) throw new TerminalCodecError('not a terminal archive (bad magic)');
  const version = buf.readUInt8(4);
  if (version !== VERSION) throw new TerminalCodecError(`terminal archive version ${version} is not supported (expected ${VERSION})`);
  const bodyLen = buf.readUInt32LE(8);
  if (buf.byteLength !== HEADER + bodyLen) {
    throw new TerminalCodecError(`terminal archive truncated or padded: ${buf.byteLength} bytes, the header says ${HEADER + bodyLen}`);
  }
  const body = buf.subarray(HEADER);
  const want = buf.readUInt32LE(12);
  const got = crc32(body);
  if (got !== want) throw new TerminalCodecError(`terminal archive checksum mismatch (crc32 ${hex(got)}, recorded ${hex(want)}): the data is damaged`);
  if (body.byteLength < 4) throw new TerminalCodecError('terminal archive body too short');
  const jsonLen = body.readUInt32LE(0);
  if (4 + jsonLen > body.byteLength) throw new TerminalCodecError('terminal archive meta runs past the end');
  let meta: TerminalMeta;
  try {
    meta = JSON.parse(body.subarray(4, 4 + jsonLen).toString('utf8')) as TerminalMeta;
  } catch (err) {
    throw new TerminalCodecError(`terminal archive meta is not JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
  checkMeta(meta);
  let o = 4 + jsonLen;
  const records = (s: ScreenMeta): CompressedPage[] => s.pages.map((p, i) => {
    if (o + p.bytes > body.byteLength) throw new TerminalCodecError(`terminal archive page ${i} runs past the end`);
    // Own ArrayBuffer per record (as compressPage makes them): the audit counts exact bytes.
    const b = new Uint8Array(p.bytes);
    b.set(body.subarray(o, o + p.bytes));
    o += p.bytes;
    const cap: Capacity = { cols: meta.cols, rows: p.cap[0], styles: p.cap[1], graphemeWords: p.cap[2], links: p.cap[3] };
    // A pooled page of a class as it was before standard pages were packed (capacity.ts).
    if ((p.kind === 'standard' || p.kind === 'large') && isLegacyPooledCapacity(p.kind, cap)) return new CompressedPage(b, cap, 'oversized', p.size, p.links);
    if (p.kind === 'standard' && !isStandardCapacity(cap)) throw new TerminalCodecError(`terminal archive page ${i}: standard page with a non-standard capacity`);
    if (p.kind === 'small' && !isSmallCapacity(cap)) throw new TerminalCodecError(`terminal archive page ${i}: small page with a capacity not of the small class`);
    if (p.kind === 'large' && !isLargeCapacity(cap)) throw new TerminalCodecError(`terminal archive page ${i}: large page with a capacity not of the large class`);
    return new CompressedPage(b, cap, p.kind, p.size, p.links);
  });
  const primary = records(meta.primary);
  const alt = meta.alt === null ? null : records(meta.alt);
  if (o !== body.byteLength) throw new TerminalCodecError(`terminal archive has ${body.byteLength - o} bytes after its last page`);
  return { meta, primary, alt };
}

/**
 * Make `t` (fresh: same cols, rows and scrollback limit as the meta, on the pool to use) show
 * the decoded state, and seal it read-only. Its current pages go back to the pool; the records
 * become its pages (see the file header). On failure `t` is left as it was apart from pages
 * already adopted, which `t.dispose()` releases.
 */
export function applyTerminal(t: Terminal, d: DecodedTerminal): void {
  const m = d.meta;
  if (t.cols !== m.cols || t.rows !== m.rows || t.maxScrollback !== m.maxScrollback) {
    throw new TerminalCodecError(`restore target is ${t.cols}x${t.rows}/${t.maxScrollback}, the archive ${m.cols}x${m.rows}/${m.maxScrollback}`);
  }
  adoptInto(t.primary.list, d.primary, m.primary.headTrim);
  applyCursors(t.primary, m.primary);
  if (m.alt !== null && d.alt !== null) {
    t.alt = new Screen(t.pool, t.label, t.cols, t.rows, 0);
    adoptInto(t.alt.list, d.alt, m.alt.headTrim);
    applyCursors(t.alt, m.alt);
  }
  t.active = m.altActive && t.alt !== null ? t.alt : t.primary;
  const fresh = new Modes() as unknown as Record<string, number | boolean>;
  const modes = t.modes as unknown as Record<string, number | boolean>;
  for (const k of Object.keys(fresh)) {
    const v = m.modes[k];
    if (typeof v === typeof fresh[k]) modes[k] = v!;
  }
  [t.scrollTop, t.scrollBottom, t.leftMargin, t.rightMargin] = m.margins;
  t.tabs.fill(0);
  for (const x of m.tabs) t.tabs[x] = 1;
  t.title = m.title;
  t.cursorShape = m.cursorShape;
  t.bytesParsed = m.bytesParsed;
  t.paletteOverrides = new Map(m.palette);
  t.dynamicColors = m.dynamicColors.map((c) => c ?? undefined);
  t.seal();
}

function adoptInto(list: PageList, records: CompressedPage[], headTrim: number): void {
  try {
    list.adopt(records, headTrim);
  } catch (err) {
    throw new TerminalCodecError(`terminal archive does not describe a valid screen: ${err instanceof Error ? err.message : String(err)}`);
  }
}

function applyCursors(s: Screen, m: ScreenMeta): void {
  setCursor(s.cursor, m.cursor);
  if (m.saved !== null) {
    s.saved = new Cursor();
    setCursor(s.saved, m.saved);
  }
}

function setCursor(c: Cursor, m: CursorMeta): void {
  c.x = m.x; c.y = m.y; c.pendingWrap = m.pendingWrap;
  [c.style.fg, c.style.bg, c.style.ul, c.style.flags] = m.style;
  c.link = m.link;
  c.charsets = m.charsets.slice();
  c.gl = m.gl;
  c.originMode = m.originMode;
}

// ------------------------------------------------------------------ validation

const isInt = (v: unknown, lo: number, hi: number): v is number => Number.isInteger(v) && (v as number) >= lo && (v as number) <= hi;

function fail(what: string): never {
  throw new TerminalCodecError(`terminal archive meta: ${what}`);
}

function checkMeta(m: TerminalMeta): void {
  if (typeof m !== 'object' || m === null) fail('not an object');
  if (!isInt(m.cols, 1, 4096) || !isInt(m.rows, 1, 4096)) fail('bad size');
  if (!isInt(m.maxScrollback, 0, 2 ** 31)) fail('bad scrollback limit');
  if (typeof m.title !== 'string' || !isInt(m.cursorShape, 0, 255) || !isInt(m.bytesParsed, 0, Number.MAX_SAFE_INTEGER)) fail('bad title, cursor shape or byte count');
  if (typeof m.modes !== 'object' || m.modes === null) fail('bad modes');
  if (!Array.isArray(m.margins) || m.margins.length !== 4) fail('bad margins');
  const [top, bottom, left, right] = m.margins;
  if (!isInt(top, 0, m.rows - 1) || !isInt(bottom, top, m.rows - 1) || !isInt(left, 0, m.cols - 1) || !isInt(right, left, m.cols - 1)) fail('margins outside the screen');
  if (!Array.isArray(m.tabs) || !m.tabs.every((x) => isInt(x, 0, m.cols - 1))) fail('bad tab stops');
  if (!Array.isArray(m.palette) || !m.palette.every((e) => Array.isArray(e) && isInt(e[0], 0, PALETTE_ENTRIES - 1) && typeof e[1] === 'string')) fail('bad palette');
  if (!Array.isArray(m.dynamicColors) || !m.dynamicColors.every((c) => c === null || typeof c === 'string')) fail('bad dynamic colours');
  if (typeof m.altActive !== 'boolean') fail('bad alternate-screen flag');
  checkScreen(m, m.primary, 'primary');
  if (m.alt !== null) checkScreen(m, m.alt, 'alt');
  if (m.altActive && m.alt === null) fail('alternate screen active but missing');
}

function checkScreen(m: TerminalMeta, s: ScreenMeta, name: string): void {
  if (typeof s !== 'object' || s === null) fail(`${name} screen missing`);
  checkCursor(m, s.cursor, `${name} cursor`);
  if (s.saved !== null) checkCursor(m, s.saved, `${name} saved cursor`);
  if (!isInt(s.headTrim, 0, MAX_PAGE_ROWS) || !Array.isArray(s.pages) || s.pages.length === 0) fail(`${name} pages missing`);
  for (const p of s.pages) {
    if (typeof p !== 'object' || p === null || (p.kind !== 'small' && p.kind !== 'standard' && p.kind !== 'large' && p.kind !== 'oversized')) fail(`${name} page of unknown kind`);
    if (!Array.isArray(p.cap) || p.cap.length !== 4 || !isInt(p.cap[0], 1, MAX_PAGE_ROWS) || !isInt(p.cap[1], 1, 0xffff) ||
        !isInt(p.cap[2], 0, 0x1fffff) || !isInt(p.cap[3], 0, 0xffffff)) fail(`${name} page capacity out of range`);
    if (!isInt(p.size, 0, p.cap[0]) || !isInt(p.bytes, 0, 2 ** 31) || (p.links !== null && typeof p.links !== 'string')) fail(`${name} page fields out of range`);
  }
}

function checkCursor(m: TerminalMeta, c: CursorMeta, name: string): void {
  if (typeof c !== 'object' || c === null || !isInt(c.x, 0, m.cols - 1) || !isInt(c.y, 0, m.rows - 1)) fail(`${name} outside the screen`);
  if (typeof c.pendingWrap !== 'boolean' || typeof c.originMode !== 'boolean' || !isInt(c.gl, 0, 3)) fail(`${name} flags`);
  if (!Array.isArray(c.style) || c.style.length !== 4 || !c.style.every((v) => isInt(v, 0, 0xffffffff))) fail(`${name} style`);
  if (!Array.isArray(c.charsets) || c.charsets.length !== 4 || !c.charsets.every((v) => isInt(v, 0, 2))) fail(`${name} charsets`);
  if (c.link !== null && (typeof c.link !== 'object' || typeof c.link.id !== 'string' || typeof c.link.uri !== 'string')) fail(`${name} link`);
}

function hex(n: number): string {
  return n.toString(16).padStart(8, '0');
}
