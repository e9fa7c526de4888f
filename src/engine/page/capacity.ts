/**
 * Page capacities and the byte layout of a page's single ArrayBuffer.
 *
 * Pages come in three pooled size classes and one unpooled kind:
 *   small     SMALL_PAGE_BYTES (32 KiB), 128 styles, packed 4 B cells: a quiet terminal's screen
 *             (PageList.compactScreen moves the screen's rows into one when the owner sweeps).
 *   standard  STANDARD_PAGE_BYTES (128 KiB), 128 styles, packed 4 B cells: plain and lightly
 *             coloured output.
 *   large     LARGE_PAGE_BYTES (320 KiB), 4,096 styles: colourful output (a style per word).
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
 * Cell layout (cell.ts) is a property of the class: standard pages are packed (4 B a cell: the
 * style id in the word's top 7 bits, which a 128-style table fits), large and oversized pages
 * split (6 B a cell: the word and a Uint16 style id). Packing gives a standard page 383 rows at
 * 80 columns instead of 256 in the same 128 KiB: hot pages 6.4 -> 4.3 B/cell (4 B of cell plus
 * the row and style/grapheme tables). The large class grew to 320 KiB so that it still holds
 * every row of a standard page it replaces (466 rows at 80 columns; 4,096 styles at the styled
 * corpus' rate of ~7.9 a row need ~3,700).
 *
 * Buffer layout (offsets grow downwards; 4-byte regions first so every view is aligned):
 *   content     Uint32[rows*cols]      cell words (cell.ts)
 *   styleRecs   Uint32[styles*4]       style records (style-table.ts)
 *   styleRefs   Uint32[styles]         style reference counts
 *   graphemes   Uint32[graphemeWords]  grapheme arena: [len, cp0, cp1, ...] entries
 *   styleIds    Uint16[rows*cols]      cell style ids (split layout only; empty when packed)
 *   buckets     Uint16[bucketCount]    style hash index
 *   rowSlot     Uint16[rows]           logical row -> physical slot (cheap region scrolls)
 *   rowFlags    Uint8[rows]            ROW_* flags
 */
import { PACKED_CELL_BYTES, PACKED_STYLES, SPLIT_CELL_BYTES } from './cell.js';
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
/**
 * Grapheme arena words of a standard page: as many per row as before packing (1,024 for 256
 * rows at 80 columns), so emoji-heavy output does not outgrow a page sooner because it has more
 * rows. Links stay 64 a page: they live in JS maps, not the buffer, and output that links much
 * (`ls --hyperlink`, a link per line) passes 64 within a page of either size.
 */
export const STANDARD_GRAPHEME_WORDS = 1536;
export const STANDARD_LINKS = 64;
/**
 * The small pooled class: a screen, not history. A quiet session's hot memory is its screen's
 * rows (24 at 80x24), yet they sat in a 128 KiB standard page of 377 rows: at 1,000 idle
 * sessions, 131 kB a session of hot pages. 32 KiB holds 85 rows at 80 columns (a 120x50 or
 * 200x34 screen still fits) with the standard page's 128 styles and its grapheme words per row.
 */
export const SMALL_PAGE_BYTES = 32 * 1024;
export const SMALL_STYLES = STANDARD_STYLES;
export const SMALL_GRAPHEME_WORDS = 512;
export const SMALL_LINKS = STANDARD_LINKS;
/** The large pooled class: as standard, with room for colourful output's styles. */
export const LARGE_PAGE_BYTES = 320 * 1024;
export const LARGE_GRAPHEME_WORDS = 2048;
export const LARGE_LINKS = 64;
/**
 * The standard class before packing (6 B cells, 256 rows at 80 columns). Archives written then
 * hold standard pages of this capacity; they are restored as oversized pages of it (split
 * layout, the same bytes), see legacyStandardCapacity.
 */
export const LEGACY_STANDARD_PAGE_BYTES = 128 * 1024;
/** The large class before packing (256 KiB, 330 rows at 80 columns); as LEGACY_STANDARD_PAGE_BYTES. */
export const LEGACY_LARGE_PAGE_BYTES = 256 * 1024;
/** Grapheme words and links of both classes before packing. */
const LEGACY_GRAPHEME_WORDS = 1024;
const LEGACY_LINKS = 64;
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

/**
 * The byte layout of a page of capacity `cap`; `packed` (standard pages only) stores style ids
 * in the cell words and has no styleIds region.
 */
export function layoutFor(cap: Capacity, packed: boolean): Layout {
  const cells = cap.rows * cap.cols;
  const bucketCount = bucketCountFor(cap.styles);
  let o = 0;
  const content = o; o += cells * 4;
  const styleRecs = o; o += cap.styles * STYLE_WORDS * 4;
  const styleRefs = o; o += cap.styles * 4;
  const graphemes = o; o += cap.graphemeWords * 4;
  const styleIds = o; if (!packed) o += cells * 2;
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

function rowBytes(cols: number, packed: boolean): number {
  return cols * (packed ? PACKED_CELL_BYTES : SPLIT_CELL_BYTES) + 3;
}

/**
 * The standard capacity for `cols` columns, or null when a standard page cannot hold
 * MIN_PAGE_ROWS rows of that width (the terminal then lives on oversized pages).
 */
export function standardCapacity(cols: number): Capacity | null {
  return pooledCapacity(cols, STANDARD_PAGE_BYTES, STANDARD_STYLES, STANDARD_GRAPHEME_WORDS, STANDARD_LINKS, true);
}

/**
 * The small class's capacity for `cols` columns, or null when a small page cannot hold
 * MIN_PAGE_ROWS rows of that width (such a screen stays on its standard or oversized pages).
 */
export function smallCapacity(cols: number): Capacity | null {
  return pooledCapacity(cols, SMALL_PAGE_BYTES, SMALL_STYLES, SMALL_GRAPHEME_WORDS, SMALL_LINKS, true);
}

/**
 * Whether `cap` is what a `kind` page had before standard pages were packed (standard: split
 * 6 B cells in 128 KiB; large: 256 KiB). Only archives written before have such pages: they
 * restore as oversized pages of exactly that capacity (split layout, so every row, id and
 * count is as recorded), read-only like everything an archive restores.
 */
export function isLegacyPooledCapacity(kind: 'standard' | 'large', cap: Capacity): boolean {
  const legacy = kind === 'standard'
    ? pooledCapacity(cap.cols, LEGACY_STANDARD_PAGE_BYTES, STANDARD_STYLES, LEGACY_GRAPHEME_WORDS, LEGACY_LINKS, false)
    : pooledCapacity(cap.cols, LEGACY_LARGE_PAGE_BYTES, LARGE_STYLES, LEGACY_GRAPHEME_WORDS, LEGACY_LINKS, false);
  return sameCapacity(cap, legacy);
}

/**
 * The large class's capacity for `cols` columns, or null when it cannot hold as many rows as
 * the standard class at that width (a page grown from a standard one must keep every row).
 */
export function largeCapacity(cols: number): Capacity | null {
  const std = standardCapacity(cols);
  const cap = pooledCapacity(cols, LARGE_PAGE_BYTES, LARGE_STYLES, LARGE_GRAPHEME_WORDS, LARGE_LINKS, false);
  return std === null || cap === null || cap.rows < std.rows ? null : cap;
}

function pooledCapacity(
  cols: number, bytes: number, styles: number, graphemeWords: number, links: number, packed: boolean,
): Capacity | null {
  // NOTE: a packed word holds ids 0..PACKED_STYLES-1 only.
  if (packed && styles > PACKED_STYLES) throw new Error(`a packed page holds at most ${PACKED_STYLES} styles`);
  const avail = bytes - fixedBytes(styles, graphemeWords);
  const rows = Math.min(MAX_PAGE_ROWS, Math.floor(avail / rowBytes(cols, packed)));
  if (rows < MIN_PAGE_ROWS) return null;
  const cap = { cols, rows, styles, graphemeWords, links };
  // NOTE: rounding can only lose bytes, never exceed the budget; assert it once per call.
  if (layoutFor(cap, packed).total > bytes) throw new Error(`pooled layout overflow at ${cols} cols (${bytes} bytes)`);
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

/** Whether `cap` is exactly what a small page of its width has. */
export function isSmallCapacity(cap: Capacity): boolean {
  return sameCapacity(cap, smallCapacity(cap.cols));
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
