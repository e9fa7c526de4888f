/**
 * Per-code-point properties for printing: column width and how a code point joins the
 * grapheme before it. Widths come from `get-east-asian-width` (Unicode EAW: W and F are 2
 * columns, ambiguous is 1 as in xterm.js and tmux); grapheme properties from the runtime's
 * Unicode regex properties. Results are cached in a lazily filled table (one byte per code
 * point, 1.1 MB) so the print loop pays one array read per non-ASCII code point.
 *
 * Property byte:
 *   bits 0..1  width 0, 1 or 2
 *   bit  2     EXTEND: joins the previous grapheme (marks, ZWJ, variation selectors,
 *              emoji modifiers, other zero-width format characters)
 *   bit  3     ZWJ (U+200D): a following pictograph joins too (UAX #29 GB11)
 *   bit  4     PICTO: Extended_Pictographic
 *   bit  5     RI: regional indicator (flags pair up, GB12/13)
 *   bit  7     computed (0 means "not yet looked up")
 */
import { eastAsianWidth } from 'get-east-asian-width';

export const PROP_WIDTH = 0x3;
export const PROP_EXTEND = 0x4;
export const PROP_ZWJ = 0x8;
export const PROP_PICTO = 0x10;
export const PROP_RI = 0x20;
const PROP_DONE = 0x80;

const table = new Uint8Array(0x110000);

const reExtend = /^[\p{Grapheme_Extend}\p{Mn}\p{Me}\p{Cf}\u{1F3FB}-\u{1F3FF}]$/u;
const reSpacingMark = /^\p{Mc}$/u;
const rePicto = /^\p{Extended_Pictographic}$/u;
const reRI = /^\p{Regional_Indicator}$/u;
const reControl = /^[\p{Cc}\p{Cs}]$/u;

function compute(cp: number): number {
  const s = String.fromCodePoint(cp);
  let p = PROP_DONE;
  if (cp === 0x200d) return p | PROP_EXTEND | PROP_ZWJ;
  if (reControl.test(s)) return p; // width 0, never printed as a cell
  // U+00AD soft hyphen is Cf but xterm.js and tmux print it as one column.
  if (cp !== 0xad && (reExtend.test(s) || (cp >= 0x1160 && cp <= 0x11ff))) return p | PROP_EXTEND;
  // Spacing marks (Mc) extend graphemes per UAX #29 but xterm.js/tmux give them a column.
  void reSpacingMark;
  if (rePicto.test(s)) p |= PROP_PICTO;
  if (reRI.test(s)) p |= PROP_RI;
  return p | eastAsianWidth(cp);
}

/** The property byte of `cp` (see the header). */
export function codepointProps(cp: number): number {
  let p = table[cp];
  if (p === 0) {
    p = compute(cp);
    table[cp] = p;
  }
  return p;
}

/** Column width of a single code point as printed on its own: 0, 1 or 2. */
export function codepointWidth(cp: number): number {
  if (cp >= 0x20 && cp < 0x7f) return 1;
  const p = codepointProps(cp);
  return (p & PROP_EXTEND) !== 0 ? 0 : p & PROP_WIDTH;
}
