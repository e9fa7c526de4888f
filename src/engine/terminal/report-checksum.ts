/**
 * DECRQCRA — `CSI Pi ; Pg ; Pt ; Pl ; Pb ; Pr * y`: the checksum of a rectangle of the screen,
 * answered `DCS Pi ! ~ XXXX ST` (four upper-case hex digits) exactly as xterm computes it by
 * default (screen.c xtermCheckRect with XTCHECKSUM 0, "the DEC checksum", which xterm tuned to
 * match a real VT520):
 *  - each counted cell is worth its character's DEC 8-bit value (charsets.c xtermCharSetDec for
 *    the ASCII/Latin-1 sets: U+0020–U+007E as is; U+0080–U+00FE other than U+00A0 masked to 7
 *    bits (é = 0x69); U+007F and U+00FF 0; anything else — control, U+00A0, past Latin-1, a wide
 *    character — ESC, 0x1B; the right half of a wide character is ESC too),
 *  - plus its video attributes: protected 0x04, invisible 0x08, underlined 0x10 (any style),
 *    inverse 0x20, blinking 0x40, bold 0x80;
 *  - cells never written (or erased) are skipped;
 *  - blanks are trimmed: a cell worth exactly a space (0x20: a space with none of those
 *    attributes) counts only if it is the rectangle's first counted cell, or if it carries one of
 *    xterm's other drawn attributes (faint, italic, crossed-out, double underline);
 *  - combining marks are not counted (xterm adds them only with trimming off);
 *  - the sum is negated and kept to 16 bits.
 * The rectangle: 1-based, Pt/Pl default 1, Pb/Pr default the last row/column; under DECOM it
 * is relative to the scroll region (and the left/right margins) and limited to it; coordinates
 * past the edge are clamped to it; an empty rectangle (top > bottom, left > right) sums to 0.
 * Pg (the page) is ignored: there is one page. Pi is echoed as given (nothing when absent).
 *
 * A checksum walks cols × rows cells for a dozen bytes of request: it is paid from the same
 * cell credit as REP and DECALN (amplify.ts). A request the credit cannot pay is not answered.
 *
 * XTCHECKSUM (`CSI Ps # y`, xterm's checksumExtension) changes the calculation for the
 * DECRQCRA answers after it; each bit of Ps turns one of the DEC rules off, as xterm's
 * xtermCheckRect reads them (screen.c, csPOSITIVE…cs8TH):
 *   1  (csPOSITIVE) the sum is not negated;
 *   2  (csATTRIBS)  the video attributes are not added;
 *   4  (csNOTRIM)   blanks are not trimmed: every cell counts, and a cell never written counts
 *                   as a blank;
 *   8  (csDRAWN)    …but with 4, cells never written are left out again;
 *   16 (csBYTE)     a cell is worth its code point, not masked to 8 bits or mapped to the DEC
 *                   set, plus the code points of its combining marks (the right half of a
 *                   wide character is worth 0xFFFF, xterm's HIDDEN_CHAR);
 *   32 (cs8TH)      Latin-1 is not masked to 7 bits (é = 0xE9).
 * xterm takes it at level 4 when its SetChecksum window op is allowed (it is by default);
 * Ps absent or 0 is the DEC checksum. DECSTR and RIS set it back to 0 (ReallyReset), as
 * xterm. DECRQSS and DECRQM do not report it (xterm has no query for it).
 *
 * NOTE: xterm works from the byte each cell received, before character-set translation, so a
 * DEC line-drawing `q` counts as 0x71; termpool keeps the translated character (─, U+2500),
 * which counts as ESC.
 */
import { CONTENT_MASK, CP_MASK, GRAPHEME_BIT, Wide, WIDTH_MASK, WIDTH_SHIFT } from '../page/cell.js';
import {
  ATTR_BLINK, ATTR_BOLD, ATTR_FAINT, ATTR_INVERSE, ATTR_INVISIBLE, ATTR_ITALIC, ATTR_PROTECTED,
  ATTR_STRIKE, StyleValue, UNDERLINE_MASK, UNDERLINE_SHIFT,
} from '../page/style-table.js';
import type { Terminal } from './terminal.js';

const ESC_VALUE = 0x1b;
/** XTCHECKSUM's bits (xterm's checksumExtension). */
export const CS_POSITIVE = 1;
export const CS_ATTRIBS = 2;
export const CS_NOTRIM = 4;
export const CS_DRAWN = 8;
export const CS_BYTE = 16;
export const CS_8TH = 32;
/** xterm's HIDDEN_CHAR: what the right half of a wide character holds. */
const HIDDEN_CHAR = 0xffff;

/** NOTE: scratch for one checksum at a time (the engine is single-threaded). */
const cps: number[] = [];
const style = new StyleValue();

/** A 1-based inclusive rectangle, or null when empty. */
export interface Rect { top: number; left: number; bottom: number; right: number }

/**
 * xterm's xtermParseRect + validRect: Pt/Pl/Pb/Pr (0 = default) → the rectangle, relative to
 * the origin under DECOM and limited to it; null when empty.
 */
export function checksumRect(t: Terminal, top: number, left: number, bottom: number, right: number): Rect | null {
  const origin = t.modes.origin;
  const minRow = origin ? t.scrollTop + 1 : 1;
  const maxRow = origin ? t.scrollBottom + 1 : t.rows;
  const lr = origin && t.modes.leftRightMargins;
  const minCol = lr ? t.leftMargin + 1 : 1;
  const maxCol = lr ? t.rightMargin + 1 : t.cols;
  const r: Rect = {
    top: top > 0 ? Math.min(top + minRow - 1, maxRow) : minRow,
    left: left > 0 ? Math.min(left + minCol - 1, maxCol) : minCol,
    bottom: bottom > 0 ? Math.min(bottom + minRow - 1, maxRow) : maxRow,
    right: right > 0 ? Math.min(right + minCol - 1, maxCol) : maxCol,
  };
  return r.top > r.bottom || r.left > r.right ? null : r;
}

/**
 * The DEC 8-bit value of a code point (xtermCharSetDec, ASCII in GL / Latin-1 in GR); `eighth`
 * (XTCHECKSUM 32) keeps Latin-1's eighth bit.
 */
export function decCharValue(cp: number, eighth = false): number {
  if (cp < 0x20 || cp > 0xff || cp === 0xa0) return ESC_VALUE;
  if (cp === 0x7f || cp === 0xff) return 0;
  return eighth ? cp : cp & 0x7f;
}

/**
 * The 16-bit checksum of `rect` on the active screen: xterm's DEC checksum (negated, trimmed;
 * see the header) with XTCHECKSUM's `ext` bits (0: none).
 */
export function rectChecksum(t: Terminal, rect: Rect | null, ext = 0): number {
  if (rect === null) return 0;
  const list = t.active.list;
  const notrim = (ext & CS_NOTRIM) !== 0;
  const skipUndrawn = !notrim || (ext & CS_DRAWN) !== 0;
  const bytes = (ext & CS_BYTE) !== 0;
  const eighth = (ext & CS_8TH) !== 0;
  const attrs = (ext & CS_ATTRIBS) === 0;
  let sum = 0;
  let first = true;
  for (let y = rect.top - 1; y < rect.bottom; y++) {
    const p = list.pinActive(y);
    const base = p.rowStart(list.pinRow);
    const end = Math.min(rect.right, p.cols);
    for (let x = rect.left - 1; x < end; x++) {
      const i = base + x;
      const w = p.content[i]! & CONTENT_MASK;
      const wide = (w & WIDTH_MASK) >>> WIDTH_SHIFT;
      let ch: number;
      if (wide === Wide.SpacerTail) ch = bytes ? HIDDEN_CHAR : ESC_VALUE;
      else if (w === 0 || wide === Wide.SpacerHead) { // never drawn
        if (skipUndrawn) continue;
        ch = 0x20;
      } else if (w & GRAPHEME_BIT) {
        p.cellCodepoints(i, cps);
        if (bytes) {
          ch = 0;
          for (let k = 0; k < cps.length; k++) ch += cps[k]!;
        } else ch = decCharValue(cps[0] ?? 0x20, eighth);
      } else ch = bytes ? w & CP_MASK : decCharValue(w & CP_MASK, eighth);
      p.styles.read(p.styleAt(i), style);
      const f = style.flags;
      const underline = (f & UNDERLINE_MASK) >>> UNDERLINE_SHIFT;
      if (attrs) {
        if (f & ATTR_PROTECTED) ch += 0x04;
        if (f & ATTR_INVISIBLE) ch += 0x08;
        if (underline !== 0) ch += 0x10;
        if (f & ATTR_INVERSE) ch += 0x20;
        if (f & ATTR_BLINK) ch += 0x40;
        if (f & ATTR_BOLD) ch += 0x80;
      }
      const drawn = (f & (ATTR_FAINT | ATTR_ITALIC | ATTR_STRIKE)) !== 0 || underline === 2;
      if (notrim || first || ch !== 0x20 || drawn) sum += ch;
      first = false;
    }
    first = false;
  }
  return ((ext & CS_POSITIVE) !== 0 ? sum : -sum) & 0xffff;
}

/** `DCS Pi ! ~ XXXX ST`; `id` < 0: Pi was absent and is left out, as xterm leaves it. */
export function checksumReply(id: number, checksum: number): string {
  const hex = checksum.toString(16).toUpperCase().padStart(4, '0');
  return `\x1bP${id < 0 ? '' : id}!~${hex}\x1b\\`;
}

/** DECRQCRA against the Terminal: answered when the cell credit pays for the rectangle. */
export function answerChecksum(t: Terminal, id: number, top: number, left: number, bottom: number, right: number): void {
  const rect = checksumRect(t, top, left, bottom, right);
  const cells = rect === null ? 0 : (rect.bottom - rect.top + 1) * (rect.right - rect.left + 1);
  if (!t.amplify.spend(cells)) return;
  t.reply(checksumReply(id, rectChecksum(t, rect, t.checksumExtension)));
}
