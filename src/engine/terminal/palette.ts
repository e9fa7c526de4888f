/**
 * The xterm 256-colour palette, for OSC 4 queries and for renderers that need RGB (queries
 * answer it through color-spec.ts's formatColorSpec).
 * Indices 0..15 use xterm's defaults, 16..231 the 6×6×6 cube, 232..255 the grey ramp.
 */
const BASE16 = [
  0x000000, 0xcd0000, 0x00cd00, 0xcdcd00, 0x0000ee, 0xcd00cd, 0x00cdcd, 0xe5e5e5,
  0x7f7f7f, 0xff0000, 0x00ff00, 0xffff00, 0x5c5cff, 0xff00ff, 0x00ffff, 0xffffff,
];
const CUBE = [0, 0x5f, 0x87, 0xaf, 0xd7, 0xff];

/**
 * xterm's special colours follow the 256 palette entries (Acolors[256..260]): colorBD, colorUL,
 * colorBL, colorRV, colorIT — the colours of bold, underlined, blinking, reverse and italic text
 * when their colorXXMode is on. OSC 5 ; c numbers them 0..4, OSC 4 as 256 + c.
 */
export const SPECIAL_COLOR_BASE = 256;
export const SPECIAL_COLORS = 5;
/** Palette entries OSC 4 addresses: the 256 colours and the special colours after them. */
export const PALETTE_ENTRIES = SPECIAL_COLOR_BASE + SPECIAL_COLORS;

export function paletteRgb(index: number): number {
  if (index < 16) return BASE16[index];
  if (index < 232) {
    const i = index - 16;
    return (CUBE[Math.floor(i / 36)] << 16) | (CUBE[Math.floor(i / 6) % 6] << 8) | CUBE[i % 6];
  }
  const g = 8 + (index - 232) * 10;
  return (g << 16) | (g << 8) | g;
}
