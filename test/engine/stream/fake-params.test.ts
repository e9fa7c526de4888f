import { describe, expect, it } from 'vitest';
import { fakeParams, splitCsi, splitEsc } from '../../helpers/fake-params.js';

// The stream tests are only as good as this double: check it against ParamsView's contract.
describe('FakeParams: ParamsView semantics', () => {
  it('counts parameters like the parser', () => {
    expect(fakeParams('').length).toBe(0);
    expect(fakeParams(';').length).toBe(2);
    expect(fakeParams('1;2;3').length).toBe(3);
  });

  it('empty and absent parameters give the default', () => {
    const p = fakeParams(';5');
    expect(p.get(0, 1)).toBe(1);
    expect(p.isEmpty(0)).toBe(true);
    expect(p.get(1, 1)).toBe(5);
    expect(p.isEmpty(1)).toBe(false);
    expect(p.get(2, 7)).toBe(7);
    expect(p.isEmpty(2)).toBe(false);
  });

  it('colon sub-parameters', () => {
    const p = fakeParams('38:2::1:2:3;4:3');
    expect(p.get(0, 0)).toBe(38);
    expect(p.subLength(0)).toBe(5);
    expect(p.sub(0, 0, -1)).toBe(2);
    expect(p.sub(0, 1, -1)).toBe(-1);
    expect(p.sub(0, 4, -1)).toBe(3);
    expect(p.subLength(1)).toBe(1);
    expect(p.sub(1, 0, -1)).toBe(3);
    expect(p.subLength(2)).toBe(0);
  });

  it('splitCsi packs prefix and intermediates like the contract', () => {
    const a = splitCsi('?1049h');
    expect([a.prefix, a.params.get(0, 0), a.intermediates, a.final]).toEqual([0x3f, 1049, 0, 0x68]);
    const b = splitCsi('2 q');
    expect([b.prefix, b.params.get(0, 0), b.intermediates, b.final]).toEqual([0, 2, 0x20, 0x71]);
    expect(splitCsi('1$"p').intermediates).toBe(0x24 | (0x22 << 8));
    expect(splitEsc('(0')).toEqual({ intermediates: 0x28, final: 0x30 });
  });
});
