/**
 * Lines of a JSON snapshot written straight as JSON bytes (issue 27): the UTF-8 of
 * `linesJson(...).map((l) => JSON.stringify(l)).join(',')` without a CellJson object per cell,
 * without a string per cell, and without restoring compressed pages. Building and stringifying
 * the objects cost ~3 s for 10,000 lines of 80 columns (800,000 cells, 27 MB of JSON), most of it
 * the garbage collector; strings concatenated from cached fragments then cost ~2.7 s more when
 * Node flattened the rope to write it. Here a cell's JSON is written from byte fragments: the
 * common cell (narrow, one printable ASCII code point, no link) is `{"text":"` + the character +
 * a fragment per style index. Compressed pages are read through a DecodedPage (the reader keeps
 * the last one, so a page read window by window is inflated once).
 *
 * NOTE: key order and escaping must stay exactly JSON.stringify's of the LineJson/CellJson
 * objects text.ts builds: text, wrapped, cells, size; text, width, style, link.
 */
import { CP_MASK, GRAPHEME_BIT, HYPERLINK_BIT, ROW_SIZE_MASK, ROW_SIZE_SHIFT, ROW_WRAPPED, Wide, WIDTH_MASK, WIDTH_SHIFT } from '../page/cell.js';
import type { CompressedPage } from '../page/compressed-page.js';
import { DecodedPage } from '../page/decoded-page.js';
import type { PageList } from '../page/page-list.js';
import type { Page } from '../page/page.js';
import { StyleValue } from '../page/style-table.js';
import { asciiBytes, ByteSink } from './byte-sink.js';
import { eachHistoryPage, type HistoryNodes } from './history-text.js';
import { trimmedEnd, wordsText } from './row-text.js';
import type { SnapshotTables } from './text.js';

const LINE_SIZES = ['', 'double-width', 'double-height-top', 'double-height-bottom'];
const WIDTHS = [1, 2, 0, 1]; // by Wide: narrow, wide head, spacer tail, spacer head

/**
 * One page's rows as the writer reads them: a live page, or a compressed one decoded, or a frozen
 * copy. NOTE: one class with plain fields, filled again for each page (no closures per page): an
 * optimised writeRow that had inlined one page's closure was thrown away when that closure was
 * collected (V8 --trace-deopt: "weak objects"), once or more every read.
 */
class Rows {
  content: Uint32Array = new Uint32Array(0);
  styleIds: Uint16Array = new Uint16Array(0);
  graphemes: Uint32Array = new Uint32Array(0);
  /** Style fields at id * 4 (id 0 is read as the default whatever it holds). */
  records: Uint32Array = new Uint32Array(0);
  /** Style ids are below this. */
  styleSlots = 0;
  flags: Uint8Array = new Uint8Array(0);
  cols = 0;
  /** A live page's row slots (row r starts at slots[r] * cols), or null: row r at r * cols. */
  slots: Uint16Array | null = null;
  private page: Page | null = null;
  private decoded: DecodedPage | null = null;

  live(p: Page): this {
    this.content = p.content; this.styleIds = p.styleIdArray(); this.graphemes = p.graphemes;
    this.records = p.styles.records; this.styleSlots = p.styles.capacity; this.flags = p.rowFlags;
    this.cols = p.cols; this.slots = p.rowSlot; this.page = p; this.decoded = null;
    return this;
  }

  flat(d: DecodedPage): this {
    this.content = d.content; this.styleIds = d.styleIds; this.graphemes = d.graphemes;
    this.records = d.records; this.styleSlots = d.styleCount + 1; this.flags = d.rowFlags;
    this.cols = d.cols; this.slots = null; this.page = null; this.decoded = d;
    return this;
  }

  base(r: number): number {
    return this.slots === null ? r * this.cols : this.slots[r]! * this.cols;
  }

  link(i: number): string | undefined {
    return this.page !== null ? this.page.linkOf(i)?.uri : this.decoded!.links.get(i);
  }
}

/** NOTE: one kept alive for good, for the reason page-codec.ts's KEPT_READER gives. */
export const KEPT_ROWS = new Rows();

/**
 * Reads history rows page by page for a JSON snapshot: the tables' style index of each page-local
 * style id is looked up once a page, and the last compressed page stays decoded (every compressed
 * page read stays decoded with `keepDecoded`: a frozen read scans, then writes, each page).
 */
export class JsonRowsReader {
  private readonly decoded = new DecodedPage();
  private readonly kept: Map<CompressedPage, DecodedPage> | null;
  private readonly sv = new StyleValue();
  private readonly current = new Rows();
  /** Table style index by page-local id, -1 unknown; valid for `indexFor` only. */
  private index = new Int32Array(256);
  private indexFor: Page | CompressedPage | DecodedPage | null = null;

  constructor(private readonly list: HistoryNodes, readonly tables: SnapshotTables, keepDecoded = false) {
    this.kept = keepDecoded ? new Map() : null;
  }

  /** Bytes of the compressed pages kept decoded. */
  get keptBytes(): number {
    let n = 0;
    for (const d of this.kept?.values() ?? []) n += d.byteLength;
    return n;
  }

  /** Adds the styles and links of history rows [from, to) to the tables, in snapshot order. */
  scan(from: number, to: number): void {
    eachHistoryPage(this.list, from, to, (node, r0, r1) => {
      const rows = this.rows(node);
      const { content, styleIds, cols } = rows;
      for (let r = r0; r < r1; r++) {
        const base = rows.base(r);
        let lastId = -1;
        for (let i = base; i < base + cols; i++) {
          const id = styleIds[i]!;
          if (id !== lastId) { this.styleIndex(rows, id); lastId = id; }
          if ((content[i]! & HYPERLINK_BIT) !== 0) {
            const uri = rows.link(i);
            if (uri !== undefined) this.tables.link(uri);
          }
        }
      }
    });
  }

  /** Writes history rows [from, to) as JSON lines, comma-separated, to `out` (adding to the tables as it goes). */
  write(from: number, to: number, out: ByteSink): void {
    let first = true;
    eachHistoryPage(this.list, from, to, (node, r0, r1) => {
      const rows = this.rows(node);
      for (let r = r0; r < r1; r++) {
        if (!first) { out.ensure(1); out.byte(0x2c); }
        first = false;
        this.writeRow(rows, r, out);
      }
    });
  }

  private rows(node: Page | CompressedPage | DecodedPage): Rows {
    let rows: Rows;
    if (node.kind === 'compressed') {
      let d = this.kept?.get(node);
      if (d === undefined) {
        if (this.kept !== null) this.kept.set(node, d = new DecodedPage().read(node));
        else d = this.decoded.read(node);
      }
      rows = this.current.flat(d);
    } else if (node.kind === 'decoded') rows = this.current.flat(node);
    else rows = this.current.live(node);
    if (this.indexFor !== node) {
      if (this.index.length < rows.styleSlots) this.index = new Int32Array(rows.styleSlots);
      this.index.fill(-1, 0, rows.styleSlots);
      this.indexFor = node;
    }
    return rows;
  }

  private styleIndex(rows: Rows, id: number): number {
    let k = this.index[id]!;
    if (k >= 0) return k;
    const sv = this.sv;
    if (id === 0) sv.reset();
    else {
      const o = id * 4;
      sv.fg = rows.records[o]!; sv.bg = rows.records[o + 1]!; sv.ul = rows.records[o + 2]!; sv.flags = rows.records[o + 3]!;
    }
    k = this.tables.style(sv);
    this.index[id] = k;
    return k;
  }

  private writeRow(rows: Rows, r: number, out: ByteSink): void {
    const { content, styleIds, cols } = rows;
    const base = rows.base(r);
    const flags = rows.flags[r]!;
    out.bytes(LINE_TEXT);
    writeRowText(rows, base, out);
    out.bytes((flags & ROW_WRAPPED) !== 0 ? WRAPPED_TRUE : WRAPPED_FALSE);
    // Every cell is written after a comma; the first one's comma becomes the array's '['.
    const open = out.n;
    let x = 0;
    while (x < cols) {
      const i = base + x;
      const w = content[i]!;
      const id = styleIds[i]!;
      const style = this.styleIndex(rows, id);
      const kind = fastKind(w);
      if (kind === SLOW) {
        out.ensure(1);
        out.byte(0x2c);
        this.writeCell(rows, i, w, style, out);
        x++;
        continue;
      }
      // A run of cells of one style and one fragment: written as copies of the first.
      let x1 = x + 1;
      while (x1 < cols && styleIds[base + x1] === id && fastKind(content[base + x1]!) === kind) x1++;
      writeRun(fragmentsOf(style)[kind]!, kind === CHAR, content, base + x, x1 - x, out);
      x = x1;
    }
    out.buf[open] = 0x5b;
    const size = (flags & ROW_SIZE_MASK) >>> ROW_SIZE_SHIFT;
    out.bytes(size === 0 ? LINE_END : LINE_END_SIZE[size]!);
  }

  /** Any cell: its text through JSON.stringify, its link looked up. */
  private writeCell(rows: Rows, i: number, w: number, style: number, out: ByteSink): void {
    const wide = (w & WIDTH_MASK) >>> WIDTH_SHIFT;
    let text = '';
    if (wide !== Wide.SpacerTail && wide !== Wide.SpacerHead) {
      if ((w & GRAPHEME_BIT) !== 0) {
        const off = w & CP_MASK;
        const len = rows.graphemes[off]!;
        cps.length = 0;
        for (let k = 1; k <= len; k++) cps.push(rows.graphemes[off + k]!);
        text = String.fromCodePoint(...cps);
      } else if ((w & CP_MASK) !== 0) text = String.fromCodePoint(w & CP_MASK);
    }
    let link = -1;
    if ((w & HYPERLINK_BIT) !== 0) {
      const uri = rows.link(i);
      if (uri !== undefined) link = this.tables.link(uri);
    }
    out.string(`{"text":${JSON.stringify(text)},"width":${WIDTHS[wide]},"style":${style}${link >= 0 ? `,"link":${link}` : ''}}`);
  }
}

const cps: number[] = [];

/** A row's text as a JSON string: bytes straight from printable ASCII cells, else JSON.stringify. */
function writeRowText(rows: Rows, base: number, out: ByteSink): void {
  const content = rows.content;
  const end = trimmedEnd(content, base, rows.cols);
  let plain = true;
  for (let x = 0; x < end; x++) {
    const w = content[base + x]!;
    // Narrow, no grapheme, printable ASCII or empty (a space); flags like the link bit do not show.
    const cp = w & CP_MASK;
    if ((w & (GRAPHEME_BIT | WIDTH_MASK)) !== 0 || (cp !== 0 && (cp < 0x20 || cp >= 0x7f || cp === 0x22 || cp === 0x5c))) { plain = false; break; }
  }
  if (!plain) { out.string(JSON.stringify(wordsText(content, base, 0, end, rows.graphemes, ' '))); return; }
  out.ensure(end + 2);
  out.byte(0x22);
  for (let x = 0; x < end; x++) {
    const cp = content[base + x]! & CP_MASK;
    out.byte(cp === 0 ? 0x20 : cp);
  }
  out.byte(0x22);
}

const LINE_TEXT = asciiBytes('{"text":');
const WRAPPED_TRUE = asciiBytes(',"wrapped":true,"cells":');
const WRAPPED_FALSE = asciiBytes(',"wrapped":false,"cells":');
const LINE_END = asciiBytes(']}');
const LINE_END_SIZE = LINE_SIZES.map((s) => asciiBytes(`],"size":"${s}"}`));

/** How a cell is written: SLOW through writeCell, else as its style's fragment of that kind. */
const SLOW = -1;
/** Narrow, one printable ASCII code point that needs no escape: `,{"text":"c","width":1,"style":N}`. */
const CHAR = 0;
/** Narrow and empty, or a spacer head: `,{"text":"","width":1,"style":N}`. */
const EMPTY = 1;
/** A spacer tail: `,{"text":"","width":0,"style":N}`. */
const TAIL = 2;
/** Where a CHAR fragment's character goes. */
const CHAR_AT = 10;

function fastKind(w: number): number {
  if ((w & (GRAPHEME_BIT | HYPERLINK_BIT)) !== 0) return SLOW;
  const wide = (w & WIDTH_MASK) >>> WIDTH_SHIFT;
  if (wide === Wide.Narrow) {
    const cp = w & CP_MASK;
    if (cp >= 0x20 && cp < 0x7f && cp !== 0x22 && cp !== 0x5c) return CHAR;
    return cp === 0 ? EMPTY : SLOW;
  }
  if (wide === Wide.SpacerTail) return TAIL;
  return wide === Wide.SpacerHead ? EMPTY : SLOW;
}

/**
 * `k` cells from content index `i`, all of fragment `f`: the fragment once, then doubled with
 * copyWithin (a native copy: ~log2(k) calls instead of k × 33 byte stores), then each CHAR cell's
 * character written into its copy.
 */
function writeRun(f: Uint8Array, chars: boolean, content: Uint32Array, i: number, k: number, out: ByteSink): void {
  const len = f.length;
  out.ensure(k * len);
  const buf = out.buf;
  const n = out.n;
  for (let j = 0; j < len; j++) buf[n + j] = f[j]!;
  for (let done = 1; done < k;) {
    const c = Math.min(done, k - done);
    buf.copyWithin(n + done * len, n, n + c * len);
    done += c;
  }
  if (chars) for (let j = 0; j < k; j++) buf[n + j * len + CHAR_AT] = content[i + j]! & 0x7f;
  out.n = n + k * len;
}

/**
 * Fragments by style index, by kind (CHAR, EMPTY, TAIL). NOTE: module cache: a fragment depends
 * on the index only, so it is valid for every read; kept for the first CACHED_STYLES indexes
 * (beyond, built per run of cells).
 */
const fragmentCache: Uint8Array[][] = [];
const CACHED_STYLES = 4096;

function fragmentsOf(style: number): Uint8Array[] {
  let f = fragmentCache[style];
  if (f !== undefined) return f;
  f = [
    asciiBytes(`,{"text":" ","width":1,"style":${style}}`),
    asciiBytes(`,{"text":"","width":1,"style":${style}}`),
    asciiBytes(`,{"text":"","width":0,"style":${style}}`),
  ];
  if (style < CACHED_STYLES) fragmentCache[style] = f;
  return f;
}

/** JSON text of history lines [from, to) of `list`, comma-separated (no brackets). */
export function linesJsonText(list: PageList, from: number, to: number, tables: SnapshotTables): string {
  const out = new ByteSink();
  new JsonRowsReader(list, tables).write(from, to, out);
  return out.takeAll().toString('utf8');
}
