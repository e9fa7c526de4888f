/**
 * The bytes of the terminal's replies to the program (DA, DSR, XTVERSION, XTWINOPS reports,
 * OSC colour queries), as xterm spells them. Pure: the Terminal supplies the state and sends
 * the string through its reply callback.
 */
import { formatPaletteColor, paletteRgb } from './palette.js';

/** DSR 5: "no malfunction". */
export const OPERATING_STATUS_OK = '\x1b[0n';

/** XTVERSION (`CSI > q`). */
export const VERSION = '\x1bP>|termpool 0.1.0\x1b\\';

/** DA1 as a VT220 with ANSI colour; DA2 as xterm's conservative answer; DA3 a zero unit id. */
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
 * XTWINOPS size reports: 18 the text area in cells, 14 in pixels and 16 one cell in pixels,
 * for an 8x16 cell (there is no real font). Others are not reported: null.
 */
export function windowReport(op: number, rows: number, cols: number): string | null {
  if (op === 18) return `\x1b[8;${rows};${cols}t`;
  if (op === 14) return `\x1b[4;${rows * 16};${cols * 8}t`;
  if (op === 16) return '\x1b[6;16;8t';
  return null;
}

function osc(body: string, terminator: 'bel' | 'st'): string {
  return `\x1b]${body}${terminator === 'bel' ? '\x07' : '\x1b\\'}`;
}

/** OSC 10/11/... query: the colour set by the program, else white on black. */
export function dynamicColor(index: number, set: string | undefined, terminator: 'bel' | 'st'): string {
  const value = set ?? (index === 11 ? 'rgb:0000/0000/0000' : 'rgb:ffff/ffff/ffff');
  return osc(`${index};${value}`, terminator);
}

/** OSC 4 query of palette entry `index`: the program's override, else xterm's default. */
export function paletteColor(index: number, override: string | undefined, terminator: 'bel' | 'st'): string {
  return osc(`4;${index};${override ?? formatPaletteColor(paletteRgb(index))}`, terminator);
}
