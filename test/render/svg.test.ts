import { describe, expect, it } from 'vitest';
import { renderSvg, svgLayout } from '../../src/render/svg.js';
import { snap } from './helpers.js';

const texts = (svg: string): string[] => [...svg.matchAll(/<text [^>]*>[^<]*<\/text>/g)].map((m) => m[0]);
const rects = (svg: string): string[] => [...svg.matchAll(/<rect [^>]*\/>/g)].map((m) => m[0]);

describe('renderSvg', () => {
  it('sizes the canvas from the grid and options', () => {
    const s = snap(80, 24, '');
    expect(renderSvg(s)).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" width="640" height="384" viewBox="0 0 640 384" font-family="&#39;DejaVu Sans Mono&#39;[^"]*monospace" font-size="14">/);
    expect(svgLayout(s, { cellWidth: 10, cellHeight: 20, padding: 5 })).toMatchObject({ width: 810, height: 490 });
    expect(() => renderSvg(s, { cellWidth: 0 })).toThrow(RangeError);
  });

  it('places each glyph of a run on its cell, skipping blanks', () => {
    const svg = renderSvg(snap(10, 1, 'ab d\x1b[?25l'));
    expect(texts(svg)).toEqual(['<text x="0 8 24" y="13" fill="#e5e5e5">abd</text>']);
  });

  it('merges background rects per run of the same colour', () => {
    const svg = renderSvg(snap(10, 2, '\x1b[41mab\x1b[1mcd\x1b[44mx\x1b[0m\x1b[?25l'));
    expect(rects(svg)).toEqual([
      '<rect width="80" height="32" fill="#000000"/>',
      '<rect x="0" y="0" width="32" height="16" fill="#cd0000"/>',
      '<rect x="32" y="0" width="8" height="16" fill="#0000ee"/>',
    ]);
    expect(svg).toContain('<text x="16 24" y="13" fill="#e5e5e5" font-weight="bold">cd</text>');
  });

  it('escapes XML in text and title, and replaces characters XML cannot hold', () => {
    const s = snap(12, 1, '\x1b]2;a<b>&"c\x07<&>"\'\x1b[?25l');
    const svg = renderSvg(s);
    expect(svg).toContain('<title>a&lt;b&gt;&amp;&quot;c</title>');
    expect(svg).toContain('>&lt;&amp;&gt;&quot;&#39;</text>');
    s.lines[0].cells[0].text = '\x01';
    expect(renderSvg(s)).toContain('>\ufffd&amp;&gt;&quot;&#39;</text>');
  });

  it('centres a wide char on its two cells and gives graphemes their own <text>', () => {
    const svg = renderSvg(snap(10, 1, 'a中e\u0301👍\x1b[?25l'));
    expect(texts(svg)).toEqual([
      '<text x="16" y="13" text-anchor="middle" fill="#e5e5e5">中</text>',
      '<text x="24" y="13" fill="#e5e5e5">e\u0301</text>',
      '<text x="40" y="13" text-anchor="middle" fill="#e5e5e5">👍</text>',
      '<text x="0" y="13" fill="#e5e5e5">a</text>',
    ]);
  });

  it('draws underline, double, curly, strike and overline decorations', () => {
    const svg = renderSvg(snap(10, 1, '\x1b[4mab\x1b[4:2mc\x1b[0;4:3;58:5:1md\x1b[0;9me\x1b[0;53mf\x1b[0;4:4mg\x1b[?25l'));
    expect(svg).toContain('<rect x="0" y="15" width="16" height="1" fill="#e5e5e5"/>');
    expect(svg).toContain('<rect x="16" y="13" width="8" height="1" fill="#e5e5e5"/><rect x="16" y="15" width="8" height="1" fill="#e5e5e5"/>'.replace('/><', '/>\n<'));
    expect(svg).toMatch(/<path d="M24 15 q2 -2 4 0 q2 2 4 0" fill="none" stroke="#cd0000"/);
    expect(svg).toContain('<rect x="32" y="9" width="8" height="1" fill="#e5e5e5"/>');
    expect(svg).toContain('<rect x="40" y="0" width="8" height="1" fill="#e5e5e5"/>');
    expect(svg).toContain('stroke-dasharray="1 1"');
  });

  it('inverts the cell under a block cursor and draws bar/underline cursors as rects', () => {
    const block = renderSvg(snap(4, 1, 'ab\x1b[1G'));
    expect(block).toContain('<rect x="0" y="0" width="8" height="16" fill="#e5e5e5"/>');
    expect(block).toContain('<text x="0" y="13" fill="#000000">a</text>');
    expect(renderSvg(snap(4, 1, 'ab\x1b[6 q'))).toContain('<rect class="cursor" x="16" y="0" width="1" height="16" fill="#e5e5e5"/>');
    expect(renderSvg(snap(4, 1, 'ab\x1b[4 q'))).toContain('<rect class="cursor" x="16" y="14" width="8" height="2" fill="#e5e5e5"/>');
    expect(renderSvg(snap(4, 1, 'ab'), { cursor: false })).not.toContain('class="cursor"');
  });

  it('hides invisible text, shows reverse video, links safe URIs only', () => {
    expect(texts(renderSvg(snap(6, 1, '\x1b[8msecret\x1b[?25l')))).toEqual([]);
    const rv = renderSvg(snap(6, 1, '\x1b[?5hx\x1b[?25l'));
    expect(rv).toContain('<rect width="48" height="16" fill="#e5e5e5"/>');
    expect(rv).toContain('fill="#000000">x</text>');
    const ok = renderSvg(snap(20, 1, '\x1b]8;;https://e.com/?a=1&b=2\x1b\\go\x1b]8;;\x1b\\ \x1b]8;;javascript:alert(1)\x1b\\no\x1b]8;;\x1b\\'));
    expect(ok).toContain('<a href="https://e.com/?a=1&amp;b=2">');
    expect(ok).not.toContain('javascript');
  });

  it('one <a> spans the styled runs of one link', () => {
    const svg = renderSvg(snap(20, 1, '\x1b]8;;https://a/\x1b\\a\x1b[1mb\x1b[0mc\x1b]8;;\x1b\\d\x1b[?25l'));
    const inner = /<a href="https:\/\/a\/">([\s\S]*?)<\/a>/.exec(svg);
    expect((svg.match(/<a /g) ?? []).length).toBe(1);
    const chars = (x: string) => texts(x).map((t) => />([^<]*)</.exec(t)![1]);
    expect(chars(inner![1]!)).toEqual(['a', 'b', 'c']);
    expect(chars(svg)).toEqual(['a', 'b', 'c', 'd']);
  });

  it('links: false leaves the text and drops the <a> (what renderPng asks for)', () => {
    const bytes = '\x1b]8;;https://a/\x1b\\ab\x1b]8;;\x1b\\\x1b[?25l';
    expect(renderSvg(snap(6, 1, bytes))).toContain('<a href="https://a/">');
    const svg = renderSvg(snap(6, 1, bytes), { links: false });
    expect(svg).not.toContain('<a ');
    expect(texts(svg)).toHaveLength(1);
  });

  it('draws scrollback lines above the screen and puts the cursor on its screen row', () => {
    const t = snap(4, 2, 'a\r\nb\r\nc', 1);
    const svg = renderSvg(t);
    expect(svg).toContain('height="48"');
    expect(svg).toContain('<text x="0" y="13" fill="#e5e5e5">a</text>');
    // Cursor after "c" on screen row 1 = drawn row 2.
    expect(svg).toContain('<rect x="8" y="32" width="8" height="16" fill="#e5e5e5"/>');
  });
});
