/**
 * SM/RM and DECSET/DECRST: the mode's state goes into Modes, its side effects (homing on
 * DECOM, margins reset on DECLRMM off, the alternate screen) happen here. XTSAVE/XTRESTORE
 * keep and bring back DEC private modes by number.
 */
import { decModeState, MouseEncoding, MouseTracking } from './modes.js';
import { restoreCursor, saveCursor } from './save-restore.js';
import { switchScreen } from './screen-switch.js';
import type { Terminal } from './terminal.js';

export function setMode(t: Terminal, ansi: boolean, mode: number, on: boolean): void {
  const m = t.modes;
  if (ansi) {
    if (mode === 4) m.insert = on;
    else if (mode === 20) m.lineFeedNewLine = on;
    return;
  }
  switch (mode) {
    case 1: m.appCursor = on; break;
    case 5: m.reverseVideo = on; break;
    case 6: m.origin = on; t.setCursorPos(1, 1); break;
    case 7: m.autowrap = on; if (!on) t.cursor.pendingWrap = false; break;
    case 12: m.cursorBlink = on; break;
    case 25: m.cursorVisible = on; break;
    case 66: m.appKeypad = on; break;
    case 69:
      m.leftRightMargins = on;
      if (!on) { t.leftMargin = 0; t.rightMargin = t.cols - 1; }
      break;
    case 45: m.reverseWrap = on; break;
    case 1045: m.reverseWrapExtended = on; break;
    case 9: case 1000: case 1002: case 1003:
      m.mouseTracking = on ? (mode as MouseTracking) : MouseTracking.None;
      break;
    case 1005: case 1006: case 1015: case 1016:
      if (on) m.mouseEncoding = mode as MouseEncoding;
      else if (m.mouseEncoding === mode) m.mouseEncoding = MouseEncoding.Default;
      break;
    case 1004: m.focusEvents = on; break;
    case 1007: m.altScroll = on; break;
    case 2004: m.bracketedPaste = on; break;
    case 2026: m.synchronizedOutput = on; break;
    case 47: switchScreen(t, on, false, false); break;
    case 1047: switchScreen(t, on, false, true); break;
    case 1048: if (on) saveCursor(t); else restoreCursor(t); break;
    case 1049: switchScreen(t, on, true, true); break;
    default: break;
  }
}

/** XTSAVE — CSI ? Pm s: keep each listed DEC private mode this terminal knows.  @vt XTSAVE */
export function saveDecModes(t: Terminal, modes: number[]): void {
  for (const mode of modes) {
    const state = decModeState(t.modes, mode, t.altActive);
    if (state === 1 || state === 2) t.savedDecModes.set(mode, state === 1);
  }
}

/** XTRESTORE — CSI ? Pm r: each listed mode back to its XTSAVE'd value (unsaved ones untouched).  @vt XTRESTORE */
export function restoreDecModes(t: Terminal, modes: number[]): void {
  for (const mode of modes) {
    const on = t.savedDecModes.get(mode);
    if (on !== undefined) setMode(t, false, mode, on);
  }
}
