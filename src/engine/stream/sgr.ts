/**
 * SGR decoding: `CSI Pm m` → a sequence of `Handler.setAttribute(kind, value)` calls.
 *
 * Owns the parameter walk, including the extended-colour forms (38/48/58) in both the
 * semicolon (`38;5;n`, `38;2;r;g;b`) and ISO-8613-6 colon (`38:5:n`, `38:2::r:g:b`,
 * `38:2:r:g:b`) spellings. How many parameters a malformed extended colour consumes follows
 * xterm's `parse_extended_colors` (charproc.c) so the attributes after it are read the same
 * way xterm reads them.
 */
import type { ParamsView } from '../parser/parser-handler.js';
import type { Handler } from './actions.js';
import { SgrKind, Underline } from './actions.js';
import { paletteColor, rgbColor } from '../page/color.js';

/** Marks a missing (not merely empty) colour component: the colour is then invalid. */
const MISSING = -1;

/**
 * SGR — CSI Pm m  @vt SGR
 *
 * An empty parameter list (and an empty or 0 parameter) is a reset, per ECMA-48.
 */
export function dispatchSgr(h: Handler, params: ParamsView): void {
  if (params.length === 0) {
    h.setAttribute(SgrKind.Reset, 0);
    return;
  }
  dispatchSgrFrom(h, params, 0);
}

/**
 * The parameters from index `start` on (SGR is a left-to-right fold over its parameters, so a
 * caller that applied `[0, start)` itself can hand over the rest here).
 */
export function dispatchSgrFrom(h: Handler, params: ParamsView, start: number): void {
  const n = params.length;
  for (let i = start; i < n; i++) {
    const p = params.get(i, 0);
    switch (p) {
      case 0: h.setAttribute(SgrKind.Reset, 0); break;
      case 1: h.setAttribute(SgrKind.Bold, 0); break;
      case 2: h.setAttribute(SgrKind.Faint, 0); break;
      case 3: h.setAttribute(SgrKind.Italic, 0); break;
      case 4: underline(h, params, i); break;
      // Slow and rapid blink are one attribute for us.
      case 5: case 6: h.setAttribute(SgrKind.Blink, 0); break;
      case 7: h.setAttribute(SgrKind.Inverse, 0); break;
      case 8: h.setAttribute(SgrKind.Invisible, 0); break;
      case 9: h.setAttribute(SgrKind.Strikethrough, 0); break;
      // xterm: 21 is doubly-underlined (ECMA-48), not "bold off" as on some old terminals.
      case 21: h.setAttribute(SgrKind.Underline, Underline.Double); break;
      case 22: h.setAttribute(SgrKind.ResetBoldFaint, 0); break;
      case 23: h.setAttribute(SgrKind.ResetItalic, 0); break;
      case 24: h.setAttribute(SgrKind.ResetUnderline, 0); break;
      case 25: h.setAttribute(SgrKind.ResetBlink, 0); break;
      case 27: h.setAttribute(SgrKind.ResetInverse, 0); break;
      case 28: h.setAttribute(SgrKind.ResetInvisible, 0); break;
      case 29: h.setAttribute(SgrKind.ResetStrikethrough, 0); break;
      case 38: i = extendedColor(h, params, i, SgrKind.Fg); break;
      case 39: h.setAttribute(SgrKind.DefaultFg, 0); break;
      case 48: i = extendedColor(h, params, i, SgrKind.Bg); break;
      case 49: h.setAttribute(SgrKind.DefaultBg, 0); break;
      case 53: h.setAttribute(SgrKind.Overline, 0); break;
      case 55: h.setAttribute(SgrKind.ResetOverline, 0); break;
      case 58: i = extendedColor(h, params, i, SgrKind.UnderlineColor); break;
      case 59: h.setAttribute(SgrKind.DefaultUnderlineColor, 0); break;
      default:
        if (p >= 30 && p <= 37) h.setAttribute(SgrKind.Fg, paletteColor(p - 30));
        else if (p >= 40 && p <= 47) h.setAttribute(SgrKind.Bg, paletteColor(p - 40));
        else if (p >= 90 && p <= 97) h.setAttribute(SgrKind.Fg, paletteColor(p - 90 + 8));
        else if (p >= 100 && p <= 107) h.setAttribute(SgrKind.Bg, paletteColor(p - 100 + 8));
        // Anything else (10–20 fonts, 26, 50–52, 54, 56–57, 60–65 ideograms, …) is ignored.
        break;
    }
  }
}

/**
 * `4` is a single underline; `4:x` picks a style (kitty/VTE extension): 0 none, 1 single,
 * 2 double, 3 curly, 4 dotted, 5 dashed. Unknown styles are ignored rather than guessed.
 * `4:0` is reported as ResetUnderline so the Terminal has one way to clear it.
 */
function underline(h: Handler, params: ParamsView, i: number): void {
  if (params.subLength(i) === 0) {
    h.setAttribute(SgrKind.Underline, Underline.Single);
    return;
  }
  const style = params.sub(i, 0, 0);
  if (style === 0) h.setAttribute(SgrKind.ResetUnderline, 0);
  else if (style <= Underline.Dashed) h.setAttribute(SgrKind.Underline, style);
}

/**
 * Extended colour at parameter `i` (38, 48 or 58). Returns the index of the last parameter it
 * consumed, so the caller's loop continues after it. Consumption mirrors xterm:
 * - colon form on `i` (`38:…`): only `i` is consumed;
 * - `38;5:n` / `38;2:r:g:b` (colon form on the next one): `i` and `i+1`;
 * - semicolon form: `i`, the colour-space code, then 1 value for `5` and 3 for `2`
 *   (even when they are out of range or missing). Any other code consumes just itself, so
 *   `38;9;1` leaves `1` to be read as bold.
 * Empty components count as 0; missing ones or values over 255 make the colour invalid and
 * nothing is emitted.
 */
function extendedColor(h: Handler, params: ParamsView, i: number, kind: SgrKind): number {
  const subs = params.subLength(i);
  if (subs > 0) {
    emitColor(h, kind, params.sub(i, 0, 0), subs, params, i, 1);
    return i;
  }
  const next = i + 1;
  if (next >= params.length) return i;
  const nextSubs = params.subLength(next);
  if (nextSubs > 0) {
    // `38;2:r:g:b` — code is the main value of `next`, the components are its sub-params;
    // a 4th sub-param means a colour-space slot precedes r:g:b.
    emitColor(h, kind, params.get(next, 0), nextSubs + 1, params, next, 0);
    return next;
  }
  const code = params.get(next, 0);
  if (code === 5) {
    const idx = topValue(params, next + 1);
    if (isByte(idx)) h.setAttribute(kind, paletteColor(idx));
    return next + 1;
  }
  if (code === 2) {
    const r = topValue(params, next + 1);
    const g = topValue(params, next + 2);
    const b = topValue(params, next + 3);
    if (isByte(r) && isByte(g) && isByte(b)) h.setAttribute(kind, rgbColor(r, g, b));
    return next + 3;
  }
  return next;
}

/**
 * Colon-form components. `count` is how many slots follow the main `38`-style code position
 * (the code included); `first` is the sub-parameter index of the slot after the code. For
 * `38:2::r:g:b` count is 5 and a colour-space slot is skipped; for `38:2:r:g:b` it is 4.
 */
function emitColor(
  h: Handler, kind: SgrKind, code: number, count: number, params: ParamsView, i: number, first: number,
): void {
  if (code === 5) {
    const idx = subValue(params, i, first);
    if (isByte(idx)) h.setAttribute(kind, paletteColor(idx));
  } else if (code === 2) {
    const at = first + (count > 4 ? 1 : 0);
    const r = subValue(params, i, at);
    const g = subValue(params, i, at + 1);
    const b = subValue(params, i, at + 2);
    if (isByte(r) && isByte(g) && isByte(b)) h.setAttribute(kind, rgbColor(r, g, b));
  }
  // 0 (implementation defined), 1 (transparent), 3 (CMY), 4 (CMYK): not supported, ignored.
}

function topValue(params: ParamsView, i: number): number {
  return i < params.length ? params.get(i, 0) : MISSING;
}

function subValue(params: ParamsView, i: number, j: number): number {
  return j < params.subLength(i) ? params.sub(i, j, 0) : MISSING;
}

function isByte(v: number): boolean {
  return v >= 0 && v <= 255;
}
