import { describe, it, expect } from 'vitest';
import { Params, MAX_PARAMS, MAX_SUB_PARAMS, MAX_PARAM_VALUE } from '../../../src/engine/parser/params.js';

/** Feed parameter bytes the way the parser's param action does. */
function feed(s: string, p = new Params()): Params {
  for (const ch of s) {
    if (ch === ';') p.nextParam();
    else if (ch === ':') p.nextSub();
    else p.addDigit(ch.charCodeAt(0) - 0x30);
  }
  return p;
}

describe('Params: ECMA-48 parameters', () => {
  it('no bytes means no parameters', () => {
    const p = feed('');
    expect(p.length).toBe(0);
    expect(p.get(0, 7)).toBe(7);
    expect(p.isEmpty(0)).toBe(false);
  });
  it('single and multiple values', () => {
    const p = feed('1;22;333');
    expect(p.toArray()).toEqual([1, 22, 333]);
    expect(p.get(1, 0)).toBe(22);
  });
  it('empty parameters default (CSI ;5H)', () => {
    const p = feed(';5');
    expect(p.length).toBe(2);
    expect(p.isEmpty(0)).toBe(true);
    expect(p.get(0, 1)).toBe(1);
    expect(p.get(1, 1)).toBe(5);
  });
  it('a lone ; is two empty parameters; a trailing ; adds one', () => {
    expect(feed(';').toArray()).toEqual([-1, -1]);
    expect(feed('3;').toArray()).toEqual([3, -1]);
  });
  it('an explicit 0 is not empty', () => {
    const p = feed('0');
    expect(p.isEmpty(0)).toBe(false);
    expect(p.get(0, 5)).toBe(0);
  });
  it('out-of-range indices give the default', () => {
    const p = feed('4');
    expect(p.get(-1, 9)).toBe(9);
    expect(p.get(1, 9)).toBe(9);
    expect(p.subLength(3)).toBe(0);
    expect(p.sub(0, 0, 8)).toBe(8);
  });
});

describe('Params: colon sub-parameters', () => {
  it('4:3', () => {
    const p = feed('4:3');
    expect(p.length).toBe(1);
    expect(p.get(0, 0)).toBe(4);
    expect(p.subLength(0)).toBe(1);
    expect(p.sub(0, 0, 0)).toBe(3);
  });
  it('38:2::255:0:0 keeps the empty colour-space slot', () => {
    const p = feed('38:2::255:0:0');
    expect(p.toArray()).toEqual([[38, 2, -1, 255, 0, 0]]);
    expect(p.sub(0, 1, 42)).toBe(42);
  });
  it('sub-parameters belong to their own parameter', () => {
    const p = feed('1;4:3;38:5:196;2');
    expect(p.toArray()).toEqual([1, [4, 3], [38, 5, 196], 2]);
    expect(p.subLength(0)).toBe(0);
    expect(p.subLength(2)).toBe(2);
  });
  it('a leading colon gives an empty parameter with a sub-parameter', () => {
    expect(feed(':5').toArray()).toEqual([[-1, 5]]);
  });
});

describe('Params: hostile input', () => {
  it('saturates huge values at MAX_PARAM_VALUE', () => {
    const p = feed('99999999999999999999999;1:99999999999999999999');
    expect(p.get(0, 0)).toBe(MAX_PARAM_VALUE);
    expect(p.sub(1, 0, 0)).toBe(MAX_PARAM_VALUE);
  });
  it('keeps MAX_PARAMS parameters out of 65535 and ignores the rest', () => {
    const p = feed(Array.from({ length: 65535 }, (_, i) => String(i)).join(';'));
    expect(p.length).toBe(MAX_PARAMS);
    expect(p.get(MAX_PARAMS - 1, -1)).toBe(MAX_PARAMS - 1);
  });
  it('extra digits and colons after overflow do not land on the last kept parameter', () => {
    const p = feed(Array.from({ length: MAX_PARAMS }, () => '7').join(';') + ';123:4:5');
    expect(p.get(MAX_PARAMS - 1, -1)).toBe(7);
    expect(p.subLength(MAX_PARAMS - 1)).toBe(0);
  });
  it('caps the total number of sub-parameters', () => {
    const p = feed('1' + ':2'.repeat(MAX_SUB_PARAMS + 50) + ';9');
    expect(p.subLength(0)).toBe(MAX_SUB_PARAMS);
    expect(p.get(1, -1)).toBe(9);
  });
  it('reset() makes it reusable', () => {
    const p = feed('1:2;3');
    p.reset();
    feed('5', p);
    expect(p.toArray()).toEqual([5]);
  });
});
