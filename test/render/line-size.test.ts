/**
 * Double-width and double-height lines (DECDWL/DECDHL) in the image and page renderers: drawn
 * scaled ×2 from the row's left edge (double height: the upper or lower half), clipped to the
 * row. Text and JSON keep the characters as written.
 */
import { describe, expect, it } from 'vitest';
import { renderHtml, renderPng, renderSvg } from '../../src/render/index.js';
import { decodePng, pixel } from './png-decode.js';
import { snap } from './helpers.js';

const E = '\x1b';

describe('renderers: DECDWL / DECDHL rows', () => {
  it('PNG: a double-width row paints a cell two cells wide', () => {
    const single = decodePng(renderPng(snap(4, 2, `${E}[41m ${E}[0m${E}[?25l`)));
    const double = decodePng(renderPng(snap(4, 2, `${E}#6${E}[41m ${E}[0m${E}[?25l`)));
    expect(pixel(single, 4, 8)).toBe(0xcd0000);
    expect(pixel(single, 12, 8)).toBe(0x000000);
    expect(pixel(double, 4, 8)).toBe(0xcd0000);
    expect(pixel(double, 12, 8)).toBe(0xcd0000);
    expect(pixel(double, 20, 8)).toBe(0x000000);
    // Nothing leaks into the row below.
    expect(pixel(double, 4, 20)).toBe(0x000000);
  });

  it('PNG: double-height halves fill their own row only', () => {
    const d = decodePng(renderPng(snap(4, 3, `${E}#3${E}[41m ${E}[0m\r\n${E}#4${E}[42m ${E}[0m${E}[?25l`)));
    expect(pixel(d, 12, 2)).toBe(0xcd0000);
    expect(pixel(d, 12, 14)).toBe(0xcd0000);
    expect(pixel(d, 12, 18)).toBe(0x00cd00);
    expect(pixel(d, 12, 30)).toBe(0x00cd00);
    expect(pixel(d, 4, 40)).toBe(0x000000);
  });

  it('SVG and HTML scale the row; text output is unchanged', () => {
    const s = snap(10, 2, `${E}#6wide\r\nnarrow`);
    expect(s.lines.map((l) => l.text)).toEqual(['wide', 'narrow']);
    expect(s.lines[0]!.size).toBe('double-width');
    expect(renderSvg(s)).toMatch(/scale\(2 1\)/);
    const html = renderHtml(s);
    expect(html).toMatch(/<span class="dl"><span class="dw">.*wide/);
    expect(html).not.toMatch(/class="dw">[^\n]*narrow/);
  });
});
