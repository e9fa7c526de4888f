/**
 * Colour specifications as xterm reads them (OSC 4/10–19 set): the RGB forms of X11's
 * XParseColor, and the `rgb:rrrr/gggg/bbbb` form xterm answers queries with.
 *
 * Owns parsing and formatting only; where a colour is kept is the Terminal's business.
 *
 * Accepted (XParseColor, Xlib's "Color Strings"):
 *  - `#rgb`, `#rrggbb`, `#rrrgggbbb`, `#rrrrggggbbbb`: each component is the *high-order* bits
 *    of a 16-bit value (`#3a7` is 0x3000/0xa000/0x7000, not scaled);
 *  - `rgb:r/g/b` with 1–4 hex digits per component, each scaled to 16 bits
 *    (`rgb:f/8/0` is 0xffff/0x8888/0x0000);
 *  - `rgbi:r/g/b` with decimal intensities 0.0–1.0.
 * Not accepted, on purpose: X11 colour names (`red`, `DarkSlateGray`: xterm looks them up in the
 * X server's rgb.txt, a 750-entry table that is the display's, not the terminal's) and the
 * device-independent `CIEXYZ:`/`CIEuvY:`/`CIExyY:`/`CIELab:`/`CIELuv:`/`TekHVC:` forms (Xcms
 * converts those through the screen's colour characterisation, which a headless terminal does
 * not have). Such a spec is ignored, as xterm ignores one it cannot parse.
 *
 * Stored depth: xterm on a 24-bit TrueColor visual keeps 8 bits a channel (the X server takes
 * the high byte of each 16-bit component) and XQueryColor answers each byte doubled
 * (0xab → abab). Colours here are 0xRRGGBB the same way, so a query answers exactly as xterm.
 */

/** Parsed colour as 0xRRGGBB, or -1 when `spec` is not a form we accept. */
export function parseColorSpec(spec: string): number {
  if (spec.length > 64) return -1; // longer than any valid form: not worth scanning
  if (spec.charCodeAt(0) === 0x23 /* # */) return parseHash(spec.slice(1));
  const colon = spec.indexOf(':');
  if (colon < 0) return -1;
  const scheme = spec.slice(0, colon).toLowerCase();
  const parts = spec.slice(colon + 1).split('/');
  if (parts.length !== 3) return -1;
  if (scheme === 'rgb') return combine(parts.map(scaledHex));
  if (scheme === 'rgbi') return combine(parts.map(intensity));
  return -1;
}

/** `rgb:rrrr/gggg/bbbb` for 0xRRGGBB, each byte doubled as XQueryColor reports an 8-bit channel. */
export function formatColorSpec(rgb: number): string {
  const h = (v: number): string => {
    const b = (v & 0xff).toString(16).padStart(2, '0');
    return b + b;
  };
  return `rgb:${h(rgb >> 16)}/${h(rgb >> 8)}/${h(rgb)}`;
}

/** Three 16-bit components (or -1s) → 0xRRGGBB from their high bytes, or -1. */
function combine(c: number[]): number {
  const [r, g, b] = c as [number, number, number];
  if (r < 0 || g < 0 || b < 0) return -1;
  return ((r >> 8) << 16) | ((g >> 8) << 8) | (b >> 8);
}

function isHex(s: string): boolean {
  return /^[0-9a-fA-F]+$/.test(s);
}

/** `#` forms: 3, 6, 9 or 12 digits; each component's digits are the top bits of 16. */
function parseHash(digits: string): number {
  const n = digits.length;
  if ((n !== 3 && n !== 6 && n !== 9 && n !== 12) || !isHex(digits)) return -1;
  const w = n / 3;
  const part = (i: number): number => parseInt(digits.slice(i * w, (i + 1) * w), 16) << (16 - 4 * w);
  return combine([part(0), part(1), part(2)]);
}

/** One `rgb:` component, 1–4 hex digits, scaled to 16 bits as XParseColor scales it. */
function scaledHex(s: string): number {
  if (s.length < 1 || s.length > 4 || !isHex(s)) return -1;
  const max = (1 << (4 * s.length)) - 1;
  return Math.floor((parseInt(s, 16) * 0xffff) / max);
}

/** One `rgbi:` component, a decimal 0.0–1.0, to 16 bits. */
function intensity(s: string): number {
  if (!/^(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/.test(s)) return -1;
  const v = Number(s);
  if (!(v >= 0 && v <= 1)) return -1;
  return Math.floor(v * 0xffff);
}
