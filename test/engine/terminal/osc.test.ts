/**
 * OSC: window title (0 / 2, BEL and ST terminated), OSC 8 hyperlinks on cells, dynamic
 * colour queries (10 / 11) and palette queries (4), answered with the query's terminator.
 */
import { describe, expect, it } from 'vitest';
import type { CellJson, ScreenSnapshot } from '../../../src/engine/index.js';
import { term } from '../../helpers/term.js';

/** The URI a snapshot cell links to (cells hold an index into `links`). */
const uri = (s: ScreenSnapshot, c: CellJson): string | undefined => (c.link === undefined ? undefined : s.links[c.link]);

const OSC = '\x1b]';
const BEL = '\x07';
const ST = '\x1b\\';
const CSI = '\x1b[';

describe('Terminal: OSC title', () => {
  it('OSC 0 and OSC 2 set the title, with BEL or ST', () => {
    const titles: string[] = [];
    const t = term();
    t.onTitle = (s) => titles.push(s);
    t.write(`${OSC}0;first${BEL}`);
    expect(t.title).toBe('first');
    t.write(`${OSC}2;second${ST}`);
    expect(t.snapshot().title).toBe('second');
    expect(titles).toEqual(['first', 'second']);
  });

  it('titles are UTF-8 and may contain semicolons', () => {
    const t = term().write(`${OSC}2;a;b — 中${BEL}`);
    expect(t.title).toBe('a;b — 中');
  });

  it('OSC 1 (icon name) leaves the title alone', () => {
    const t = term().write(`${OSC}2;win${BEL}${OSC}1;icon${BEL}`);
    expect(t.title).toBe('win');
  });

  it('an OSC does not print anything or move the cursor', () => {
    const t = term().write(`ab${OSC}2;title${BEL}c`);
    expect(t.screenLines()[0]).toBe('abc');
    expect(t.pos).toEqual([0, 3]);
  });
});

describe('Terminal: OSC 8 hyperlinks', () => {
  it('cells printed inside a link carry its URI; cells after it do not', () => {
    const t = term({ cols: 12, rows: 2 }).write(`x${OSC}8;;https://a.example/${ST}link${OSC}8;;${ST}y`);
    const s = t.snapshot();
    const cells = s.lines[0]!.cells;
    expect(cells[0]!.link).toBeUndefined();
    expect(cells.slice(1, 5).map((c) => uri(s, c))).toEqual(Array(4).fill('https://a.example/'));
    expect(s.links).toEqual(['https://a.example/']);
    expect(cells[5]!.link).toBeUndefined();
    expect(cells[5]!.text).toBe('y');
    t.assertIntegrity();
  });

  it('link params (id=) are accepted and BEL terminates too', () => {
    const t = term({ cols: 12, rows: 2 }).write(`${OSC}8;id=42;file:///tmp/x${BEL}ab${OSC}8;;${BEL}`);
    const s = t.snapshot();
    const cells = s.lines[0]!.cells;
    expect([uri(s, cells[0]!), uri(s, cells[1]!), cells[2]!.link]).toEqual(['file:///tmp/x', 'file:///tmp/x', undefined]);
  });

  it('a second link replaces the first without closing', () => {
    const t = term({ cols: 12, rows: 2 }).write(`${OSC}8;;u1${ST}a${OSC}8;;u2${ST}b`);
    const s = t.snapshot();
    const cells = s.lines[0]!.cells;
    expect([uri(s, cells[0]!), uri(s, cells[1]!)]).toEqual(['u1', 'u2']);
    expect(s.links).toEqual(['u1', 'u2']);
  });

  it('a long URI over many lines is in the snapshot once, not once per cell', () => {
    // Fuzz find (archive property, seed 48): a ~57 KB URI over every cell of 400 lines made the
    // snapshot ~1.6 GB of JSON when each cell carried the URI, past V8's string limit.
    const long = `https://example.com/${'a'.repeat(50_000)}`;
    const t = term({ cols: 80, rows: 24, scrollback: 1000 }).write(`${OSC}8;;${long}${ST}${'x'.repeat(80 * 500)}${OSC}8;;${ST}`);
    const s = t.snapshot(t.scrollbackLength);
    expect(s.lines.length).toBeGreaterThan(400);
    expect(s.links).toEqual([long]);
    expect(s.lines.every((l) => l.cells.every((c) => uri(s, c) === long))).toBe(true);
    // ~45 bytes of JSON per cell; one URI per cell would be 50 KB each.
    expect(JSON.stringify(s).length).toBeLessThan(long.length + 60 * 80 * s.lines.length);
    t.assertIntegrity();
  });

  it('both halves of a wide character carry the link, and links wrap and scroll', () => {
    const t = term({ cols: 4, rows: 2 }).write(`${OSC}8;;u${ST}ab中de${OSC}8;;${ST}\r\n`);
    const s = t.snapshot(1);
    expect(s.lines[0]!.cells.map((c) => uri(s, c))).toEqual(['u', 'u', 'u', 'u']);
    expect(s.lines[1]!.cells.slice(0, 2).map((c) => uri(s, c))).toEqual(['u', 'u']);
    expect(s.lines[1]!.cells[2]!.link).toBeUndefined();
    t.assertIntegrity();
  });

  it('overwriting or erasing a linked cell drops the link', () => {
    const t = term({ cols: 6, rows: 2 }).write(`${OSC}8;;u${ST}abcd${OSC}8;;${ST}\rX${CSI}1;3H${CSI}X`);
    const s = t.snapshot();
    expect(s.lines[0]!.cells.map((c) => uri(s, c) ?? '')).toEqual(['', 'u', '', 'u', '', '']);
    t.assertIntegrity();
  });

  it('links move with DCH/ICH', () => {
    const t = term({ cols: 6, rows: 2 }).write(`ab${OSC}8;;u${ST}c${OSC}8;;${ST}\r${CSI}2P`);
    const links = (): string[] => {
      const s = t.snapshot();
      return s.lines[0]!.cells.map((c) => uri(s, c) ?? '');
    };
    expect(links()).toEqual(['u', '', '', '', '', '']);
    t.write(`${CSI}3@`);
    expect(links()).toEqual(['', '', '', 'u', '', '']);
    expect(t.screenLines()[0]).toBe('   c');
    t.assertIntegrity();
  });
});

describe('Terminal: OSC colour queries', () => {
  it('OSC 10 / 11 queries answer with X11 rgb: and the BEL terminator of the query', () => {
    const t = term().write(`${OSC}10;?${BEL}`);
    // termpool's default foreground is the renderers' (0xe5e5e5), not xterm's black.
    expect(t.takeReplies()).toBe(`${OSC}10;rgb:e5e5/e5e5/e5e5${BEL}`);
    t.write(`${OSC}11;?${BEL}`);
    expect(t.takeReplies()).toBe(`${OSC}11;rgb:0000/0000/0000${BEL}`);
  });

  it('answers with ST when queried with ST', () => {
    const t = term().write(`${OSC}11;?${ST}`);
    expect(t.takeReplies()).toBe(`${OSC}11;rgb:0000/0000/0000${ST}`);
  });

  it('a colour set with OSC 10/11 is what later queries report', () => {
    const t = term().write(`${OSC}11;rgb:12/34/56${BEL}${OSC}11;?${ST}`);
    // Kept as xterm keeps it (8 bits a channel) and answered in its rgb:rrrr/gggg/bbbb form.
    expect(t.takeReplies()).toBe(`${OSC}11;rgb:1212/3434/5656${ST}`);
  });

  it('OSC 4 queries a palette entry; OSC 4 set and OSC 104 reset change it', () => {
    const t = term().write(`${OSC}4;1;?${BEL}`);
    expect(t.takeReplies()).toBe(`${OSC}4;1;rgb:cdcd/0000/0000${BEL}`);
    t.write(`${OSC}4;196;?${ST}`);
    expect(t.takeReplies()).toBe(`${OSC}4;196;rgb:ffff/0000/0000${ST}`);
    t.write(`${OSC}4;1;rgb:01/02/03${BEL}${OSC}4;1;?${BEL}`);
    expect(t.takeReplies()).toBe(`${OSC}4;1;rgb:0101/0202/0303${BEL}`);
    t.write(`${OSC}104;1${BEL}${OSC}4;1;?${BEL}`);
    expect(t.takeReplies()).toBe(`${OSC}4;1;rgb:cdcd/0000/0000${BEL}`);
  });
});
