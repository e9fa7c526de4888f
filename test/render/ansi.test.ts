import { describe, expect, it } from 'vitest';
import { Terminal, type ScreenSnapshot } from '../../src/engine/index.js';
import { renderAnsi, sgrFor } from '../../src/render/ansi.js';
import { cellsOf, snap } from './helpers.js';

/** Write the ANSI into a fresh terminal of the same size and snapshot it. */
function roundTrip(s: ScreenSnapshot, scrollback = 0): ScreenSnapshot {
  const t = new Terminal({ cols: s.cols, rows: s.rows });
  t.write(renderAnsi(s));
  return t.snapshot(scrollback);
}

function expectSame(a: ScreenSnapshot, b: ScreenSnapshot): void {
  expect(cellsOf(b)).toEqual(cellsOf(a));
  expect(b.cursor).toEqual(a.cursor);
  expect(b.title).toBe(a.title);
  expect(b.modes.reverseVideo).toBe(a.modes.reverseVideo);
}

describe('renderAnsi: output', () => {
  it('spells styles as one SGR from a reset', () => {
    expect(sgrFor({ fg: 1, bg: 12, underlineColor: null, bold: true })).toBe('\x1b[0;1;31;104m');
    expect(sgrFor({ fg: 200, bg: '#102030', underlineColor: '#ff0000', underline: 'curly', italic: true }))
      .toBe('\x1b[0;3;4:3;38;5;200;48;2;16;32;48;58:2::255:0:0m');
  });

  it('writes plain text, CUF over empty cells, and ends with the cursor placed', () => {
    const s = snap(10, 3, 'ab\x1b[3Ccd\r\nxy');
    expect(renderAnsi(s)).toBe('ab\x1b[3Ccd\r\nxy\r\n\x1b[1A\x1b[3G');
  });

  it('resets SGR before each line break and at the end', () => {
    const s = snap(6, 2, '\x1b[31mred\x1b[0m\r\nok');
    expect(renderAnsi(s)).toBe('\x1b[0;31mred\x1b[0m\r\nok\x1b[3G');
  });

  it('rebuilds erased background with ECH mid-line and EL at the end', () => {
    const s = snap(10, 1, '\x1b[44m\x1b[2X\x1b[0m\x1b[3Gab\x1b[41m\x1b[K');
    expect(renderAnsi(s)).toBe('\x1b[0;44m\x1b[2X\x1b[2C\x1b[0mab\x1b[0;41m\x1b[K\x1b[0m\x1b[5G');
  });

  it('sets the title, reverse video, cursor shape and hidden cursor', () => {
    const s = snap(5, 2, '\x1b]2;hi\x07\x1b[?5h\x1b[5 q\x1b[?25lx');
    expect(renderAnsi(s)).toBe('\x1b[?5h\x1b]2;hi\x1b\\x\r\n\x1b[1A\x1b[2G\x1b[5 q\x1b[?25l');
    expect(renderAnsi(s, { title: false, modes: false, cursor: false })).toBe('x\r\n');
  });

  it('drops control characters from text and titles', () => {
    const s = snap(5, 1, 'ok');
    s.title = 'a\x1b[2Jb';
    s.lines[0].cells[0].text = '\x1b';
    expect(renderAnsi(s, { cursor: false })).toBe('\x1b]2;a[2Jb\x1b\\k');
  });
});

describe('renderAnsi: round trip through a fresh terminal', () => {
  const cases: Array<[string, number, number, string]> = [
    ['plain text and blank lines', 12, 4, 'hello\r\n\r\nworld'],
    ['16, 256 and RGB colours, all flags', 30, 4,
      '\x1b[1;31mA\x1b[22;2;92mB\x1b[0;3;4;5;7mC\x1b[0;8mD\x1b[0;9;53mE\x1b[0;38;5;123;48;5;250mF' +
      '\x1b[0;38;2;1;2;3;48;2;250;128;0mG\x1b[0;4:3;58:2::255:0:0mH\x1b[0;21;58;5;9mI\x1b[4:4mJ\x1b[4:5mK\x1b[0m'],
    ['wide chars and a wide char that wraps', 6, 3, 'ab中文x\r\nabcde字z'],
    ['graphemes: combining, ZWJ emoji, flags, VS16', 12, 2, 'e\u0301 👨‍👩‍👧 🇫🇷 ❤️x'],
    ['hyperlinks via OSC 8, across a wrap', 8, 3, 'a\x1b]8;;https://example.com/\x1b\\link text\x1b]8;;\x1b\\z'],
    ['soft wraps', 5, 4, 'abcdefghijkl\r\nxy'],
    ['erased background cells', 10, 3, '\x1b[42m\x1b[2J\x1b[H\x1b[0mhi\x1b[45m\x1b[3X\x1b[0m\x1b[2;3H\x1b[41m\x1b[K'],
    ['written spaces vs never-written cells', 10, 2, 'a   b\x1b[3C\x1b[7m  \x1b[0m'],
    ['cursor in the middle, hidden', 10, 4, 'one\r\ntwo\r\nthree\x1b[2;2H\x1b[?25l'],
    ['reverse video and title', 10, 2, '\x1b[?5h\x1b]0;my title\x07text'],
    ['full last row leaves a pending wrap', 4, 2, 'abcdwxyz'],
    ['box drawing', 6, 3, '┌──┐\r\n│ab│\r\n└──┘'],
  ];
  for (const [name, cols, rows, bytes] of cases) {
    it(name, () => {
      const a = snap(cols, rows, bytes);
      expectSame(a, roundTrip(a));
    });
  }

  it('keeps the soft-wrap flags and link on a wrapped line', () => {
    const a = snap(8, 3, 'a\x1b]8;;https://example.com/\x1b\\link text\x1b]8;;\x1b\\z');
    expect(a.lines[0].wrapped).toBe(true);
    const b = roundTrip(a);
    expect(b.lines[0].wrapped).toBe(true);
    expect(b.links[b.lines[1].cells[0].link!]).toBe('https://example.com/');
  });

  it('writes a link that runs over several lines once (it stays open over CR LF)', () => {
    const a = snap(10, 4, '\x1b]8;;https://e/long\x1b\\one\r\ntwo\r\n\x1b[1mthree\x1b]8;;\x1b\\ x');
    const out = renderAnsi(a);
    expect(out.split('https://e/long').length - 1).toBe(1);
    expectSame(a, roundTrip(a));
  });

  it('scrollback lines scroll off the top of the fresh terminal', () => {
    const t = new Terminal({ cols: 8, rows: 3 });
    t.write('l1\r\n\x1b[32ml2\x1b[0m\r\nl3\r\nl4\r\nl5');
    const a = t.snapshot(2);
    expect(a.lines.map((l) => l.text)).toEqual(['l1', 'l2', 'l3', 'l4', 'l5']);
    const b = roundTrip(a, 2);
    expectSame(a, b);
  });

  it('a wide char is written once, its spacer skipped', () => {
    const a = snap(6, 1, '中x');
    expect(renderAnsi(a)).toBe('中x\x1b[4G');
  });
});
