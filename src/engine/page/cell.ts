/**
 * Cell bit layout. The cell layout is a property of the page class (page.ts `packed`):
 *   packed (standard pages, 128 styles): 4 bytes, one Uint32 word: the content in bits 0..24
 *     and the style id in bits 25..31 (a standard page's ids are 1..127).
 *   split (large and oversized pages, up to 65,535 styles): 6 bytes, the Uint32 word (bits
 *     25..31 always 0) plus a Uint16 style id in its own array (struct of arrays: both views
 *     aligned, a row cleared with two `fill` calls).
 * Code that reads or writes only the content goes through CONTENT_MASK / STYLE_BITS and is the
 * same for both layouts (on a split page the style bits are 0); only style ids are read and
 * written per layout (Page.styleAt and friends, or a loop specialised on `packed`).
 *
 * Word:
 *   bits  0..20  code point, or (GRAPHEME set) word offset of the grapheme in the page arena
 *   bits 21..22  width kind: 0 narrow, 1 wide head, 2 spacer tail (right half of a wide
 *                char), 3 spacer head (end-of-row filler when a wide char wrapped)
 *   bit  23      GRAPHEME: more code points (combining marks, ZWJ sequences) live in the arena
 *   bit  24      HYPERLINK: the page's link map has an entry for this cell
 *   bits 25..31  packed pages: the style id; split pages: 0
 * Content 0 is an empty cell (rendered as a blank). Style id 0 is the default style, so a word
 * of 0 is a blank, unstyled cell in both layouts.
 */
export const CP_MASK = 0x1fffff;
export const WIDTH_SHIFT = 21;
export const WIDTH_MASK = 0x3 << WIDTH_SHIFT;
export const GRAPHEME_BIT = 1 << 23;
export const HYPERLINK_BIT = 1 << 24;

export const enum Wide { Narrow = 0, Wide = 1, SpacerTail = 2, SpacerHead = 3 }

export const WIDE_BITS = Wide.Wide << WIDTH_SHIFT;
export const SPACER_TAIL_BITS = Wide.SpacerTail << WIDTH_SHIFT;
export const SPACER_HEAD_BITS = Wide.SpacerHead << WIDTH_SHIFT;

/** The content bits of a word (everything but a packed page's style id). */
export const CONTENT_MASK = 0x01ffffff;
/** A packed page's style id: bits 25..31 of the word. */
export const STYLE_SHIFT = 25;
export const STYLE_BITS = ~CONTENT_MASK;
/** Style ids a packed word can hold (ids 0..127; 0 is the default style). */
export const PACKED_STYLES = 1 << (32 - STYLE_SHIFT);

/** Bytes each cell costs in a packed page: the Uint32 word alone. */
export const PACKED_CELL_BYTES = 4;
/** Bytes each cell costs in a split page: Uint32 word + Uint16 style. */
export const SPLIT_CELL_BYTES = 6;

export function cellWide(word: number): Wide {
  return ((word & WIDTH_MASK) >>> WIDTH_SHIFT) as Wide;
}

/** Row flags (one Uint8 per row). */
export const ROW_WRAPPED = 1;        // this row soft-wraps into the next one
export const ROW_WRAP_CONT = 2;      // this row continues the previous one
export const ROW_HAS_GRAPHEME = 4;   // some cell has GRAPHEME_BIT (lets clears skip the scan)
export const ROW_HAS_LINK = 8;       // some cell has HYPERLINK_BIT
export const ROW_HAS_STYLE = 16;     // some cell may have a non-default style (skip decref scans)
/**
 * Bits 5..6: the row's line size (DECSWL/DECDWL/DECDHL), a LineSize. Kept in the row flags so it
 * travels with the row through scrolling and is stored by the page codec with the other flags.
 */
export const ROW_SIZE_SHIFT = 5;
export const ROW_SIZE_MASK = 3 << ROW_SIZE_SHIFT;
export const enum LineSize { Single = 0, DoubleWidth = 1, DoubleHeightTop = 2, DoubleHeightBottom = 3 }
