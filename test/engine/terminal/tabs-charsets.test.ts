/**
 * Tab stops (HT, HTS, TBC, CHT, CBT) and character sets (G0/G1 designation, DEC Special
 * Graphics, UK, SI/SO locking shifts).
 */
import { describe, expect, it } from 'vitest';
import { both, term } from '../../helpers/term.js';

const ESC = '\x1b';
const CSI = '\x1b[';

describe('Terminal: tab stops', () => {
  it('HT goes to the next multiple of 8 and stops at the last column', async () => {
    const t = term({ cols: 20, rows: 2 }).write('a\tb\tc\td');
    expect(t.screenLines()[0]).toBe('a       b       c  d');
    const r = await both('a\tb\tc\td\te', 20, 2);
    expect(r.ours).toEqual(r.xterm);
  });

  it('HTS sets a stop at the cursor column', () => {
    const t = term({ cols: 20, rows: 2 }).write(`${CSI}4G${ESC}H\r\tx`);
    expect(t.screenLines()[0]).toBe('   x');
  });

  it('TBC 0 clears the stop at the cursor, TBC 3 clears all', async () => {
    const t = term({ cols: 20, rows: 2 }).write(`${CSI}9G${CSI}g\r\tx`);
    expect(t.pos).toEqual([0, 17]);
    const u = term({ cols: 20, rows: 2 }).write(`${CSI}3g\tx`);
    expect(u.pos).toEqual([0, 19]);
    expect(u.cursor.pendingWrap).toBe(true);
    const r = await both(`${CSI}9G${CSI}g\r\tx\r\n${CSI}3g\ty`, 20, 2);
    expect(r.ours).toEqual(r.xterm);
  });

  it('CHT moves forward n stops, CBT back n stops', async () => {
    const t = term({ cols: 40, rows: 2 }).write(`${CSI}2I`);
    expect(t.pos).toEqual([0, 16]);
    t.write(`${CSI}Z`);
    expect(t.pos).toEqual([0, 8]);
    t.write(`${CSI}5Z`);
    expect(t.pos).toEqual([0, 0]);
    t.write(`${CSI}99I`);
    expect(t.pos).toEqual([0, 39]);
    const r = await both(`${CSI}2Ix${CSI}3Zy${CSI}1;13H${CSI}Zz`, 40, 2);
    expect(r.ours).toEqual(r.xterm);
  });

  it('HT clears a pending wrap only by moving; at the last column it stays', async () => {
    const r = await both('abcde\tX', 5, 2);
    expect(r.ours.lines).toEqual(['abcde', 'X']);
    expect(r.ours).toEqual(r.xterm);
  });

  it('HT does not write blanks over existing text', () => {
    const t = term({ cols: 20, rows: 2 }).write('abcdefghij\r\tX');
    expect(t.screenLines()[0]).toBe('abcdefghXj');
  });

  it('RIS restores the default stops', () => {
    const t = term({ cols: 20, rows: 2 }).write(`${CSI}3g${ESC}c\tx`);
    expect(t.pos).toEqual([0, 9]);
  });
});

describe('Terminal: character sets', () => {
  it('ESC ( 0 maps G0 to DEC Special Graphics; ESC ( B maps it back', async () => {
    const bytes = `${ESC}(0lqqk\r\nx  x\r\nmqqj${ESC}(B lqk`;
    const t = term({ cols: 10, rows: 3 }).write(bytes);
    expect(t.screenLines()).toEqual(['┌──┐', '│  │', '└──┘ lqk']);
    const r = await both(bytes, 10, 3);
    expect(r.ours).toEqual(r.xterm);
  });

  it('maps the whole DEC graphics range like xterm', async () => {
    const bytes = `${ESC}(0\`abcdefghijklmnopqrstuvwxyz{|}~`;
    const r = await both(bytes, 40, 2);
    expect(r.ours.lines[0]).toBe('◆▒␉␌␍␊°±␤␋┘┐┌└┼⎺⎻─⎼⎽├┤┴┬│≤≥π≠£·');
    expect(r.ours).toEqual(r.xterm);
  });

  it('0x5f in DEC graphics is a blank (no-break space)', () => {
    // NOTE: xterm.js leaves '_' untranslated; the VT100 table and xterm map it to a blank.
    const t = term({ cols: 10, rows: 2 }).write(`${ESC}(0a_b`);
    expect(t.snapshot().lines[0]!.cells[1]!.text).toBe('\u00a0');
  });

  it('only the printable graphics range is translated; digits and capitals are not', () => {
    const t = term({ cols: 10, rows: 2 }).write(`${ESC}(0AZ09q`);
    expect(t.screenLines()[0]).toBe('AZ09─');
  });

  it('SO invokes G1 and SI returns to G0', async () => {
    const bytes = `${ESC})0a\x0eq\x0fq`;
    const t = term({ cols: 10, rows: 2 }).write(bytes);
    expect(t.screenLines()[0]).toBe('a─q');
    const r = await both(bytes, 10, 2);
    expect(r.ours).toEqual(r.xterm);
  });

  it('designating G1 does not affect G0 while G0 is invoked', () => {
    const t = term({ cols: 10, rows: 2 }).write(`${ESC})0q`);
    expect(t.screenLines()[0]).toBe('q');
  });

  it('ESC ( A maps # to the pound sign', async () => {
    const bytes = `${ESC}(A#1${ESC}(B#`;
    const r = await both(bytes, 10, 2);
    expect(r.ours.lines[0]).toBe('£1#');
    expect(r.ours).toEqual(r.xterm);
  });

  it('charset translation survives a wrap and applies to REP', () => {
    const t = term({ cols: 3, rows: 2 }).write(`${ESC}(0qqqq${CSI}b`);
    expect(t.screenLines()).toEqual(['───', '──']);
  });

  it('DECSTR and RIS reset the charsets', () => {
    const t = term({ cols: 10, rows: 2 }).write(`${ESC}(0${CSI}!pq`);
    expect(t.screenLines()[0]).toBe('q');
    const u = term({ cols: 10, rows: 2 }).write(`${ESC})0\x0e${ESC}cq`);
    expect(u.screenLines()[0]).toBe('q');
  });
});
