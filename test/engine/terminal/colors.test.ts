/**
 * Colours in xterm's form: OSC 4 / 10–19 set with XParseColor's RGB specifications, queries
 * answered `rgb:rrrr/gggg/bbbb` with the query's own terminator, OSC 104 and 110–119 resets.
 */
import { describe, expect, it } from 'vitest';
import { term } from '../../helpers/term.js';
import { formatColorSpec, parseColorSpec } from '../../../src/engine/terminal/color-spec.js';

const BEL = '\x07';
const ST = '\x1b\\';

describe('colour specifications (XParseColor RGB forms)', () => {
  it.each([
    ['#3a7', 0x30a070],
    ['#33aa77', 0x33aa77],
    ['#333aaa777', 0x33aa77],
    ['#3333aaaa7777', 0x33aa77],
    ['#FfF', 0xf0f0f0],
    ['rgb:f/8/0', 0xff8800],
    ['rgb:ff/80/00', 0xff8000],
    ['rgb:fff/800/000', 0xff8000],
    ['rgb:ffff/8000/0000', 0xff8000],
    ['RGB:1/22/333', 0x112233],
    ['rgbi:1/0.5/0', 0xff7f00],
    ['rgbi:0/1e-1/.25', 0x00193f],
  ])('%s → %s', (spec, rgb) => {
    expect(parseColorSpec(spec)).toBe(rgb);
  });

  it.each([
    ['red'], ['#12'], ['#12345'], ['#ggg'], ['rgb:1/2'], ['rgb:12345/0/0'], ['rgb://'], ['rgbi:2/0/0'],
    ['rgbi:a/b/c'], ['CIEXYZ:0.5/0.5/0.5'], ['TekHVC:0/0/0'], [''], ['#' + 'f'.repeat(1000)],
  ])('%j is not accepted (ignored, as xterm ignores what it cannot parse)', (spec) => {
    expect(parseColorSpec(spec)).toBe(-1);
  });

  it('answers each 8-bit channel doubled, as XQueryColor reports a 24-bit visual', () => {
    expect(formatColorSpec(0x12ab00)).toBe('rgb:1212/abab/0000');
  });
});

describe('OSC 4 / 104', () => {
  it('set then query, answered with the terminator the query used', () => {
    const t = term().write(`\x1b]4;1;rgb:12/34/56${BEL}\x1b]4;1;?${BEL}\x1b]4;1;?${ST}`);
    expect(t.replies).toEqual([`\x1b]4;1;rgb:1212/3434/5656${BEL}`, `\x1b]4;1;rgb:1212/3434/5656${ST}`]);
  });

  it('several pairs in one OSC 4, sets and queries mixed, one answer per query', () => {
    const t = term().write(`\x1b]4;2;#ff0000;2;?;3;?;200;?${BEL}`);
    expect(t.replies).toEqual([
      `\x1b]4;2;rgb:ffff/0000/0000${BEL}`,
      `\x1b]4;3;rgb:cdcd/cdcd/0000${BEL}`,
      `\x1b]4;200;rgb:ffff/0000/d7d7${BEL}`,
    ]);
  });

  it('an unparseable spec leaves the colour as it was', () => {
    const t = term().write(`\x1b]4;1;#00ff00${BEL}\x1b]4;1;chartreuse${BEL}\x1b]4;1;?${BEL}`);
    expect(t.takeReplies()).toBe(`\x1b]4;1;rgb:0000/ffff/0000${BEL}`);
  });

  it('OSC 104 with a list resets those entries, without one every entry', () => {
    const t = term().write(`\x1b]4;1;#010101;2;#020202;3;#030303${BEL}\x1b]104;1;3${BEL}\x1b]4;1;?;2;?;3;?${BEL}`);
    expect(t.replies).toEqual([
      `\x1b]4;1;rgb:cdcd/0000/0000${BEL}`, `\x1b]4;2;rgb:0202/0202/0202${BEL}`, `\x1b]4;3;rgb:cdcd/cdcd/0000${BEL}`,
    ]);
    t.replies.length = 0;
    t.write(`\x1b]104${BEL}\x1b]4;2;?${BEL}`);
    expect(t.replies).toEqual([`\x1b]4;2;rgb:0000/cdcd/0000${BEL}`]);
  });
});

describe('OSC 10–19 / 110–119', () => {
  it('defaults are termpool\'s rendering colours (0xe5e5e5 on black)', () => {
    const t = term().write(`\x1b]10;?${BEL}\x1b]11;?${ST}\x1b]12;?${BEL}`);
    expect(t.replies).toEqual([`\x1b]10;rgb:e5e5/e5e5/e5e5${BEL}`, `\x1b]11;rgb:0000/0000/0000${ST}`, `\x1b]12;rgb:e5e5/e5e5/e5e5${BEL}`]);
  });

  it('each further spec addresses the next colour, up to 19; queries answer in the xterm form', () => {
    const t = term().write(`\x1b]17;#102030;rgb:4/5/6;?${BEL}\x1b]17;?;?${BEL}`);
    expect(t.replies).toEqual([
      `\x1b]19;rgb:0000/0000/0000${BEL}`,
      `\x1b]17;rgb:1010/2020/3030${BEL}`, `\x1b]18;rgb:4444/5555/6666${BEL}`,
    ]);
  });

  it('110, 111, 112 reset the foreground, background and cursor colours', () => {
    const t = term().write(`\x1b]10;#111111;#222222;#333333${BEL}\x1b]110${BEL}\x1b]111${ST}\x1b]112${BEL}`);
    t.write(`\x1b]10;?;?;?${BEL}`);
    expect(t.replies).toEqual([
      `\x1b]10;rgb:e5e5/e5e5/e5e5${BEL}`, `\x1b]11;rgb:0000/0000/0000${BEL}`, `\x1b]12;rgb:e5e5/e5e5/e5e5${BEL}`,
    ]);
  });

  it('RIS forgets set colours', () => {
    const t = term().write(`\x1b]10;#111111${BEL}\x1b]4;1;#111111${BEL}\x1bc\x1b]10;?${BEL}\x1b]4;1;?${BEL}`);
    expect(t.replies).toEqual([`\x1b]10;rgb:e5e5/e5e5/e5e5${BEL}`, `\x1b]4;1;rgb:cdcd/0000/0000${BEL}`]);
  });
});
