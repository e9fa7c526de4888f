/**
 * ESC decoding (`ESC [intermediates] final`) and C0/C1 control execution → `Handler` calls.
 *
 * Owns the mapping of two- and three-byte escape sequences (DECSC, IND, SCS, DECALN, …) and
 * of single control codes (BEL, BS, HT, LF, …, plus the 8-bit C1 IND/NEL/HTS/RI).
 * Unrecognised sequences and controls are ignored, as in xterm.
 */
import type { Handler } from './actions.js';
import { Charset } from './actions.js';

/**
 * C0 controls and 8-bit C1 controls.  @vt BEL @vt BS @vt HT @vt LF @vt VT @vt FF @vt CR
 * @vt SO @vt SI @vt IND @vt NEL @vt HTS @vt RI
 */
export function executeControl(h: Handler, code: number): void {
  switch (code) {
    case 0x07: h.bell(); return;
    case 0x08: h.backspace(); return;
    case 0x09: h.horizontalTab(1); return;
    // VT and FF are treated exactly like LF (xterm, ECMA-48 notwithstanding).
    case 0x0a: case 0x0b: case 0x0c: h.linefeed(); return;
    case 0x0d: h.carriageReturn(); return;
    /** SO (LS1) — invoke G1 into GL. */
    case 0x0e: h.invokeCharset(1); return;
    /** SI (LS0) — invoke G0 into GL. */
    case 0x0f: h.invokeCharset(0); return;
    case 0x84: h.index(); return;
    case 0x85: h.nextLine(); return;
    case 0x88: h.setTabStop(); return;
    case 0x8d: h.reverseIndex(); return;
    default: return;
  }
}

const NONE = 0;

export function dispatchEsc(h: Handler, intermediates: number, final: number): void {
  if (intermediates === NONE) {
    dispatchPlain(h, final);
    return;
  }
  // Only single-intermediate sequences are recognised; the high byte would be a second one.
  if (intermediates > 0xff) return;
  switch (intermediates) {
    /** SCS — ESC ( F / ESC ) F / ESC * F / ESC + F: designate G0..G3 (94-character sets)  @vt SCS */
    case 0x28: designate(h, 0, final); return;
    case 0x29: designate(h, 1, final); return;
    case 0x2a: designate(h, 2, final); return;
    case 0x2b: designate(h, 3, final); return;
    case 0x23:
      /** DECALN — ESC # 8  @vt DECALN */
      if (final === 0x38) h.screenAlignmentTest();
      /** DECDHL top — ESC # 3, bottom — ESC # 4  @vt DECDHL */
      else if (final === 0x33) h.setLineSize(2);
      else if (final === 0x34) h.setLineSize(3);
      /** DECSWL — ESC # 5  @vt DECSWL */
      else if (final === 0x35) h.setLineSize(0);
      /** DECDWL — ESC # 6  @vt DECDWL */
      else if (final === 0x36) h.setLineSize(1);
      return;
    // ESC SP F/G (S7C1T/S8C1T), ESC % @/G (charset select), ESC - . / (96-sets): ignored.
    default: return;
  }
}

function dispatchPlain(h: Handler, final: number): void {
  switch (final) {
    /** DECBI — ESC 6  @vt DECBI */
    case 0x36: h.backIndex(); return;
    /** DECFI — ESC 9  @vt DECFI */
    case 0x39: h.forwardIndex(); return;
    /** SPA — ESC V: start of an ISO protected area  @vt SPA */
    case 0x56: h.setProtectedArea(true); return;
    /** EPA — ESC W: end of an ISO protected area  @vt EPA */
    case 0x57: h.setProtectedArea(false); return;
    /** DECSC — ESC 7  @vt DECSC */
    case 0x37: h.saveCursor(); return;
    /** DECRC — ESC 8  @vt DECRC */
    case 0x38: h.restoreCursor(); return;
    /** IND — ESC D  @vt IND */
    case 0x44: h.index(); return;
    /** NEL — ESC E  @vt NEL */
    case 0x45: h.nextLine(); return;
    /** HTS — ESC H  @vt HTS */
    case 0x48: h.setTabStop(); return;
    /** RI — ESC M  @vt RI */
    case 0x4d: h.reverseIndex(); return;
    /** DECID — ESC Z: answered as DA1, as xterm answers it  @vt DECID */
    case 0x5a: h.deviceAttributes('primary'); return;
    /** RIS — ESC c  @vt RIS */
    case 0x63: h.fullReset(); return;
    /** DECKPAM — ESC =  @vt DECKPAM */
    case 0x3d: h.setKeypadApplication(true); return;
    /** DECKPNM — ESC >  @vt DECKPNM */
    case 0x3e: h.setKeypadApplication(false); return;
    /** LS2 — ESC n: invoke G2 into GL  @vt LS2 */
    case 0x6e: h.invokeCharset(2); return;
    /** LS3 — ESC o: invoke G3 into GL  @vt LS3 */
    case 0x6f: h.invokeCharset(3); return;
    // ESC \ is ST: it only ends a string the parser already closed, so there is nothing to do.
    // LS1R/LS2R/LS3R (~ } |) invoke into GR, which a UTF-8 terminal never uses: ignored.
    default: return;
  }
}

/** Final byte → charset: 0 DEC Special Graphics, B US-ASCII, A UK. Others are ignored. */
function designate(h: Handler, g: 0 | 1 | 2 | 3, final: number): void {
  switch (final) {
    case 0x30: h.designateCharset(g, Charset.DecSpecial); return;
    case 0x42: h.designateCharset(g, Charset.Ascii); return;
    case 0x41: h.designateCharset(g, Charset.Uk); return;
    default: return;
  }
}
