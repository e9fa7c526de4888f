/**
 * The bytes of the terminal's simpler replies to the program (DA, DSR and its DEC variants,
 * XTVERSION, OSC colour queries), as xterm spells them. Pure: the Terminal supplies the state
 * and sends the string through its reply callback. The other reports have files of their own:
 * report-status.ts (DECRQSS), report-termcap.ts (XTGETTCAP), report-checksum.ts (DECRQCRA),
 * report-window.ts (XTWINOPS), report-modes.ts (DECRQM).
 */
import { formatColorSpec } from './color-spec.js';
import { paletteRgb, SPECIAL_COLOR_BASE } from './palette.js';

/** DSR 5: "no malfunction". */
export const OPERATING_STATUS_OK = '\x1b[0n';

/** XTVERSION (`CSI > q`). */
export const VERSION = '\x1bP>|termpool 0.1.0\x1b\\';

/**
 * DA1 at xterm's default level (decTerminalID 420: first parameter 64, a VT420), listing only the
 * features termpool has; xterm's own default answer is `?64;1;2;6;9;15;16;17;18;21;22;28c`
 * (charproc.c CASE_DA1: no 8 without a VT220 keyboard, no 3/4 without ReGIS/sixel, no 29 without
 * the DEC locator). Kept: 6 selective erase (DECSCA, DECSED, DECSEL, DECSERA), 21 horizontal
 * scrolling (SL, SR, DECIC, DECDC, DECBI, DECFI), 22 ANSI colour, 28 rectangular editing (DECCRA,
 * DECFRA, DECERA, DECSERA, DECCARA, DECRARA). Left out: 1 132 columns (DECCOLM never switches),
 * 2 printer (no media copy), 9 NRCS (only the British set), 15 technical characters (no DEC
 * technical set), 16 locator port (no DEC locator), 17 terminal state interrogation (no
 * DECRQTSR/DECRQPSR), 18 user windows (DECSLPP/DECSCPP/DECSNLS do not resize a session).
 * DA2 as xterm's VT420 (41) with termpool's own version, not xterm's patch number; DA3 (DECRPTUI,
 * answered from level 4) a zero unit id as xterm's. The level-dependent answers (DECSCL, DSR 26,
 * DECXCPR) are xterm's at the same level 4.
 */
export const DA1 = '\x1b[?64;6;21;22;28c';
export function deviceAttributes(kind: 'primary' | 'secondary' | 'tertiary'): string {
  if (kind === 'primary') return DA1;
  if (kind === 'secondary') return '\x1b[>41;10;0c';
  return '\x1bP!|00000000\x1b\\';
}

/**
 * CPR (DSR 6) and DECXCPR (`CSI ? 6 n`), 1-based, already relative to the origin. DECXCPR adds
 * the page (always 1) at level 4, as xterm's VT420.
 */
export function cursorPosition(row: number, col: number, dec: boolean): string {
  return dec ? `\x1b[?${row};${col};1R` : `\x1b[${row};${col}R`;
}

/**
 * The fixed DEC DSR answers (`CSI ? Ps n`), as xterm gives them at the VT420 level DA1 claims,
 * for a terminal with no printer, no user-defined keys, no DEC locator and no macros. null for
 * codes xterm does not answer (and for 6, which needs the cursor).
 *   15 printer: `?13n` no printer         25 UDKs: `?20n` unlocked
 *   26 keyboard: `?27;1;0;0n` North American, ready, LK201 (the last two from VT320/VT420)
 *   55 locator: `?53n` no locator (xterm without OPT_DEC_LOCATOR; `?50n` would say "ready")
 *   53 the same (older xterms answered 53 as 55; the newest answer only 55)
 *   56 locator type: `?57;0n` cannot identify
 *   62 macro space: `0*{` none            75 data integrity: `?70n` ready, no errors
 *   85 multi-session: `?83n` not configured
 */
export function decStatusReport(code: number): string | null {
  switch (code) {
    case 15: return '\x1b[?13n';
    case 25: return '\x1b[?20n';
    case 26: return '\x1b[?27;1;0;0n';
    case 53: case 55: return '\x1b[?53n';
    case 56: return '\x1b[?57;0n';
    case 62: return '\x1b[0*{';
    case 75: return '\x1b[?70n';
    case 85: return '\x1b[?83n';
    default: return null;
  }
}

function osc(body: string, terminator: 'bel' | 'st'): string {
  return `\x1b]${body}${terminator === 'bel' ? '\x07' : '\x1b\\'}`;
}

/**
 * The dynamic colours' defaults, 0xRRGGBB: termpool's renderers draw the default foreground
 * 0xe5e5e5 (xterm's colour 7) on 0x000000 (src/render/palette.ts DEFAULT_THEME; the engine does
 * not import the renderers). 10 text fg, 11 text bg, 12 cursor, 13/14 mouse fg/bg, 15/16
 * Tektronix fg/bg, 17 highlight bg, 18 Tektronix cursor, 19 highlight fg.
 */
const DEFAULT_FG = 0xe5e5e5;
const DEFAULT_BG = 0x000000;
export function defaultDynamicColor(index: number): number {
  return index === 11 || index === 14 || index === 16 || index === 19 ? DEFAULT_BG : DEFAULT_FG;
}

/** OSC 10–19 query answer: `OSC Ps ; rgb:rrrr/gggg/bbbb` with the query's terminator. */
export function dynamicColor(index: number, set: string | undefined, terminator: 'bel' | 'st'): string {
  return osc(`${index};${set ?? formatColorSpec(defaultDynamicColor(index))}`, terminator);
}

/**
 * OSC 4 / OSC 5 query answer for palette entry `index` (0..260): the program's colour, else the
 * default — xterm's for 0..255; for the special colours (256..260) the text foreground, as
 * xterm's colorBD…colorIT default to it. Asked by OSC 5 (`opcode` 5) the answer names the
 * special colour 0..4, as xterm's ReportAnsiColorRequest does.
 */
export function paletteColor(index: number, override: string | undefined, terminator: 'bel' | 'st', opcode: 4 | 5 = 4): string {
  const rgb = override ?? formatColorSpec(index < SPECIAL_COLOR_BASE ? paletteRgb(index) : defaultDynamicColor(10));
  return osc(`${opcode};${opcode === 5 ? index - SPECIAL_COLOR_BASE : index};${rgb}`, terminator);
}
