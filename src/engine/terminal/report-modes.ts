/**
 * DECRQM — `CSI Ps $ p` / `CSI ? Ps $ p`, answered with DECRPM `CSI [?] Ps ; Pm $ y`:
 * Pm 0 not recognized, 1 set, 2 reset, 3 permanently set, 4 permanently reset.
 *
 * Owns the answers for modes termpool does not keep a state for. The modes it does keep are
 * answered from that state (modes.ts decModeState/ansiModeState, 1 or 2). For the rest:
 *  - xterm's own permanent answers (charproc.c do_ansi_rqm / do_dec_rqm): ANSI GATM 1, SRTM 5,
 *    VEM 7, HEM 10, PUM 11, FEAM 13 … EBM 19 are 4, CRM 3 is 2; DEC DECARM 8 is 4;
 *  - every other mode xterm knows but termpool cannot change (132 columns, smooth scroll,
 *    printer, Tektronix, toolbar/scrollbar/font shifting, NRCS, margin bell, logging, DECBKM,
 *    sixel, X11 keyboard and selection preferences …) is 4: setting it does nothing here, so
 *    "permanently reset" is the true answer where xterm, which can change it, says 1 or 2;
 *  - KAM (2) is 4 (the keyboard is never locked) and SRM (12) 3 (no local echo, ever); DECANM
 *    (?2) is 3 (always ANSI, there is no VT52 mode); ?1046 (switching to the alternate screen
 *    allowed) is 3; ?1048 reports whether a cursor is saved, as xterm does;
 *  - anything else is 0, as xterm answers a mode it does not know.
 */
import { ansiModeState, decModeState } from './modes.js';
import type { Terminal } from './terminal.js';

const PERMANENTLY_SET = 3;
const PERMANENTLY_RESET = 4;

const ANSI_FIXED = new Map<number, number>([
  [1, 4], [2, 4], [3, 2], [5, 4], [7, 4], [10, 4], [11, 4], [12, 3],
  [13, 4], [14, 4], [15, 4], [16, 4], [17, 4], [18, 4], [19, 4],
]);

/** DEC private modes xterm knows that termpool cannot set (answered 4). */
const DEC_UNSETTABLE = [
  3, 4, 8, 10, 13, 14, 18, 19, 30, 35, 38, 40, 41, 42, 44, 46, 67, 80, 95, 1001,
  1010, 1011, 1034, 1035, 1036, 1037, 1039, 1040, 1041, 1042, 1043, 1044,
  1050, 1051, 1052, 1053, 1060, 1061, 1070, 2001, 2002, 2003, 2005, 2006,
];
const DEC_FIXED = new Map<number, number>([
  ...DEC_UNSETTABLE.map((m): [number, number] => [m, PERMANENTLY_RESET]),
  [2, PERMANENTLY_SET],
  [1046, PERMANENTLY_SET],
]);

/** The DECRPM Pm for mode `mode`. */
export function modeState(t: Terminal, ansi: boolean, mode: number): number {
  if (ansi) {
    const s = ansiModeState(t.modes, mode);
    return s !== 0 ? s : ANSI_FIXED.get(mode) ?? 0;
  }
  const s = decModeState(t.modes, mode, t.altActive);
  if (s !== 0) return s;
  if (mode === 1048) return t.active.saved !== null ? 1 : 2;
  return DEC_FIXED.get(mode) ?? 0;
}

/** The DECRPM reply. */
export function modeReply(ansi: boolean, mode: number, state: number): string {
  return `\x1b[${ansi ? '' : '?'}${mode};${state}$y`;
}
