/**
 * Terminal modes (SM/RM and DECSET/DECRST) and DECRQM answers. Only state lives here; the
 * Terminal applies side effects (alternate screen, origin homing, margins).
 */
export const enum MouseTracking { None = 0, X10 = 9, Normal = 1000, Button = 1002, Any = 1003 }
export const enum MouseEncoding { Default = 0, Utf8 = 1005, Sgr = 1006, Urxvt = 1015, SgrPixels = 1016 }

export class Modes {
  insert = false;            // IRM (ANSI 4)
  lineFeedNewLine = false;   // LNM (ANSI 20)
  appCursor = false;         // DECCKM (?1)
  reverseVideo = false;      // DECSCNM (?5)
  origin = false;            // DECOM (?6)
  autowrap = true;           // DECAWM (?7)
  cursorBlink = false;       // ?12
  cursorVisible = true;      // DECTCEM (?25)
  appKeypad = false;         // DECKPAM / DECNKM (?66)
  leftRightMargins = false;  // DECLRMM (?69)
  reverseWrap = false;       // reverse-wraparound (?45): BS/CUB go back over soft-wrapped lines
  reverseWrapExtended = false; // ?1045: and from the top margin to the bottom one
  mouseTracking: MouseTracking = MouseTracking.None;
  mouseEncoding: MouseEncoding = MouseEncoding.Default;
  focusEvents = false;       // ?1004
  altScroll = false;         // ?1007
  bracketedPaste = false;    // ?2004
  synchronizedOutput = false; // ?2026
}

/** DECRPM state: 0 not recognized, 1 set, 2 reset, 3 permanently set, 4 permanently reset. */
export function decModeState(m: Modes, mode: number, altActive: boolean): number {
  const b = (v: boolean): number => (v ? 1 : 2);
  switch (mode) {
    case 1: return b(m.appCursor);
    case 5: return b(m.reverseVideo);
    case 6: return b(m.origin);
    case 7: return b(m.autowrap);
    case 12: return b(m.cursorBlink);
    case 25: return b(m.cursorVisible);
    case 66: return b(m.appKeypad);
    case 69: return b(m.leftRightMargins);
    case 45: return b(m.reverseWrap);
    case 1045: return b(m.reverseWrapExtended);
    case 9: case 1000: case 1002: case 1003: return b(m.mouseTracking === mode);
    case 1005: case 1006: case 1015: case 1016: return b(m.mouseEncoding === mode);
    case 1004: return b(m.focusEvents);
    case 1007: return b(m.altScroll);
    case 47: case 1047: case 1049: return b(altActive);
    case 2004: return b(m.bracketedPaste);
    case 2026: return b(m.synchronizedOutput);
    case 2027: return 3; // grapheme clustering is always on
    default: return 0;
  }
}

export function ansiModeState(m: Modes, mode: number): number {
  switch (mode) {
    case 4: return m.insert ? 1 : 2;
    case 20: return m.lineFeedNewLine ? 1 : 2;
    default: return 0;
  }
}
