import { describe, expect, it } from 'vitest';
import { colorRgb, DEFAULT_THEME, hex, mix, resolveStyle } from '../../src/render/palette.js';
import type { StyleJson } from '../../src/engine/index.js';
import { snap } from './helpers.js';

const plain: StyleJson = { fg: null, bg: null, underlineColor: null };

describe('palette: colour resolution', () => {
  it('resolves the 16 xterm colours, the cube, the grey ramp and RGB', () => {
    expect(hex(colorRgb(1, 0))).toBe('#cd0000');
    expect(hex(colorRgb(12, 0))).toBe('#5c5cff');
    expect(hex(colorRgb(16, 0))).toBe('#000000');
    expect(hex(colorRgb(196, 0))).toBe('#ff0000');
    expect(hex(colorRgb(231, 0))).toBe('#ffffff');
    expect(hex(colorRgb(232, 0))).toBe('#080808');
    expect(hex(colorRgb(255, 0))).toBe('#eeeeee');
    expect(hex(colorRgb('#12ab34', 0))).toBe('#12ab34');
    expect(colorRgb(null, 0x123456)).toBe(0x123456);
  });

  it('lets a theme override the 16 colours only', () => {
    const theme = { fg: 0, bg: 0xffffff, palette: [0x111111, 0x222222] };
    expect(colorRgb(1, 0, theme)).toBe(0x222222);
    expect(colorRgb(2, 0, theme)).toBe(0x00cd00);
    expect(resolveStyle(plain, theme).fg).toBe(0);
  });

  it('bold keeps the colour (no brightening); it is a weight', () => {
    const r = resolveStyle({ ...plain, fg: 1, bold: true });
    expect(r.fg).toBe(0xcd0000);
    expect(r.bold).toBe(true);
  });

  it('inverse swaps resolved fg and bg, default ones included', () => {
    const r = resolveStyle({ ...plain, fg: 2, inverse: true });
    expect([r.fg, r.bg, r.defaultBg]).toEqual([DEFAULT_THEME.bg, 0x00cd00, false]);
  });

  it('faint dims the foreground halfway to the background', () => {
    expect(resolveStyle({ ...plain, fg: '#ffffff', bg: '#000000', faint: true }).fg).toBe(0x808080);
    expect(mix(0x000000, 0xffffff, 0.25)).toBe(0x404040);
  });

  it('invisible paints text in the background colour and drops decorations', () => {
    const r = resolveStyle({ ...plain, fg: 1, bg: 4, invisible: true, underline: 'single', strikethrough: true });
    expect(r.fg).toBe(0x0000ee);
    expect([r.hidden, r.underline, r.strike]).toEqual([true, null, false]);
  });

  it('underline colour defaults to the foreground', () => {
    expect(resolveStyle({ ...plain, fg: 3, underline: 'curly' }).ul).toBe(0xcdcd00);
    expect(resolveStyle({ ...plain, fg: 3, underline: 'curly', underlineColor: 9 }).ul).toBe(0xff0000);
  });

  it('reverse video (DECSCNM) swaps only the default colours', () => {
    expect(resolveStyle(plain, DEFAULT_THEME, true)).toMatchObject({ fg: 0x000000, bg: 0xe5e5e5 });
    expect(resolveStyle({ ...plain, fg: 1 }, DEFAULT_THEME, true)).toMatchObject({ fg: 0xcd0000, bg: 0xe5e5e5 });
    expect(resolveStyle({ ...plain, inverse: true }, DEFAULT_THEME, true)).toMatchObject({ fg: 0xe5e5e5, bg: 0x000000 });
  });

  it('works on real engine styles', () => {
    const s = snap(10, 1, '\x1b[38;5;208;48;2;1;2;3mx');
    const r = resolveStyle(s.styles[s.lines[0].cells[0].style]);
    expect([hex(r.fg), hex(r.bg)]).toEqual(['#ff8700', '#010203']);
  });
});
