/**
 * Rectangular areas (DECFRA, DECERA, DECSERA, DECCRA, DECCARA, DECRARA, DECSACE), byte strings
 * written to a fresh terminal and compared with xterm's result. @xterm/headless implements none
 * of them; Ghostty (ghostty-web) none either — the expected screens follow xterm's
 * ScrnFillRectangle / ScrnCopyRectangle / ScrnWipeRectangle / ScrnMarkRectangle.
 */
import { describe, expect, it } from 'vitest';
import { ATTR_BLINK, ATTR_BOLD, ATTR_INVERSE, UNDERLINE_MASK } from '../../../src/engine/page/style-table.js';
import { term, type TestTerminal } from '../../helpers/term.js';

const E = '\x1b';
const GRID = 'abcdefghij\r\nklmnopqrst\r\nuvwxyz0123\r\n4567890ABC';

function run(bytes: string, cols = 10, rows = 4): TestTerminal {
  const t = term({ cols, rows }).write(bytes);
  t.assertIntegrity();
  return t;
}

/** The flags of cell (y, x): its style's bits. */
function flags(t: TestTerminal, y: number, x: number): number {
  const list = t.active.list;
  const p = list.pinActive(y);
  const id = p.styleAt(p.rowStart(list.pinRow) + x);
  return id === 0 ? 0 : p.styles.records[id * 4 + 3]!;
}

describe('Terminal: DECFRA / DECERA', () => {
  it('DECFRA fills the rectangle with a character in the current rendition', () => {
    const t = run(`${GRID}${E}[1m${E}[42;2;3;3;5$x`);
    expect(t.screenLines()).toEqual(['abcdefghij', 'kl***pqrst', 'uv***z0123', '4567890ABC']);
    expect(flags(t, 1, 2) & ATTR_BOLD).toBe(ATTR_BOLD);
    expect(flags(t, 1, 5)).toBe(0);
  });

  it('DECFRA defaults to the whole screen and ignores characters xterm refuses', () => {
    expect(run(`${GRID}${E}[46$x`).screenLines()).toEqual(['..........', '..........', '..........', '..........']);
    expect(run(`${GRID}${E}[10;1;1;2;2$x`).screenLines()[0]).toBe('abcdefghij');
    expect(run(`${GRID}${E}[233;1;1;1;2$x`).screenLines()[0]).toBe('éécdefghij');
  });

  it('DECERA blanks the rectangle; an empty or inverted one does nothing', () => {
    expect(run(`${GRID}${E}[2;2;3;9$z`).screenLines()).toEqual(['abcdefghij', 'k        t', 'u        3', '4567890ABC']);
    expect(run(`${GRID}${E}[3;1;2;9$z`).screenLines()[1]).toBe('klmnopqrst');
  });

  it('coordinates are relative to the region under DECOM and limited to it', () => {
    const t = run(`${GRID}${E}[2;3r${E}[?6h${E}[1;1;9;2$z`);
    expect(t.screenLines()).toEqual(['abcdefghij', '  mnopqrst', '  wxyz0123', '4567890ABC']);
  });

  it('past the edge is clamped: a hostile rectangle on a large screen costs its area', () => {
    const t = run(`${E}[88;1;1;99999;99999$x${E}[2;2;99999;99999$z`, 200, 100);
    const l = t.screenLines();
    expect(l[0]).toBe('X'.repeat(200));
    expect(l[99]).toBe('X');
  });
});

describe('Terminal: DECCRA', () => {
  it('copies a rectangle to another place', () => {
    const t = run(`${GRID}${E}[1;1;2;3;1;3;5;1$v`);
    expect(t.screenLines()).toEqual(['abcdefghij', 'klmnopqrst', 'uvwxabc123', '4567klmABC']);
  });

  it('overlapping copies read the source before writing (down, right, up, left)', () => {
    expect(run(`${GRID}${E}[1;1;3;10;1;2;1;1$v`).screenLines()).toEqual(['abcdefghij', 'abcdefghij', 'klmnopqrst', 'uvwxyz0123']);
    expect(run(`${GRID}${E}[1;1;1;8;1;1;3;1$v`).screenLines()[0]).toBe('ababcdefgh');
    expect(run(`${GRID}${E}[2;1;4;10;1;1;1;1$v`).screenLines()).toEqual(['klmnopqrst', 'uvwxyz0123', '4567890ABC', '4567890ABC']);
    expect(run(`${GRID}${E}[1;3;1;10;1;1;1;1$v`).screenLines()[0]).toBe('cdefghijij');
  });

  it('clips at the screen edge and keeps styles and wide characters', () => {
    const t = run(`${E}[31m界x${E}[m${E}[1;1;1;3;1;4;9;1$v`, 10, 4);
    expect(t.screenLines()[3]).toBe('        界');
    expect(t.screenLines()[0]).toBe('界x');
    const c = run(`é\u0301ab${E}[1;1;1;3;1;2;1;1$v`);
    expect(c.screenLines()[1]).toBe('é\u0301ab');
  });

  it('keeps hyperlinks (OSC 8) as it keeps styles: each copied cell has its own link, the rest none', () => {
    const link = (uri: string, id = ''): string => `${E}]8;${id === '' ? '' : `id=${id}`};${uri}${E}\\`;
    // Row 1: "ab" linked to A, "c" plain, "界" (both halves) linked to B with id=x; copied to row 3 column 4.
    const t = run(`${link('https://a.example/')}ab${link('')}c${link('file:///b', 'x')}界${link('')}${E}[1;1;1;5;1;3;4;1$v`);
    const s = t.snapshot();
    const uriAt = (y: number, x: number): string | undefined => {
      const c = s.lines[y]!.cells[x]!;
      return c.link === undefined ? undefined : s.links[c.link];
    };
    expect(t.screenLines()[2]).toBe('   abc界');
    expect([3, 4, 5, 6, 7].map((x) => uriAt(2, x))).toEqual(['https://a.example/', 'https://a.example/', undefined, 'file:///b', 'file:///b']);
    expect([0, 1, 2, 3, 4].map((x) => uriAt(0, x))).toEqual(['https://a.example/', 'https://a.example/', undefined, 'file:///b', 'file:///b']);
    expect(uriAt(2, 2)).toBeUndefined();
    // The id= travels with the link (one entry: the copy shares it), and the source's cells still hold it.
    const list = t.active.list;
    const p = list.pinActive(2);
    expect(p.linkOf(p.rowStart(list.pinRow) + 6)).toMatchObject({ uri: 'file:///b', id: 'x' });
    // A copy over linked cells from plain ones removes their links.
    const u = run(`${link('https://a.example/')}abcd${link('')}\r\nwxyz${E}[2;1;2;2;1;1;1;1$v`);
    const su = u.snapshot();
    expect(su.lines[0]!.cells.slice(0, 4).map((c) => c.link === undefined ? undefined : su.links[c.link])).toEqual([undefined, undefined, 'https://a.example/', 'https://a.example/']);
  });
});

describe('Terminal: DECCRA hyperlinks across pages', () => {
  it('a link copied onto a page whose link table is full grows that page and keeps the link', () => {
    const t = term({ cols: 80, rows: 4, scrollback: 10_000 });
    const list = t.active.list;
    // Scroll until the screen straddles two pages: rows 0–2 on one, row 3 the next page's first.
    for (let i = 0; i < 100_000 && list.pinActive(3) === list.pinActive(0); i++) t.write('x\r\n');
    expect(list.pinActive(3)).not.toBe(list.pinActive(0));
    const full = list.pinActive(3);
    const cap = full.capacity.links;
    // Fill the new page's link table from row 3 (one distinct link a cell), then link a cell on row 1.
    let row = '';
    for (let i = 0; i < cap; i++) row += `${E}]8;;https://fill.example/${i}${E}\\f`;
    t.write(`${E}[4;1H${row}${E}]8;;${E}\\${E}[1;1H${E}]8;;https://copied.example/${E}\\Z${E}]8;;${E}\\`);
    expect(full.linksInUse).toBe(cap);
    t.write(`${E}[1;1;1;1;1;4;${cap + 5};1$v`);
    t.assertIntegrity();
    const s = t.snapshot();
    const c = s.lines[3]!.cells[cap + 4]!;
    expect(c.text).toBe('Z');
    expect(c.link === undefined ? undefined : s.links[c.link]).toBe('https://copied.example/');
    expect(list.pinActive(3).capacity.links).toBeGreaterThan(cap);
  });
});

describe('Terminal: DECCARA / DECRARA / DECSACE', () => {
  it('DECCARA sets renditions in the stream extent by default', () => {
    const t = run(`${GRID}${E}[2;3;3;8;1;4$r`);
    expect(flags(t, 1, 1)).toBe(0);
    expect(flags(t, 1, 2) & ATTR_BOLD).toBe(ATTR_BOLD);
    expect(flags(t, 1, 9) & UNDERLINE_MASK).not.toBe(0);
    expect(flags(t, 2, 0) & ATTR_BOLD).toBe(ATTR_BOLD);
    expect(flags(t, 2, 7) & ATTR_BOLD).toBe(ATTR_BOLD);
    expect(flags(t, 2, 8)).toBe(0);
    expect(t.screenLines()[1]).toBe('klmnopqrst');
  });

  it('DECSACE 2 makes it a rectangle; 0 turns the renditions off', () => {
    const t = run(`${GRID}${E}[2*x${E}[2;2;3;3;7;5$r`);
    expect(flags(t, 1, 1) & (ATTR_INVERSE | ATTR_BLINK)).toBe(ATTR_INVERSE | ATTR_BLINK);
    expect(flags(t, 1, 5)).toBe(0);
    expect(flags(t, 2, 0)).toBe(0);
    t.write(`${E}[2;2;3;3;0$r`);
    expect(flags(t, 1, 1)).toBe(0);
    expect(t.attrChangeExtent).toBe(2);
  });

  it('DECRARA reverses the listed renditions, 0 all four', () => {
    const t = run(`${E}[1mab${E}[m${E}[2*x${E}[1;1;1;3;1;7$t`);
    expect(flags(t, 0, 0) & (ATTR_BOLD | ATTR_INVERSE)).toBe(ATTR_INVERSE);
    expect(flags(t, 0, 2) & (ATTR_BOLD | ATTR_INVERSE)).toBe(ATTR_BOLD | ATTR_INVERSE);
    t.write(`${E}[1;1;1;1;0$t`);
    expect(flags(t, 0, 0) & (ATTR_BOLD | ATTR_INVERSE | ATTR_BLINK)).toBe(ATTR_BOLD | ATTR_BLINK);
  });
});
