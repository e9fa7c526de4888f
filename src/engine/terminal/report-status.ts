/**
 * DECRQSS — `DCS $ q Pt ST`: "request selection or setting", answered with DECRPSS as xterm does
 * (misc.c do_dcs): `DCS 1 $ r <the control that would set it> ST` for a setting it knows,
 * `DCS 0 $ r ST` for anything else.
 *
 * Owns which settings are answered and how each is spelt. Pt (the control's intermediates and
 * final) and its answer:
 *   m    SGR      `0;1;4…m`: 0, then bold 1, underline 4, blink 5, inverse 7, invisible 8, faint
 *                 2, italic 3, crossed-out 9, double underline 21 (xterm's order), then colours:
 *                 30–37/90–97/38;5;n, 40–47/100–107/48;5;n, direct colours 38:2::r:g:b. Beyond
 *                 xterm (it has none of them): curly/dotted/dashed underline 4:3/4:4/4:5,
 *                 overline 53, underline colour 58:5:n / 58:2::r:g:b, so the answer round-trips.
 *   r    DECSTBM  `top;bottom r` (1-based)
 *   s    DECSLRM  `left;right s` (1-based; reported whether or not DECLRMM is set, as xterm)
 *   SP q DECSCUSR `Ps SP q`: 2 steady block, 4 steady underline, 6 steady bar, one less blinking
 *   " q  DECSCA   `0"q` or `1"q` (characters written now are protected or not)
 *   " p  DECSCL   `64;1"p`: conformance level 4 with 7-bit controls — the VT420 level DA1 claims
 *                 (xterm's default decTerminalID 420); never 8-bit controls
 *   t    DECSLPP  `rows t`;  $| DECSCPP `cols$|`;  *| DECSNLS `rows*|`
 *   *x   DECSACE  `Ps*x` (0/1 stream, 2 rectangle)
 *   $}   DECSASD  `0$}` (the main display is active: there is no status line)
 *   $~   DECSSDT  `0$~` (no status line)
 */
import { colorKind, colorValue, COLOR_KIND_PALETTE, COLOR_KIND_RGB } from '../page/color.js';
import {
  ATTR_BLINK, ATTR_BOLD, ATTR_FAINT, ATTR_INVERSE, ATTR_INVISIBLE, ATTR_ITALIC, ATTR_OVERLINE,
  ATTR_PROTECTED, ATTR_STRIKE, type StyleValue, UNDERLINE_MASK, UNDERLINE_SHIFT,
} from '../page/style-table.js';
import { ProtectMode } from './edit.js';
import type { Terminal } from './terminal.js';

/** What DECRQSS reads from the terminal. */
export interface StatusSource {
  readonly rows: number;
  readonly cols: number;
  readonly scrollTop: number;
  readonly scrollBottom: number;
  readonly leftMargin: number;
  readonly rightMargin: number;
  /** DECSCUSR Ps as last set (0 = the default). */
  readonly cursorShape: number;
  /** Whether the cursor blinks (DECSCUSR's odd styles, `CSI ? 12 h`). */
  readonly cursorBlink: boolean;
  /** The style characters are written with now. */
  readonly style: StyleValue;
  /** DECSCA: characters written now are protected. */
  readonly protectedChars: boolean;
  /** DECSACE Ps, or null where the terminal has no DECSACE. */
  readonly attributeChangeExtent: number | null;
}

const ESC = '\x1b';
const INVALID = `${ESC}P0$r${ESC}\\`;

/** The DECRPSS answer to request `setting` (Pt). */
export function statusStringReply(t: StatusSource, setting: string): string {
  const body = statusString(t, setting);
  return body === null ? INVALID : `${ESC}P1$r${body}${ESC}\\`;
}

function statusString(t: StatusSource, setting: string): string | null {
  switch (setting) {
    case 'm': return `${sgrString(t.style)}m`;
    case 'r': return `${t.scrollTop + 1};${t.scrollBottom + 1}r`;
    case 's': return `${t.leftMargin + 1};${t.rightMargin + 1}s`;
    case ' q': return `${cursorStyle(t)} q`;
    case '"q': return `${t.protectedChars ? 1 : 0}"q`;
    case '"p': return '64;1"p';
    case 't': return `${t.rows}t`;
    case '$|': return `${t.cols}$|`;
    case '*|': return `${t.rows}*|`;
    case '*x': return t.attributeChangeExtent === null ? null : `${t.attributeChangeExtent}*x`;
    case '$}': return '0$}';
    case '$~': return '0$~';
    default: return null;
  }
}

/** xterm: the steady code of the shape (2 block, 4 underline, 6 bar), one less when it blinks. */
function cursorStyle(t: StatusSource): number {
  const s = t.cursorShape;
  const steady = s === 3 || s === 4 ? 4 : s === 5 || s === 6 ? 6 : 2;
  return t.cursorBlink ? steady - 1 : steady;
}

/** SGR parameters that recreate `s` from a reset, in xterm's order. */
export function sgrString(s: StyleValue): string {
  const f = s.flags;
  let out = '0';
  const underline = (f & UNDERLINE_MASK) >>> UNDERLINE_SHIFT;
  if (f & ATTR_BOLD) out += ';1';
  if (underline === 1) out += ';4';
  if (f & ATTR_BLINK) out += ';5';
  if (f & ATTR_INVERSE) out += ';7';
  if (f & ATTR_INVISIBLE) out += ';8';
  if (f & ATTR_FAINT) out += ';2';
  if (f & ATTR_ITALIC) out += ';3';
  if (f & ATTR_STRIKE) out += ';9';
  if (underline === 2) out += ';21';
  if (underline > 2) out += `;4:${underline}`;
  if (f & ATTR_OVERLINE) out += ';53';
  out += color(s.fg, 30, 90, 38);
  out += color(s.bg, 40, 100, 48);
  out += color(s.ul, -1, -1, 58);
  return out;
}

/** `;3n` / `;9n` / `;38;5;n` / `;38:2::r:g:b` (base 30, bright 90, extended 38; fg here). */
function color(c: number, base: number, bright: number, extended: number): string {
  const kind = colorKind(c);
  if (kind === COLOR_KIND_PALETTE) {
    const n = colorValue(c) & 0xff;
    if (base >= 0 && n < 8) return `;${base + n}`;
    if (bright >= 0 && n < 16) return `;${bright + n - 8}`;
    return extended === 58 ? `;58:5:${n}` : `;${extended};5;${n}`;
  }
  if (kind === COLOR_KIND_RGB) {
    const v = colorValue(c);
    return `;${extended}:2::${(v >> 16) & 0xff}:${(v >> 8) & 0xff}:${v & 0xff}`;
  }
  return '';
}

/** DECRQSS against the Terminal's state. */
export function answerStatusString(t: Terminal, setting: string): string {
  return statusStringReply({
    rows: t.rows,
    cols: t.cols,
    scrollTop: t.scrollTop,
    scrollBottom: t.scrollBottom,
    leftMargin: t.leftMargin,
    rightMargin: t.rightMargin,
    cursorShape: t.cursorShape,
    cursorBlink: t.modes.cursorBlink,
    style: t.cursor.style,
    // xterm: `(protected_mode == DEC_PROTECT) && (flags & PROTECTED)` — SPA's protection is ISO's.
    protectedChars: t.protectMode === ProtectMode.Dec && (t.cursor.style.flags & ATTR_PROTECTED) !== 0,
    attributeChangeExtent: t.attrChangeExtent,
  }, setting);
}
