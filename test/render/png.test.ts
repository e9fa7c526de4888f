import { describe, expect, it } from 'vitest';
import { renderPng, renderPngAsync } from '../../src/render/index.js';
import { decodePng, pixel, PNG_SIGNATURE } from './png-decode.js';
import { snap } from './helpers.js';

/**
 * How many pixels of a cell's box are ink of colour `rgb` over black: rgb scaled by some
 * coverage of at least 30% (antialiased edges included).
 */
function countInk(png: Buffer, col: number, row: number, rgb: number, cw = 8, ch = 16): number {
  const d = decodePng(png);
  const ch3 = (v: number): number[] => [(v >> 16) & 0xff, (v >> 8) & 0xff, v & 0xff];
  const want = ch3(rgb);
  const peak = Math.max(...want);
  let k = 0;
  for (let y = row * ch; y < (row + 1) * ch; y++) {
    for (let x = col * cw; x < (col + 1) * cw; x++) {
      const got = ch3(pixel(d, x, y));
      const a = Math.max(...got) / peak;
      if (a >= 0.3 && got.every((g, i) => Math.abs(g - want[i] * a) <= 12)) k++;
    }
  }
  return k;
}

describe('renderPng', () => {
  it('writes a PNG whose IHDR is cols×cellWidth by rows×cellHeight', () => {
    const png = renderPng(snap(20, 5, 'hello'));
    expect(png.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
    expect(png.toString('latin1', 12, 16)).toBe('IHDR');
    expect(png.readUInt32BE(16)).toBe(160);
    expect(png.readUInt32BE(20)).toBe(80);
    const big = renderPng(snap(20, 5, 'hello'), { cellWidth: 10, cellHeight: 20, fontSize: 17, padding: 4 });
    expect([big.readUInt32BE(16), big.readUInt32BE(20)]).toEqual([208, 108]);
  });

  it('paints a red-background cell red and the default background black', () => {
    const d = decodePng(renderPng(snap(4, 2, '\x1b[41m \x1b[0m\x1b[?25l')));
    expect(d.width).toBe(32);
    for (const [x, y] of [[0, 0], [7, 15], [4, 8]]) expect(pixel(d, x, y)).toBe(0xcd0000);
    expect(pixel(d, 8, 0)).toBe(0x000000);
    expect(pixel(d, 31, 31)).toBe(0x000000);
  });

  it('draws glyphs in the foreground colour, wide ones across two cells', () => {
    const png = renderPng(snap(6, 1, '\x1b[32m中\x1b[0m#\x1b[?25l'));
    // CJK ideograph from the fallback font, centred: green ink in both of its cells.
    expect(countInk(png, 0, 0, 0x00cd00)).toBeGreaterThan(6);
    expect(countInk(png, 1, 0, 0x00cd00)).toBeGreaterThan(6);
    // '#' in the default foreground.
    expect(countInk(png, 2, 0, 0xe5e5e5)).toBeGreaterThan(3);
    expect(countInk(png, 4, 0, 0xe5e5e5)).toBe(0);
  });

  it('box drawing joins across cells: a full-width horizontal line', () => {
    const d = decodePng(renderPng(snap(4, 1, '────\x1b[?25l')));
    // Some row of pixels is foreground-coloured in every column.
    let full = false;
    for (let y = 0; y < 16 && !full; y++) {
      let all = true;
      for (let x = 0; x < 32; x++) if ((pixel(d, x, y) & 0xff) < 0x80) { all = false; break; }
      full = all;
    }
    expect(full).toBe(true);
  });

  it('draws the block cursor in the foreground colour', () => {
    const d = decodePng(renderPng(snap(3, 1, '')));
    expect(pixel(d, 0, 0)).toBe(0xe5e5e5);
    expect(pixel(d, 4, 8)).toBe(0xe5e5e5);
    expect(pixel(d, 12, 8)).toBe(0x000000);
  });

  it('refuses images over MAX_PNG_PIXELS instead of rasterising them', () => {
    const s = snap(80, 24, 'x');
    expect(() => renderPng(s, { cellWidth: 400, cellHeight: 8000 })).toThrow(/over the 50000000 px limit/);
  });

  it('renders a full 80×24 screen of colour, box drawing and CJK', () => {
    let bytes = '';
    for (let r = 0; r < 24; r++) bytes += `\x1b[3${r % 8}m` + `row ${r} ─│┌┐ 中文 `.repeat(4).slice(0, 79) + '\r\n';
    const s = snap(80, 24, bytes);
    const d = decodePng(renderPng(s));
    expect([d.width, d.height]).toEqual([640, 384]);
    // The last CR LF scrolled "row 0" off: screen row 0 is "row 1", red (SGR 31).
    expect(countInk(renderPng(s), 0, 0, 0xcd0000)).toBeGreaterThan(3);
  });

  it('renders on the worker thread too, byte for byte the same', async () => {
    const s = snap(10, 2, '\x1b[1;34mhi\x1b[0m 字');
    expect((await renderPngAsync(s)).equals(renderPng(s))).toBe(true);
  });
});
