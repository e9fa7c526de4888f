/**
 * Named palettes for animated recordings (?theme=, --theme): the default colours and the 16
 * ANSI colours of a few well-known terminal themes, as their authors publish them. "xterm" is
 * the renderers' own default (DEFAULT_THEME: xterm's colours, light grey on black).
 */
import { DEFAULT_THEME, type Theme } from '../palette.js';

export const THEMES = {
  xterm: DEFAULT_THEME,
  'solarized-dark': {
    fg: 0x839496, bg: 0x002b36, cursor: 0x93a1a1,
    palette: [0x073642, 0xdc322f, 0x859900, 0xb58900, 0x268bd2, 0xd33682, 0x2aa198, 0xeee8d5,
      0x002b36, 0xcb4b16, 0x586e75, 0x657b83, 0x839496, 0x6c71c4, 0x93a1a1, 0xfdf6e3],
  },
  'solarized-light': {
    fg: 0x657b83, bg: 0xfdf6e3, cursor: 0x586e75,
    palette: [0x073642, 0xdc322f, 0x859900, 0xb58900, 0x268bd2, 0xd33682, 0x2aa198, 0xeee8d5,
      0x002b36, 0xcb4b16, 0x586e75, 0x657b83, 0x839496, 0x6c71c4, 0x93a1a1, 0xfdf6e3],
  },
  dracula: {
    fg: 0xf8f8f2, bg: 0x282a36, cursor: 0xf8f8f2,
    palette: [0x21222c, 0xff5555, 0x50fa7b, 0xf1fa8c, 0xbd93f9, 0xff79c6, 0x8be9fd, 0xf8f8f2,
      0x6272a4, 0xff6e6e, 0x69ff94, 0xffffa5, 0xd6acff, 0xff92df, 0xa4ffff, 0xffffff],
  },
  monokai: {
    fg: 0xf8f8f2, bg: 0x272822, cursor: 0xf8f8f0,
    palette: [0x272822, 0xf92672, 0xa6e22e, 0xf4bf75, 0x66d9ef, 0xae81ff, 0xa1efe4, 0xf8f8f2,
      0x75715e, 0xf92672, 0xa6e22e, 0xf4bf75, 0x66d9ef, 0xae81ff, 0xa1efe4, 0xf9f8f5],
  },
} as const satisfies Record<string, Theme>;

export type ThemeName = keyof typeof THEMES;
export const THEME_NAMES = Object.keys(THEMES) as ThemeName[];
