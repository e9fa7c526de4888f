/**
 * The bytes of the terminal's simpler replies to the program (DA, DSR and its DEC variants,
 * XTVERSION, OSC colour queries), as xterm spells them. Pure: the Terminal supplies the state
 * and sends the string through its reply callback. The other reports have files of their own:
 * report-status.ts (DECRQSS), report-termcap.ts (XTGETTCAP), report-checksum.ts (DECRQCRA),
 * report-window.ts (XTWINOPS), report-modes.ts (DECRQM).
 */
import { formatColorSpec } from './color-spec.js';
import { paletteRgb } from './palette.js';

/** DSR 5: "no malfunction". */
export const OPERATING_STATUS_OK = '\x1b[0n';

/** XTVERSION (`CSI > q`). */
export const VERSION = '\x1bP>|termpool 0.1.0\x1b\\';

/**
 * DA1 as a VT220 with ANSI colour; DA2 as xterm's conservative answer; DA3 a zero unit id.
 * NOTE: the level-dependent answers (DECSCL, DSR 26) follow the same VT220 identity, as xterm
 * answers them with decTerminalID 220.
 */
export function deviceAttributes(kind: 'primary' | 'secondary' | 'tertiary'): string {
  if (kind === 'primary') return '\x1b[?62;22c';
  if (kind === 'secondary') return '\x1b[>1;10;0c';
  return '\x1bP!|00000000\x1b\\';
}

/** CPR (DSR 6) and DECXCPR (`CSI ? 6 n`), 1-based, already relative to the origin. */
export function cursorPosition(row: number, col: number, dec: boolean): string {
  return dec ? `\x1b[?${row};${col}R` : `\x1b[${row};${col}R`;
}

/**
 * The fixed DEC DSR answers (`CSI ? Ps n`), as xterm gives them at the VT220 level DA1 claims,
 * for a terminal with no printer, no user-defined keys, no DEC locator and no macros. null for
 * codes xterm does not answer (and for 6, which needs the cursor).
 *   15 printer: `?13n` no printer         25 UDKs: `?20n` unlocked
 *   26 keyboard: `?27;1n` North American (the ready and LK201 fields are VT300/VT400 ones)
 *   53, 55 locator: `?50n` no locator     56 locator type: `?57;0n` cannot identify
 *   62 macro space: `0*{` none            75 data integrity: `?70n` ready, no errors
 *   85 multi-session: `?83n` not configured
 */
export function decStatusReport(code: number): string | null {
  switch (code) {
    case 15: return '\x1b[?13n';
    case 25: return '\x1b[?20n';
    case 26: return '\x1b[?27;1n';
    case 53: case 55: return '\x1b[?50n';
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

/** OSC 4 query answer for entry `index`: the program's colour, else xterm's default. */
export function paletteColor(index: number, override: string | undefined, terminator: 'bel' | 'st'): string {
  return osc(`4;${index};${override ?? formatColorSpec(paletteRgb(index))}`, terminator);
}
