/**
 * Colour resolution for the renderers: snapshot colours (null | palette index | "#rrggbb")
 * and style flags → the RGB a person sees in one cell.
 *
 * Order of operations, as xterm and Ghostty draw a cell:
 *   1. default fg/bg come from the theme, swapped when DECSCNM (reverse video) is set —
 *      xterm's ReverseVideo swaps only the default colours; explicit colours stay;
 *   2. palette indices resolve through the theme's 16 colours, then the 256 cube/greys;
 *   3. SGR 7 (inverse) swaps fg and bg;
 *   4. SGR 2 (faint) dims the resulting foreground halfway towards the background;
 *   5. SGR 8 (invisible) paints the text in the background colour (`hidden`).
 *
 * NOTE: bold does not brighten colours 0–7. xterm's `boldColors` does, but kitty, Ghostty,
 * Windows Terminal and VTE (by default since 0.52) do not; a screenshot service should show the
 * colour the program asked for and render bold as weight.
 */
import { paletteRgb } from '../engine/index.js';
import type { StyleJson } from '../engine/index.js';

export interface Theme {
  /** Default foreground, 0xRRGGBB. */
  fg: number;
  /** Default background, 0xRRGGBB. */
  bg: number;
  /** Cursor colour; defaults to the (possibly reverse-video) default foreground. */
  cursor?: number;
  /** Overrides for palette indices 0..15 (xterm's defaults otherwise). */
  palette?: readonly number[];
}

/** Light grey on black: xterm's colour 7 as the default foreground of a dark terminal. */
export const DEFAULT_THEME: Readonly<Theme> = Object.freeze({ fg: 0xe5e5e5, bg: 0x000000 });

export type UnderlineStyle = 'single' | 'double' | 'curly' | 'dotted' | 'dashed';

/** What one cell looks like once colours and flags are resolved. */
export interface ResolvedStyle {
  fg: number;
  bg: number;
  /** Underline (and strike/overline) colour. */
  ul: number;
  /** True when the background is the theme's default (renderers may skip painting it). */
  defaultBg: boolean;
  bold: boolean;
  italic: boolean;
  blink: boolean;
  /** Invisible (SGR 8): draw no glyph and no decoration. */
  hidden: boolean;
  underline: UnderlineStyle | null;
  strike: boolean;
  overline: boolean;
}

/** Snapshot colour → 0xRRGGBB; `fallback` for the default colour (null). */
export function colorRgb(c: null | number | string, fallback: number, theme: Theme = DEFAULT_THEME): number {
  if (c === null) return fallback;
  if (typeof c === 'number') {
    const o = c < 16 ? theme.palette?.[c] : undefined;
    return o ?? paletteRgb(c & 0xff);
  }
  const v = Number.parseInt(c.slice(1), 16);
  return Number.isFinite(v) ? v & 0xffffff : fallback;
}

/** Default fg/bg after DECSCNM. */
export function defaultColors(theme: Theme, reverseVideo: boolean): { fg: number; bg: number } {
  return reverseVideo ? { fg: theme.bg, bg: theme.fg } : { fg: theme.fg, bg: theme.bg };
}

/** The cursor's colour under DECSCNM: the theme's, else the default foreground. */
export function cursorColor(theme: Theme, reverseVideo: boolean): number {
  return theme.cursor ?? defaultColors(theme, reverseVideo).fg;
}

/** Mix a towards b by t (0..1), per channel. */
export function mix(a: number, b: number, t: number): number {
  const ch = (s: number): number => {
    const x = (a >> s) & 0xff;
    const y = (b >> s) & 0xff;
    return Math.round(x + (y - x) * t) << s;
  };
  return ch(16) | ch(8) | ch(0);
}

const UNDERLINES = new Set<string>(['single', 'double', 'curly', 'dotted', 'dashed']);

export function resolveStyle(s: StyleJson, theme: Theme = DEFAULT_THEME, reverseVideo = false): ResolvedStyle {
  const d = defaultColors(theme, reverseVideo);
  let fg = colorRgb(s.fg, d.fg, theme);
  let bg = colorRgb(s.bg, d.bg, theme);
  let defaultBg = s.bg === null;
  if (s.inverse) {
    const t = fg; fg = bg; bg = t;
    defaultBg = false;
  }
  if (s.faint) fg = mix(fg, bg, 0.5);
  const ul = s.underlineColor === null ? fg : colorRgb(s.underlineColor, fg, theme);
  const hidden = s.invisible === true;
  const u = s.underline;
  return {
    fg: hidden ? bg : fg,
    bg,
    ul,
    defaultBg,
    bold: s.bold === true,
    italic: s.italic === true,
    blink: s.blink === true,
    hidden,
    underline: !hidden && u !== undefined ? (UNDERLINES.has(u) ? u as UnderlineStyle : 'single') : null,
    strike: !hidden && s.strikethrough === true,
    overline: !hidden && s.overline === true,
  };
}

/** The look of a cell under a block cursor: colours swapped. */
export function underBlockCursor(r: ResolvedStyle, cursor: number): ResolvedStyle {
  // The block takes the cursor colour; the glyph takes what was the background.
  return { ...r, fg: r.bg, bg: cursor, ul: r.bg, defaultBg: false };
}

/** 0xRRGGBB → "#rrggbb". */
export function hex(rgb: number): string {
  return '#' + (rgb & 0xffffff).toString(16).padStart(6, '0');
}
