/**
 * Page capacities and the byte layout of a page's single ArrayBuffer.
 *
 * Pages come in two pooled size classes and one unpooled kind:
 *   standard  STANDARD_PAGE_BYTES (128 KiB), 128 styles: plain and lightly coloured output.
 *   large     LARGE_PAGE_BYTES (256 KiB), 4,096 styles: colourful output (a style per word).
 *   oversized sized for the need (very wide rows, more graphemes or links, more styles than
 *             the large class): a fresh allocation, freed on release.
 * A pooled page's row count is derived from the terminal's column count (Ghostty's
 * `Capacity.adjust`), so one pool serves terminals of any width.
 *
 * Why a large class rather than more styles per standard page (issue 27; node
 * /tmp/j27/measure.mjs over 8 MiB of each input at 80x24): live styles per full page are
 * p50 4 / max 321 on `git log -p --color`, max 5 on `ls -laR --color /usr`, 0 on plain, but
 * 1,925–2,036 on the styled corpus (a random 16/256/RGB colour per word), whose 142 of 143
 * pages were oversized. 4,096 styles cost 100 KiB (a record, a count and two buckets: 24 B
 * each), 80 % of a standard page: giving them to every page would nearly double plain
 * scrollback. The large class holds 330 rows at 80 columns (~2,600 styles at the styled
 * corpus' rate, 1.6x headroom below 4,096) and is recycled like standard pages, each class on
 * its own free list.
 *
 * Buffer layout (offsets grow downwards; 4-byte regions first so every view is aligned):
 *   content     Uint32[rows*cols]      cell content words (cell.ts)
 *   styleRecs   Uint32[styles*4]       style records (style-table.ts)
 *   styleRefs   Uint32[styles]         style reference counts
 *   graphemes   Uint32[graphemeWords]  grapheme arena: [len, cp0, cp1, ...] entries
 *   styleIds    Uint16[rows*cols]      cell style ids
 *   buckets     Uint16[bucketCount]    style hash index
 *   rowSlot     Uint16[rows]           logical row -> physical slot (cheap region scrolls)
 *   rowFlags    Uint8[rows]            ROW_* flags
 */
import { CELL_BYTES } from './cell.js';
import { bucketCountFor, STYLE_WORDS } from './style-table.js';

export interface Capacity {
  readonly cols: number;
  readonly rows: number;
  readonly styles: number;
  readonly graphemeWords: number;
  /** Distinct hyperlinks (OSC 8) the page can hold. */
  readonly links: number;
}

export const STANDARD_PAGE_BYTES = 128 * 1024;
export const STANDARD_STYLES = 128;
export const STANDARD_GRAPHEME_WORDS = 1024;
export const STANDARD_LINKS = 64;
/** The large pooled class: as standard, with room for colourful output's styles. */
export const LARGE_PAGE_BYTES = 256 * 1024;
export const LARGE_STYLES = 4096;
/** A standard page must hold at least this many rows; wider terminals get oversized pages. */
export const MIN_PAGE_ROWS = 16;
/** Row slots are Uint16. */
export const MAX_PAGE_ROWS = 0xffff;

export interface Layout {
  readonly content: number;
  readonly styleRecs: number;
  readonly styleRefs: number;
  readonly graphemes: number;
  readonly styleIds: number;
  readonly buckets: number;
  readonly bucketCount: number;
  readonly rowSlot: number;
  readonly rowFlags: number;
  readonly total: number;
}

export function layoutFor(cap: Capacity): Layout {
  const cells = cap.rows * cap.cols;
  const bucketCount = bucketCountFor(cap.styles);
  let o = 0;
  const content = o; o += cells * 4;
  const styleRecs = o; o += cap.styles * STYLE_WORDS * 4;
  const styleRefs = o; o += cap.styles * 4;
  const graphemes = o; o += cap.graphemeWords * 4;
  const styleIds = o; o += cells * 2;
  const buckets = o; o += bucketCount * 2;
  const rowSlot = o; o += cap.rows * 2;
  const rowFlags = o; o += cap.rows;
  const total = (o + 7) & ~7;
  return { content, styleRecs, styleRefs, graphemes, styleIds, buckets, bucketCount, rowSlot, rowFlags, total };
}

/** Bytes of everything but the rows, for the standard budget. */
function fixedBytes(styles: number, graphemeWords: number): number {
  return styles * (STYLE_WORDS * 4 + 4) + graphemeWords * 4 + bucketCountFor(styles) * 2 + 8;
}

function rowBytes(cols: number): number {
  return cols * CELL_BYTES + 3;
}

/**
 * The standard capacity for `cols` columns, or null when a standard page cannot hold
 * MIN_PAGE_ROWS rows of that width (the terminal then lives on oversized pages).
 */
export function standardCapacity(cols: number): Capacity | null {
  return pooledCapacity(cols, STANDARD_PAGE_BYTES, STANDARD_STYLES);
}

/**
 * The large class's capacity for `cols` columns, or null when it cannot hold as many rows as
 * the standard class at that width (a page grown from a standard one must keep every row).
 */
export function largeCapacity(cols: number): Capacity | null {
  const std = standardCapacity(cols);
  const cap = pooledCapacity(cols, LARGE_PAGE_BYTES, LARGE_STYLES);
  return std === null || cap === null || cap.rows < std.rows ? null : cap;
}

function pooledCapacity(cols: number, bytes: number, styles: number): Capacity | null {
  const avail = bytes - fixedBytes(styles, STANDARD_GRAPHEME_WORDS);
  const rows = Math.min(MAX_PAGE_ROWS, Math.floor(avail / rowBytes(cols)));
  if (rows < MIN_PAGE_ROWS) return null;
  const cap = { cols, rows, styles, graphemeWords: STANDARD_GRAPHEME_WORDS, links: STANDARD_LINKS };
  // NOTE: rounding can only lose bytes, never exceed the budget; assert it once per call.
  if (layoutFor(cap).total > bytes) throw new Error(`pooled layout overflow at ${cols} cols (${bytes} bytes)`);
  return cap;
}

function sameCapacity(a: Capacity, b: Capacity | null): boolean {
  return b !== null && a.cols === b.cols && a.rows === b.rows && a.styles === b.styles &&
    a.graphemeWords === b.graphemeWords && a.links === b.links;
}

/** Whether `cap` is exactly what a standard page of its width has. */
export function isStandardCapacity(cap: Capacity): boolean {
  return sameCapacity(cap, standardCapacity(cap.cols));
}

/** Whether `cap` is exactly what a large page of its width has. */
export function isLargeCapacity(cap: Capacity): boolean {
  return sameCapacity(cap, largeCapacity(cap.cols));
}

/** Whether a large page of `cols` columns holds at least `need` (styles, graphemes, links, rows). */
export function largeFits(cols: number, need: Partial<Omit<Capacity, 'cols'>>): boolean {
  const cap = largeCapacity(cols);
  return cap !== null && (need.rows ?? 0) <= cap.rows && (need.styles ?? 0) <= cap.styles &&
    (need.graphemeWords ?? 0) <= cap.graphemeWords && (need.links ?? 0) <= cap.links;
}

/** Capacity for a page that must hold at least these amounts (oversized allocation). */
export function oversizedCapacity(cols: number, need: Partial<Omit<Capacity, 'cols'>>): Capacity {
  const std = standardCapacity(cols);
  return {
    cols,
    rows: Math.min(MAX_PAGE_ROWS, Math.max(need.rows ?? 0, std?.rows ?? MIN_PAGE_ROWS)),
    styles: Math.min(0xffff, Math.max(need.styles ?? 0, STANDARD_STYLES)),
    graphemeWords: Math.min(CP_LIMIT, Math.max(need.graphemeWords ?? 0, STANDARD_GRAPHEME_WORDS)),
    links: Math.max(need.links ?? 0, STANDARD_LINKS),
  };
}

/** Rows a page must have written before its style use so far is taken as its rate. */
export const MIN_ROWS_TO_PROJECT = 8;
/** One growth multiplies a page's style capacity by this much at most. */
export const MAX_STYLE_GROWTH = 16;

/**
 * Style capacity for a page whose table of `styles` is full, with `live` styles over the
 * `written` of its `rows` rows. Doubling is the floor; with enough rows to go by, the page is
 * sized for all its rows at the rate seen so far (power of two, at most MAX_STYLE_GROWTH
 * times): colourful output (a style per word) then grows a page once, not once per doubling,
 * and each growth is an allocation and a copy of the page. A burst of styles in a few rows
 * only doubles.
 */
export function grownStyleCapacity(styles: number, live: number, rows: number, written: number): number {
  let target = styles * 2;
  if (written >= MIN_ROWS_TO_PROJECT) {
    const projected = Math.ceil((live * rows) / written);
    while (target < projected && target < styles * MAX_STYLE_GROWTH) target *= 2;
  }
  return Math.min(0xffff, target);
}

/** Grapheme offsets share the 21-bit code point field. */
const CP_LIMIT = 0x1fffff;
