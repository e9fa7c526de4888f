/**
 * Packed colours: one small integer per colour so that styles are flat numeric records.
 *
 * Layout (fits a positive int32, so bit ops never flip the sign):
 *   bits 24..25  kind: 0 default, 1 palette (index in bits 0..7), 2 RGB (0xRRGGBB in bits 0..23)
 */
export const COLOR_DEFAULT = 0;
export const COLOR_KIND_PALETTE = 1;
export const COLOR_KIND_RGB = 2;

export function paletteColor(index: number): number {
  return (COLOR_KIND_PALETTE << 24) | (index & 0xff);
}

export function rgbColor(r: number, g: number, b: number): number {
  return (COLOR_KIND_RGB << 24) | ((r & 0xff) << 16) | ((g & 0xff) << 8) | (b & 0xff);
}

export function colorKind(c: number): number {
  return (c >>> 24) & 0x3;
}

export function colorValue(c: number): number {
  return c & 0xffffff;
}

export type ColorJson = null | number | string;

/** JSON form used by snapshots: null = default, number = palette index, "#rrggbb" = RGB. */
export function colorToJson(c: number): ColorJson {
  switch (colorKind(c)) {
    case COLOR_KIND_PALETTE: return c & 0xff;
    case COLOR_KIND_RGB: return '#' + colorValue(c).toString(16).padStart(6, '0');
    default: return null;
  }
}
