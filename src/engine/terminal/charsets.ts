/**
 * G0..G3 character sets: DEC Special Graphics (line drawing) and UK, as xterm maps them.
 * Only printable ASCII is translated; everything else passes through.
 */
import { Charset } from '../stream/actions.js';

/** DEC Special Graphics for 0x5f..0x7e (vt100 "ESC ( 0"). */
const DEC_SPECIAL = [
  0x00a0, 0x25c6, 0x2592, 0x2409, 0x240c, 0x240d, 0x240a, 0x00b0, 0x00b1, 0x2424, 0x240b,
  0x2518, 0x2510, 0x250c, 0x2514, 0x253c, 0x23ba, 0x23bb, 0x2500, 0x23bc, 0x23bd, 0x251c,
  0x2524, 0x2534, 0x252c, 0x2502, 0x2264, 0x2265, 0x03c0, 0x2260, 0x00a3, 0x00b7,
];

export function translateCharset(charset: Charset, cp: number): number {
  if (charset === Charset.DecSpecial) {
    if (cp >= 0x5f && cp <= 0x7e) return DEC_SPECIAL[cp - 0x5f];
    return cp;
  }
  if (charset === Charset.Uk && cp === 0x23) return 0xa3;
  return cp;
}
