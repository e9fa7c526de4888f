/**
 * CSI decoding: one `csiDispatch` (private-marker prefix, params, intermediates, final) →
 * named `Handler` calls, with ECMA-48 / xterm ctlseqs defaults already applied.
 *
 * Owns which (prefix, intermediates, final) triples we recognise and their parameter
 * defaults; anything unrecognised is dropped silently, as xterm does. SGR lives in sgr.ts.
 */
import type { ParamsView } from '../parser/parser-handler.js';
import type { Handler } from './actions.js';
import { dispatchSgr } from './sgr.js';

const NONE = 0;
const Q = 0x3f;        // '?'
const GT = 0x3e;       // '>'
const EQ = 0x3d;       // '='
const SP = 0x20;       // ' '
const BANG = 0x21;     // '!'
const DOLLAR = 0x24;   // '$'
const QUOTE = 0x27;    // "'"
const DQUOTE = 0x22;   // '"'
const STAR = 0x2a;     // '*'
const HASH = 0x23;     // '#'

/** First parameter as a count: missing or 0 becomes 1 (ECMA-48 "default 1"). */
function count(params: ParamsView): number {
  const v = params.get(0, 1);
  return v === 0 ? 1 : v;
}

/** Parameter `i` as a 1-based position: missing or 0 becomes 1. */
function pos(params: ParamsView, i: number): number {
  const v = params.get(i, 1);
  return v === 0 ? 1 : v;
}

export function dispatchCsi(
  h: Handler, prefix: number, params: ParamsView, intermediates: number, final: number,
): void {
  // SGR first: it is most of what colourful output sends (one check instead of two switches).
  // The rest is a function of its own so that this one stays small enough to be inlined
  // into the parser's hot loop.
  if (final === 0x6d && (prefix | intermediates) === NONE) {
    if (h.selectGraphicRendition !== undefined) h.selectGraphicRendition(params);
    else dispatchSgr(h, params);
    return;
  }
  dispatchCsiOther(h, prefix, params, intermediates, final);
}

function dispatchCsiOther(
  h: Handler, prefix: number, params: ParamsView, intermediates: number, final: number,
): void {
  if (intermediates !== NONE) {
    dispatchIntermediate(h, prefix, params, intermediates, final);
    return;
  }
  switch (prefix) {
    case NONE: dispatchPlain(h, params, final); return;
    case Q: dispatchDec(h, params, final); return;
    case GT: dispatchGt(h, params, final); return;
    case EQ:
      /** DA3 — CSI = c  @vt DA3 */
      if (final === 0x63 /* c */ && params.get(0, 0) === 0) h.deviceAttributes('tertiary');
      return;
    default: return;
  }
}

/** Sequences with no private marker and no intermediates: the ECMA-48 core. */
function dispatchPlain(h: Handler, params: ParamsView, final: number): void {
  switch (final) {
    /** ICH — CSI Ps @  @vt ICH */
    case 0x40: h.insertChars(count(params)); return;
    /** CUU — CSI Ps A  @vt CUU */
    case 0x41: h.cursorUp(count(params)); return;
    /** CUD — CSI Ps B  @vt CUD */
    case 0x42: h.cursorDown(count(params)); return;
    /** CUF — CSI Ps C  @vt CUF */
    case 0x43: h.cursorForward(count(params)); return;
    /** CUB — CSI Ps D  @vt CUB */
    case 0x44: h.cursorBackward(count(params)); return;
    /** CNL — CSI Ps E  @vt CNL */
    case 0x45: h.cursorNextLine(count(params)); return;
    /** CPL — CSI Ps F  @vt CPL */
    case 0x46: h.cursorPrevLine(count(params)); return;
    /** CHA — CSI Ps G  @vt CHA */
    case 0x47: h.setCursorCol(pos(params, 0)); return;
    /** CUP — CSI Ps ; Ps H  @vt CUP */
    case 0x48: h.setCursorPos(pos(params, 0), pos(params, 1)); return;
    /** CHT — CSI Ps I  @vt CHT */
    case 0x49: h.cursorForwardTab(count(params)); return;
    /** ED — CSI Ps J (0 below, 1 above, 2 all, 3 scrollback)  @vt ED */
    case 0x4a: eraseDisplay(h, params, false); return;
    /** EL — CSI Ps K (0 right, 1 left, 2 all)  @vt EL */
    case 0x4b: eraseLine(h, params, false); return;
    /** IL — CSI Ps L  @vt IL */
    case 0x4c: h.insertLines(count(params)); return;
    /** DL — CSI Ps M  @vt DL */
    case 0x4d: h.deleteLines(count(params)); return;
    /** DCH — CSI Ps P  @vt DCH */
    case 0x50: h.deleteChars(count(params)); return;
    /** SU — CSI Ps S  @vt SU */
    case 0x53: h.scrollUp(count(params)); return;
    /**
     * SD — CSI Ps T  @vt SD
     * With more than one parameter this is xterm's mouse highlight tracking
     * (`CSI func;startx;starty;firstrow;lastrow T`), which we do not support.
     */
    case 0x54: if (params.length <= 1) h.scrollDown(count(params)); return;
    /** ECH — CSI Ps X  @vt ECH */
    case 0x58: h.eraseChars(count(params)); return;
    /** CBT — CSI Ps Z  @vt CBT */
    case 0x5a: h.cursorBackwardTab(count(params)); return;
    /** HPA — CSI Pm `  @vt HPA */
    case 0x60: h.setCursorCol(pos(params, 0)); return;
    /** HPR — CSI Pm a (xterm: CUP to the column n further, so no margin stop)  @vt HPR */
    case 0x61: h.cursorColRelative(count(params)); return;
    /** REP — CSI Ps b  @vt REP */
    case 0x62: h.repeatPreceding(count(params)); return;
    /** DA1 — CSI Ps c (Ps 0 or absent)  @vt DA1 */
    case 0x63: if (params.get(0, 0) === 0) h.deviceAttributes('primary'); return;
    /** VPA — CSI Pm d  @vt VPA */
    case 0x64: h.setCursorRow(pos(params, 0)); return;
    /** VPR — CSI Pm e (xterm: CUP to the row n further down, past the scroll region)  @vt VPR */
    case 0x65: h.cursorRowRelative(count(params)); return;
    /** HVP — CSI Ps ; Ps f  @vt HVP */
    case 0x66: h.setCursorPos(pos(params, 0), pos(params, 1)); return;
    /** HPB — CSI Pn j (ECMA-48 8.3.58; libvterm): HPR backwards  @vt HPB */
    case 0x6a: h.cursorColRelative(-count(params)); return;
    /** VPB — CSI Pn k (ECMA-48 8.3.160; libvterm): VPR backwards  @vt VPB */
    case 0x6b: h.cursorRowRelative(-count(params)); return;
    /** TBC — CSI Ps g (0 at cursor, 3 all; others ignored as in xterm)  @vt TBC */
    case 0x67: {
      const mode = params.get(0, 0);
      if (mode === 0 || mode === 3) h.clearTabStop(mode);
      return;
    }
    /** SM — CSI Pm h  @vt SM */
    case 0x68: setModes(h, params, true, true); return;
    /** RM — CSI Pm l  @vt RM */
    case 0x6c: setModes(h, params, true, false); return;
    /** SGR — CSI Pm m  @vt SGR */
    case 0x6d: dispatchSgr(h, params); return;
    /** DSR — CSI Ps n (5 status, 6 CPR)  @vt DSR */
    case 0x6e: {
      const code = params.get(0, 0);
      if (code === 5 || code === 6) h.deviceStatusReport(code, false);
      return;
    }
    /** DECSTBM — CSI Ps ; Ps r (0/missing = default edge, resolved by the Terminal)  @vt DECSTBM */
    case 0x72: h.setTopBottomMargin(params.get(0, 0), params.get(1, 0)); return;
    /**
     * DECSLRM — CSI Pl ; Pr s  /  SCOSC — CSI s  @vt DECSLRM @vt SCOSC
     *
     * xterm picks between the two by DECLRMM (mode 69), which only the Terminal knows. We
     * split on the parameters instead: with parameters → setLeftRightMargin, bare `CSI s` →
     * saveCursor. NOTE: that leaves two edge cases to the Terminal: `CSI l;r s` with mode 69
     * off should save the cursor (setLeftRightMargin can do that itself), and bare `CSI s`
     * with mode 69 on should reset the margins (not distinguishable from ESC 7 here).
     */
    case 0x73:
      if (params.length === 0) h.saveCursor();
      else h.setLeftRightMargin(params.get(0, 0), params.get(1, 0));
      return;
    /** Window ops — CSI Ps ; Ps ; Ps t (the Terminal answers the size reports)  @vt XTWINOPS */
    case 0x74:
      if (params.length > 0) h.windowOp(params.get(0, 0), params.get(1, 0), params.get(2, 0));
      return;
    /** SCORC — CSI u  @vt SCORC */
    case 0x75: if (params.length === 0) h.restoreCursor(); return;
    default: return;
  }
}

/** `CSI ? …` — DEC private sequences. */
function dispatchDec(h: Handler, params: ParamsView, final: number): void {
  switch (final) {
    /** DECSED — CSI ? Ps J  @vt DECSED */
    case 0x4a: eraseDisplay(h, params, true); return;
    /** DECSEL — CSI ? Ps K  @vt DECSEL */
    case 0x4b: eraseLine(h, params, true); return;
    /** DECSET — CSI ? Pm h  @vt DECSET */
    case 0x68: setModes(h, params, false, true); return;
    /** DECRST — CSI ? Pm l  @vt DECRST */
    case 0x6c: setModes(h, params, false, false); return;
    /** XTRESTORE — CSI ? Pm r  @vt XTRESTORE */
    case 0x72: h.restoreDecModes(modeList(params)); return;
    /** XTSAVE — CSI ? Pm s  @vt XTSAVE */
    case 0x73: h.saveDecModes(modeList(params)); return;
    /** DECDSR — CSI ? Ps n (`? 6 n` is DECXCPR; other codes are passed for the Terminal to ignore)  @vt DECXCPR */
    case 0x6e: {
      const code = params.get(0, 0);
      if (code !== 0) h.deviceStatusReport(code, true);
      return;
    }
    default: return;
  }
}

/** `CSI > …` — xterm/secondary sequences. NOTE: `CSI > Ps ; Ps m` is XTMODKEYS, never SGR. */
function dispatchGt(h: Handler, params: ParamsView, final: number): void {
  switch (final) {
    /** DA2 — CSI > Ps c  @vt DA2 */
    case 0x63: if (params.get(0, 0) === 0) h.deviceAttributes('secondary'); return;
    /** XTVERSION — CSI > Ps q  @vt XTVERSION */
    case 0x71: if (params.get(0, 0) === 0) h.reportVersion(); return;
    default: return;
  }
}

/** Sequences with intermediate bytes (at most one is meaningful for everything we decode). */
function dispatchIntermediate(
  h: Handler, prefix: number, params: ParamsView, intermediates: number, final: number,
): void {
  if (intermediates === SP && final === 0x71 /* q */ && prefix === NONE) {
    /** DECSCUSR — CSI Ps SP q (0..6)  @vt DECSCUSR */
    const style = params.get(0, 0);
    if (style <= 6) h.setCursorStyle(style);
    return;
  }
  if (intermediates === SP && prefix === NONE) {
    /** SL — CSI Ps SP @  @vt SL */
    if (final === 0x40) { h.scrollLeft(count(params)); return; }
    /** SR — CSI Ps SP A  @vt SR */
    if (final === 0x41) { h.scrollRight(count(params)); return; }
  }
  if (intermediates === QUOTE && prefix === NONE) {
    /** DECIC — CSI Ps ' }  @vt DECIC */
    if (final === 0x7d) { h.insertColumns(count(params)); return; }
    /** DECDC — CSI Ps ' ~  @vt DECDC */
    if (final === 0x7e) { h.deleteColumns(count(params)); return; }
  }
  if (intermediates === DOLLAR && prefix === NONE && dispatchRectangle(h, params, final)) return;
  if (intermediates === DQUOTE && final === 0x71 /* q */ && prefix === NONE) {
    /** DECSCA — CSI Ps " q  @vt DECSCA */
    h.setCharProtection(params.get(0, 0));
    return;
  }
  if (intermediates === STAR && final === 0x78 /* x */ && prefix === NONE) {
    /** DECSACE — CSI Ps * x  @vt DECSACE */
    h.setAttributeChangeExtent(params.get(0, 0));
    return;
  }
  if (intermediates === BANG && final === 0x70 /* p */ && prefix === NONE) {
    /** DECSTR — CSI ! p  @vt DECSTR */
    h.softReset();
    return;
  }
  if (intermediates === DOLLAR && final === 0x70 /* p */) {
    /** DECRQM — CSI Ps $ p (ANSI) / CSI ? Ps $ p (DEC)  @vt DECRQM */
    if (prefix === NONE) h.requestMode(true, params.get(0, 0));
    else if (prefix === Q) h.requestMode(false, params.get(0, 0));
  }
  if (intermediates === STAR && final === 0x79 /* y */ && prefix === NONE) {
    /** DECRQCRA — CSI Pi ; Pg ; Pt ; Pl ; Pb ; Pr * y  @vt DECRQCRA */
    h.requestChecksum(params.get(0, -1), params.get(2, 0), params.get(3, 0), params.get(4, 0), params.get(5, 0));
    return;
  }
  if (intermediates === HASH && final === 0x79 /* y */ && prefix === NONE) {
    /** XTCHECKSUM — CSI Ps # y  @vt XTCHECKSUM */
    h.setChecksumExtension(params.get(0, 0));
    return;
  }
  // Others (DECSCA `"q`, DECSCL `"p`, SL/SR ` @`/` A`, DECCARA `$r`, …) are ignored.
}

/** `CSI … $ final` rectangle operations (VT420); false for any other final. */
function dispatchRectangle(h: Handler, params: ParamsView, final: number): boolean {
  const p = (i: number): number => params.get(i, 0);
  switch (final) {
    /** DECFRA — CSI Pch ; Pt ; Pl ; Pb ; Pr $ x  @vt DECFRA */
    case 0x78: h.fillRectangle(p(0), p(1), p(2), p(3), p(4)); return true;
    /** DECERA — CSI Pt ; Pl ; Pb ; Pr $ z  @vt DECERA */
    case 0x7a: h.eraseRectangle(p(0), p(1), p(2), p(3), false); return true;
    /** DECSERA — CSI Pt ; Pl ; Pb ; Pr $ {  @vt DECSERA */
    case 0x7b: h.eraseRectangle(p(0), p(1), p(2), p(3), true); return true;
    /** DECCRA — CSI Pts ; Pls ; Pbs ; Prs ; Pps ; Ptd ; Pld ; Ppd $ v  @vt DECCRA */
    case 0x76: h.copyRectangle(p(0), p(1), p(2), p(3), p(5), p(6)); return true;
    /** DECCARA — CSI Pt ; Pl ; Pb ; Pr ; Ps… $ r  @vt DECCARA */
    case 0x72: h.changeRectangleAttributes(false, p(0), p(1), p(2), p(3), attrList(params)); return true;
    /** DECRARA — CSI Pt ; Pl ; Pb ; Pr ; Ps… $ t  @vt DECRARA */
    case 0x74: h.changeRectangleAttributes(true, p(0), p(1), p(2), p(3), attrList(params)); return true;
    default: return false;
  }
}

/** DECCARA/DECRARA's Ps list: the parameters after the rectangle (at most the parser's 32). */
function attrList(params: ParamsView): number[] {
  const out: number[] = [];
  for (let i = 4; i < params.length; i++) out.push(params.get(i, 0));
  return out;
}

function eraseDisplay(h: Handler, params: ParamsView, selective: boolean): void {
  const mode = params.get(0, 0);
  if (mode >= 0 && mode <= 3) h.eraseInDisplay(mode as 0 | 1 | 2 | 3, selective);
}

function eraseLine(h: Handler, params: ParamsView, selective: boolean): void {
  const mode = params.get(0, 0);
  if (mode >= 0 && mode <= 2) h.eraseInLine(mode as 0 | 1 | 2, selective);
}

/** The modes XTSAVE/XTRESTORE name (empty parameters skipped; at most the parser's 32). */
function modeList(params: ParamsView): number[] {
  const out: number[] = [];
  for (let i = 0; i < params.length; i++) if (!params.isEmpty(i)) out.push(params.get(i, 0));
  return out;
}

/** SM/RM/DECSET/DECRST take any number of modes: one `setMode` each, empty ones skipped. */
function setModes(h: Handler, params: ParamsView, ansi: boolean, enabled: boolean): void {
  for (let i = 0; i < params.length; i++) {
    if (!params.isEmpty(i)) h.setMode(ansi, params.get(i, 0), enabled);
  }
}
