/**
 * Applying one decoded SGR change to a style value (the cursor's). Decoding lives in
 * stream/sgr.ts; this is only what each attribute does to the packed style.
 */
import {
  ATTR_BLINK, ATTR_BOLD, ATTR_FAINT, ATTR_INVERSE, ATTR_INVISIBLE, ATTR_ITALIC, ATTR_OVERLINE,
  ATTR_STRIKE, type StyleValue, UNDERLINE_MASK, UNDERLINE_SHIFT,
} from '../page/style-table.js';
import { SgrKind } from '../stream/actions.js';

export function applySgr(s: StyleValue, kind: SgrKind, value: number): void {
  switch (kind) {
    case SgrKind.Reset: s.reset(); break;
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
