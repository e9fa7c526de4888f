/**
 * Cursor motions: CUU, CUD, CUF, CUB, CNL, CPL, CHA, HPA, VPA, CUP, HVP, HPR, VPR; clamping at
 * the screen edges and at scroll margins; defaults of 0 and missing parameters.
 */
import { describe, expect, it } from 'vitest';
import { both, term } from '../../helpers/term.js';

const CSI = '\x1b[';

describe('Terminal: cursor motions', () => {
  it('CUP moves to 1-based row;col, defaults to home', () => {
    const t = term({ cols: 10, rows: 5 }).write(`${CSI}3;4H`);
    expect(t.pos).toEqual([2, 3]);
    t.write(`${CSI}H`);
    expect(t.pos).toEqual([0, 0]);
    t.write(`${CSI}2H`);
    expect(t.pos).toEqual([1, 0]);
    t.write(`${CSI};5H`);
    expect(t.pos).toEqual([0, 4]);
    t.write(`${CSI}0;0H`);
    expect(t.pos).toEqual([0, 0]);
    t.assertIntegrity();
  });

  it('CUP clamps to the screen', () => {
    const t = term({ cols: 10, rows: 5 }).write(`${CSI}99;99H`);
    expect(t.pos).toEqual([4, 9]);
  });

  it('HVP (CSI f) is CUP', () => {
    const t = term({ cols: 10, rows: 5 }).write(`${CSI}4;7f`);
    expect(t.pos).toEqual([3, 6]);
  });

  it('CUU/CUD/CUF/CUB move by n, default 1, and stop at the edges', () => {
    const t = term({ cols: 10, rows: 5 }).write(`${CSI}3;5H`);
    t.write(`${CSI}A`); expect(t.pos).toEqual([1, 4]);
    t.write(`${CSI}0A`); expect(t.pos).toEqual([0, 4]);
    t.write(`${CSI}5A`); expect(t.pos).toEqual([0, 4]);
    t.write(`${CSI}2B`); expect(t.pos).toEqual([2, 4]);
    t.write(`${CSI}9B`); expect(t.pos).toEqual([4, 4]);
    t.write(`${CSI}3C`); expect(t.pos).toEqual([4, 7]);
    t.write(`${CSI}20C`); expect(t.pos).toEqual([4, 9]);
    t.write(`${CSI}4D`); expect(t.pos).toEqual([4, 5]);
    t.write(`${CSI}D`); expect(t.pos).toEqual([4, 4]);
    t.write(`${CSI}99D`); expect(t.pos).toEqual([4, 0]);
    t.assertIntegrity();
  });

  it('CNL/CPL move lines and go to column 1', () => {
    const t = term({ cols: 10, rows: 5 }).write(`${CSI}2;6H${CSI}2E`);
    expect(t.pos).toEqual([3, 0]);
    t.write(`${CSI}9;6H${CSI}E`);
    expect(t.pos).toEqual([4, 0]);
    t.write(`${CSI}1;6H${CSI}F`);
    expect(t.pos).toEqual([0, 0]);
    t.write(`${CSI}4;6H${CSI}2F`);
    expect(t.pos).toEqual([1, 0]);
  });

  it('CHA and HPA set the column, VPA the row; others untouched', () => {
    const t = term({ cols: 10, rows: 5 }).write(`${CSI}3;3H${CSI}7G`);
    expect(t.pos).toEqual([2, 6]);
    t.write(`${CSI}2\``);
    expect(t.pos).toEqual([2, 1]);
    t.write(`${CSI}5d`);
    expect(t.pos).toEqual([4, 1]);
    t.write(`${CSI}99d${CSI}99G`);
    expect(t.pos).toEqual([4, 9]);
    t.write(`${CSI}G${CSI}d`);
    expect(t.pos).toEqual([0, 0]);
  });

  it('HPR (CSI a) and VPR (CSI e) move relative', () => {
    const t = term({ cols: 10, rows: 5 }).write(`${CSI}2a${CSI}3e`);
    expect(t.pos).toEqual([3, 2]);
  });

  it('CUU/CUD stop at the scroll margins when starting inside them', () => {
    const t = term({ cols: 10, rows: 6 }).write(`${CSI}2;4r${CSI}3;1H${CSI}9A`);
    expect(t.pos).toEqual([1, 0]);
    t.write(`${CSI}9B`);
    expect(t.pos).toEqual([3, 0]);
    // Below the region, CUU still stops at the top margin (xterm: any row >= top is bounded by it).
    t.write(`${CSI}6;1H${CSI}9A`);
    expect(t.pos).toEqual([1, 0]);
    // Above the region, CUD is bounded by the bottom margin; CUU by the screen top.
    t.write(`${CSI}1;1H${CSI}9B`);
    expect(t.pos).toEqual([3, 0]);
  });

  it('cursor motions agree with xterm around margins', async () => {
    const bytes = `${CSI}2;4r${CSI}6;1Hx${CSI}9Ay${CSI}1;1H${CSI}9Bz${CSI}3;1H${CSI}9Bw`;
    const r = await both(bytes, 10, 6);
    expect(r.ours).toEqual(r.xterm);
  });

  it('BS moves left and stops at column 0; never wraps back a line', () => {
    const t = term({ cols: 5, rows: 3 }).write('ab\b\bX\b\b\bY');
    expect(t.screenLines()[0]).toBe('Yb');
    t.write('\r\n\b\b');
    expect(t.pos).toEqual([1, 0]);
    t.assertIntegrity();
  });
});
