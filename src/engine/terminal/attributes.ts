/**
 * Applying SGR to a style value (the cursor's): `applySgr` is what one decoded attribute
 * (stream/sgr.ts) does to the packed style; `applySgrParams` is the hot path that applies the
 * common all-semicolon forms of a whole `CSI Pm m` at once, with the same result.
 */
import {
  ATTR_BLINK, ATTR_BOLD, ATTR_FAINT, ATTR_INVERSE, ATTR_INVISIBLE, ATTR_ITALIC, ATTR_OVERLINE,
  ATTR_PROTECTED, ATTR_STRIKE, type StyleValue, UNDERLINE_MASK, UNDERLINE_SHIFT,
} from '../page/style-table.js';
import { SgrKind } from '../stream/actions.js';
import type { ParamsView } from '../parser/parser-handler.js';
import { paletteColor, rgbColor } from '../page/color.js';

const MISSING = -1;

export function applySgr(s: StyleValue, kind: SgrKind, value: number): void {
  switch (kind) {
    case SgrKind.Reset: s.resetRendition(); break;
    case SgrKind.Bold: s.flags |= ATTR_BOLD; break;
    case SgrKind.Faint: s.flags |= ATTR_FAINT; break;
    case SgrKind.Italic: s.flags |= ATTR_ITALIC; break;
    case SgrKind.Underline: s.flags = (s.flags & ~UNDERLINE_MASK) | ((value & 7) << UNDERLINE_SHIFT); break;
    case SgrKind.Blink: s.flags |= ATTR_BLINK; break;
    case SgrKind.Inverse: s.flags |= ATTR_INVERSE; break;
    case SgrKind.Invisible: s.flags |= ATTR_INVISIBLE; break;
    case SgrKind.Strikethrough: s.flags |= ATTR_STRIKE; break;
    case SgrKind.Overline: s.flags |= ATTR_OVERLINE; break;
    case SgrKind.ResetBoldFaint: s.flags &= ~(ATTR_BOLD | ATTR_FAINT); break;
    case SgrKind.ResetItalic: s.flags &= ~ATTR_ITALIC; break;
    case SgrKind.ResetUnderline: s.flags &= ~UNDERLINE_MASK; break;
    case SgrKind.ResetBlink: s.flags &= ~ATTR_BLINK; break;
    case SgrKind.ResetInverse: s.flags &= ~ATTR_INVERSE; break;
    case SgrKind.ResetInvisible: s.flags &= ~ATTR_INVISIBLE; break;
    case SgrKind.ResetStrikethrough: s.flags &= ~ATTR_STRIKE; break;
    case SgrKind.ResetOverline: s.flags &= ~ATTR_OVERLINE; break;
    case SgrKind.Fg: s.fg = value; break;
    case SgrKind.Bg: s.bg = value; break;
    case SgrKind.UnderlineColor: s.ul = value; break;
    case SgrKind.DefaultFg: s.fg = 0; break;
    case SgrKind.DefaultBg: s.bg = 0; break;
    case SgrKind.DefaultUnderlineColor: s.ul = 0; break;
  }
}

/**
 * Apply the parameters of `CSI Pm m` to `s` as stream/sgr.ts + applySgr would, one left-to-right
 * fold without a call per attribute (dense colour output sends an SGR every few bytes).
 * Stops at the first parameter that carries colon sub-parameters (`4:3`, `38:2::r:g:b`,
 * `38;2:r:g:b`) and returns its index, for the caller to hand the rest to `dispatchSgrFrom`;
 * returns a value >= params.length when everything was applied. Needs params.length > 0.
 */
export function applySgrParams(s: StyleValue, params: ParamsView): number {
  const n = params.length;
  let fg = s.fg;
  let bg = s.bg;
  let ul = s.ul;
  let flags = s.flags;
  let i = 0;
  for (; i < n; i++) {
    if (params.subLength(i) !== 0) break;
    const p = params.get(i, 0);
    if (p >= 30 && p <= 49 && p !== 38 && p !== 39 && p !== 48 && p !== 49) {
      if (p <= 37) fg = paletteColor(p - 30);
      else if (p >= 40) bg = paletteColor(p - 40);
      continue; // 30..49 minus the extended/default codes: 30-37, 40-47 (nothing else there)
    }
    switch (p) {
      case 0: fg = 0; bg = 0; ul = 0; flags &= ATTR_PROTECTED; break;
      case 1: flags |= ATTR_BOLD; break;
      case 2: flags |= ATTR_FAINT; break;
      case 3: flags |= ATTR_ITALIC; break;
      case 4: flags = (flags & ~UNDERLINE_MASK) | (1 << UNDERLINE_SHIFT); break;
      case 5: case 6: flags |= ATTR_BLINK; break;
      case 7: flags |= ATTR_INVERSE; break;
      case 8: flags |= ATTR_INVISIBLE; break;
      case 9: flags |= ATTR_STRIKE; break;
      case 21: flags = (flags & ~UNDERLINE_MASK) | (2 << UNDERLINE_SHIFT); break;
      case 22: flags &= ~(ATTR_BOLD | ATTR_FAINT); break;
      case 23: flags &= ~ATTR_ITALIC; break;
      case 24: flags &= ~UNDERLINE_MASK; break;
      case 25: flags &= ~ATTR_BLINK; break;
      case 27: flags &= ~ATTR_INVERSE; break;
      case 28: flags &= ~ATTR_INVISIBLE; break;
      case 29: flags &= ~ATTR_STRIKE; break;
      case 39: fg = 0; break;
      case 49: bg = 0; break;
      case 53: flags |= ATTR_OVERLINE; break;
      case 55: flags &= ~ATTR_OVERLINE; break;
      case 59: ul = 0; break;
      case 38: case 48: case 58: {
        // Semicolon form; consumption as in sgr.ts extendedColor (xterm's parse_extended_colors).
        const next = i + 1;
        if (next >= n) break;
        if (params.subLength(next) !== 0) { s.fg = fg; s.bg = bg; s.ul = ul; s.flags = flags; return i; }
        const code = params.get(next, 0);
        let c = MISSING;
        if (code === 5) {
          const idx = next + 1 < n ? params.get(next + 1, 0) : MISSING;
          if (idx >= 0 && idx <= 255) c = paletteColor(idx);
          i = next + 1;
        } else if (code === 2) {
          const r = next + 1 < n ? params.get(next + 1, 0) : MISSING;
          const g = next + 2 < n ? params.get(next + 2, 0) : MISSING;
          const b = next + 3 < n ? params.get(next + 3, 0) : MISSING;
          if (r >= 0 && r <= 255 && g >= 0 && g <= 255 && b >= 0 && b <= 255) c = rgbColor(r, g, b);
          i = next + 3;
        } else {
          i = next;
        }
        if (c !== MISSING) {
          if (p === 38) fg = c;
          else if (p === 48) bg = c;
          else ul = c;
        }
        break;
      }
      default:
        if (p >= 90 && p <= 97) fg = paletteColor(p - 90 + 8);
        else if (p >= 100 && p <= 107) bg = paletteColor(p - 100 + 8);
        break;
    }
  }
  s.fg = fg; s.bg = bg; s.ul = ul; s.flags = flags;
  return i;
}
