import { describe, expect, it } from 'vitest';
import { driver } from './recorder.js';

describe('Stream: OSC titles', () => {
  const d = driver();

  it('OSC 0 and 2 set the title; OSC 1 (icon name) is ignored', () => {
    expect(d.osc('0;hello')).toEqual([['setTitle', 'hello']]);
    expect(d.osc('2;vim — a;b')).toEqual([['setTitle', 'vim — a;b']]);
    expect(d.osc('2;')).toEqual([['setTitle', '']]);
    expect(d.osc('1;icon')).toEqual([]);
  });

  it('a command without its field separator is ignored', () => {
    expect(d.osc('2')).toEqual([]);
  });

  it('non-numeric or unknown commands are ignored', () => {
    expect(d.osc('x;foo')).toEqual([]);
    expect(d.osc('')).toEqual([]);
    expect(d.osc(';foo')).toEqual([]);
    expect(d.osc('52;c;Zm9v')).toEqual([]);
    expect(d.osc('133;Z')).toEqual([]);
  });
});

describe('Stream: OSC 8 hyperlinks', () => {
  const d = driver();

  it('starts a link without an id', () => {
    expect(d.osc('8;;http://example.com')).toEqual([['setHyperlink', '', 'http://example.com']]);
  });

  it('takes the id from key=value params separated by colons', () => {
    expect(d.osc('8;id=xyz;http://a')).toEqual([['setHyperlink', 'xyz', 'http://a']]);
    expect(d.osc('8;foo=bar:id=xyz;http://a')).toEqual([['setHyperlink', 'xyz', 'http://a']]);
    expect(d.osc('8;id=xyz:foo=bar;http://a')).toEqual([['setHyperlink', 'xyz', 'http://a']]);
  });

  it('keeps semicolons that belong to the URI', () => {
    expect(d.osc('8;;http://a/b;c?d=1;e')).toEqual([['setHyperlink', '', 'http://a/b;c?d=1;e']]);
  });

  it('an empty URI ends the link', () => {
    expect(d.osc('8;;')).toEqual([['setHyperlink', '', '']]);
  });

  it('without the second separator the sequence is malformed', () => {
    expect(d.osc('8;http://a')).toEqual([]);
    expect(d.osc('8')).toEqual([]);
  });
});

describe('Stream: OSC 10/11/12 dynamic colours', () => {
  const d = driver();

  it('queries carry the terminator; default is ST', () => {
    expect(d.osc('10;?', 'bel')).toEqual([['queryDynamicColor', 10, 'bel']]);
    expect(d.osc('11;?', 'st')).toEqual([['queryDynamicColor', 11, 'st']]);
    expect(d.osc('12;?')).toEqual([['queryDynamicColor', 12, 'st']]);
  });

  it('each further field addresses the next colour', () => {
    expect(d.osc('10;?;?', 'bel')).toEqual([
      ['queryDynamicColor', 10, 'bel'],
      ['queryDynamicColor', 11, 'bel'],
    ]);
    expect(d.osc('10;rgb:ff/00/00;?')).toEqual([
      ['setDynamicColor', 10, 'rgb:ff/00/00'],
      ['queryDynamicColor', 11, 'st'],
    ]);
  });

  it('sets keep the value as given', () => {
    expect(d.osc('11;#102030')).toEqual([['setDynamicColor', 11, '#102030']]);
  });

  it('stops after 19 (xterm\'s last dynamic colour) and skips empty fields', () => {
    expect(d.osc('18;?;?;?;?')).toEqual([
      ['queryDynamicColor', 18, 'st'],
      ['queryDynamicColor', 19, 'st'],
    ]);
    expect(d.osc('10;;?')).toEqual([['queryDynamicColor', 11, 'st']]);
    expect(d.osc('10;')).toEqual([]);
    expect(d.osc('10')).toEqual([]);
  });
});

describe('Stream: OSC 4 / 104 palette, OSC 5 / 105 special colours', () => {
  const d = driver();

  it('queries and sets pairs of index;spec', () => {
    expect(d.osc('4;1;?', 'bel')).toEqual([['queryPaletteColor', 1, 'bel', 4]]);
    expect(d.osc('4;1;?;2;?')).toEqual([
      ['queryPaletteColor', 1, 'st', 4],
      ['queryPaletteColor', 2, 'st', 4],
    ]);
    expect(d.osc('4;255;rgb:12/34/56;0;?')).toEqual([
      ['setPaletteColor', 255, 'rgb:12/34/56'],
      ['queryPaletteColor', 0, 'st', 4],
    ]);
  });

  it('OSC 4 goes on past 255 to the special colours, 256..260 (xterm: 256 + c)', () => {
    expect(d.osc('4;256;?;260;#123')).toEqual([['queryPaletteColor', 256, 'st', 4], ['setPaletteColor', 260, '#123']]);
  });

  it('stops at the first bad index and ignores an unpaired index', () => {
    expect(d.osc('4;261;?;1;?')).toEqual([]);
    expect(d.osc('4;x;?')).toEqual([]);
    expect(d.osc('4;1;?;2')).toEqual([['queryPaletteColor', 1, 'st', 4]]);
    expect(d.osc('4')).toEqual([]);
  });

  it('OSC 5 addresses the special colours 0..4 as entries 256..260, answered in its own form', () => {
    expect(d.osc('5;0;?;4;rgb:1/2/3', 'bel')).toEqual([['queryPaletteColor', 256, 'bel', 5], ['setPaletteColor', 260, 'rgb:1/2/3']]);
    expect(d.osc('5;5;?;0;?')).toEqual([]);
  });

  it('OSC 104 resets all or the listed colours; OSC 105 the special ones', () => {
    expect(d.osc('104')).toEqual([['resetPaletteColor', -1]]);
    expect(d.osc('104;')).toEqual([['resetPaletteColor', -1]]);
    expect(d.osc('104;1;3')).toEqual([['resetPaletteColor', 1], ['resetPaletteColor', 3]]);
    expect(d.osc('104;1;x;300;5;258')).toEqual([['resetPaletteColor', 1], ['resetPaletteColor', 5], ['resetPaletteColor', 258]]);
    expect(d.osc('105')).toEqual([['resetSpecialColors']]);
    expect(d.osc('105;1;x;5;4')).toEqual([['resetPaletteColor', 257], ['resetPaletteColor', 260]]);
  });
});

describe('Stream: OSC 110–119 dynamic colour resets', () => {
  const d = driver();
  it('each resets its colour (10–19), data or not; 109 and 120 are nothing', () => {
    expect(d.osc('110')).toEqual([['resetDynamicColor', 10]]);
    expect(d.osc('112;')).toEqual([['resetDynamicColor', 12]]);
    expect(d.osc('119')).toEqual([['resetDynamicColor', 19]]);
    expect(d.osc('109')).toEqual([]);
    expect(d.osc('120')).toEqual([]);
  });
});
