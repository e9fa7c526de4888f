/**
 * Resize: column changes reflow soft-wrapped lines of the primary screen (both ways) with the
 * cursor kept on its character; row changes push lines into the scrollback or pull them back.
 * Every expectation is checked against xterm.js, which reflows the same way.
 */
import { describe, expect, it } from 'vitest';
import { bothResized, term } from '../../helpers/term.js';

const CSI = '\x1b[';

describe('Terminal: resize — column reflow', () => {
  it('narrowing re-wraps a soft-wrapped line and keeps the cursor after its text', async () => {
    const r = await bothResized('abcdefghijklm', 10, 4, [[5, 4]], 'X');
    expect(r.ours.lines).toEqual(['abcde', 'fghij', 'klmX', '']);
    expect(r.ours).toEqual(r.xterm);
  });

  it('widening joins the wrapped rows back into one', async () => {
    const r = await bothResized('abcdefghijklm', 5, 4, [[10, 4]], 'X');
    expect(r.ours.lines).toEqual(['abcdefghij', 'klmX', '', '']);
    expect(r.ours).toEqual(r.xterm);
  });

  it('narrow then wide again restores the original layout', async () => {
    const bytes = 'one two three\r\nfour\r\nfive six seven eight';
    const t = term({ cols: 12, rows: 6 }).write(bytes);
    const before = t.screenLines();
    const pos = t.pos;
    t.resize(5, 6);
    t.assertIntegrity();
    t.resize(12, 6);
    t.assertIntegrity();
    expect(t.screenLines()).toEqual(before);
    expect(t.pos).toEqual(pos);
    // xterm.js puts the cursor back at column 5 of its row, not after "eight": compare text.
    const r = await bothResized(bytes, 12, 6, [[5, 6], [12, 6]]);
    expect(r.ours.lines).toEqual(r.xterm.lines);
  });

  it('hard line breaks are not joined by widening', async () => {
    const r = await bothResized('abc\r\ndef', 5, 3, [[10, 3]]);
    expect(r.ours.lines).toEqual(['abc', 'def', '']);
    expect(r.ours).toEqual(r.xterm);
  });

  it('the cursor keeps its place in the middle of a reflowed line', async () => {
    // NOTE: xterm.js only clamps the cursor column on reflow (it lands on 'h' here); we keep
    // it on its character, as Ghostty does. The text itself is compared with xterm.js.
    const bytes = `abcdefghijkl${CSI}1;9H`; // on 'i' in a 10-col row
    const r = await bothResized(bytes, 10, 4, [[4, 4]], 'X');
    expect(r.ours.lines).toEqual(['abcd', 'efgh', 'Xjkl', '']);
    expect((await bothResized(bytes, 10, 4, [[4, 4]])).xterm.lines).toEqual(['abcd', 'efgh', 'ijkl', '']);
    const t = term({ cols: 10, rows: 4 }).write(bytes);
    t.resize(4, 4);
    expect(t.pos).toEqual([2, 0]);
    t.resize(10, 4);
    expect(t.pos).toEqual([0, 8]);
  });

  it('a cursor with a wrap pending stays after the last character when widening', () => {
    const t = term({ cols: 5, rows: 3 }).write('abcde');
    t.resize(8, 3);
    expect(t.pos).toEqual([0, 5]);
    t.write('X');
    expect(t.screenLines()).toEqual(['abcdeX', '', '']);
    t.assertIntegrity();
  });

  it('narrowing pushes reflowed rows into the scrollback', async () => {
    const bytes = '0123456789\r\nabcdefghij\r\nx';
    const r = await bothResized(bytes, 10, 3, [[5, 3]], 'Y');
    expect(r.ours.lines).toEqual(['abcde', 'fghij', 'xY']);
    expect(r.ours.scrollback).toBe(2);
    expect(r.ours).toEqual(r.xterm);
  });

  it('widening pulls reflowed rows back out of the scrollback', async () => {
    const bytes = '0123456789abcdefghij\r\nx';
    const r = await bothResized(bytes, 5, 3, [[10, 3]], 'Y');
    expect(r.ours.lines).toEqual(['0123456789', 'abcdefghij', 'xY']);
    expect(r.ours.scrollback).toBe(0);
    expect(r.ours).toEqual(r.xterm);
  });

  // NOTE: the two wide-character cases compare text only: xterm.js leaves the cursor on 'e'
  // (narrowing) or on the wide char's head (widening), where the next print destroys text.
  it('a wide character that no longer fits moves to the next row', async () => {
    const r = await bothResized('abc中de', 8, 3, [[4, 3]], 'X');
    expect(r.ours.lines).toEqual(['abc', '中de', 'X']);
    expect((await bothResized('abc中de', 8, 3, [[4, 3]])).xterm.lines).toEqual(['abc', '中de', '']);
  });

  it('a spacer head left by a wrapped wide character disappears on widening', async () => {
    const r = await bothResized('abc中de', 4, 3, [[8, 3]], 'X');
    expect(r.ours.lines).toEqual(['abc中deX', '', '']);
    expect((await bothResized('abc中de', 4, 3, [[8, 3]])).xterm.lines).toEqual(['abc中de', '', '']);
  });

  it('snapshot wrapped flags follow the reflow', () => {
    const t = term({ cols: 10, rows: 3 }).write('abcdefghijkl');
    t.resize(4, 3);
    expect(t.snapshot().lines.map((l) => l.wrapped)).toEqual([true, true, false]);
    t.resize(20, 3);
    expect(t.snapshot().lines.map((l) => l.wrapped)).toEqual([false, false, false]);
  });

  it('the alternate screen is cut, not reflowed, and the primary still reflows', async () => {
    const bytes = `abcdefgh${CSI}?1049h${CSI}H0123456789`;
    const t = term({ cols: 10, rows: 3 }).write(bytes);
    t.resize(5, 3);
    expect(t.screenLines()).toEqual(['01234', '', '']);
    t.write(`${CSI}?1049l`);
    expect(t.screenLines()).toEqual(['abcde', 'fgh', '']);
    t.assertIntegrity();
    const r = await bothResized(bytes, 10, 3, [[5, 3]], `${CSI}?1049l`);
    expect(r.ours.lines).toEqual(r.xterm.lines);
  });
});

describe('Terminal: resize — rows', () => {
  it('shrinking with the cursor at the bottom pushes top rows to the scrollback', async () => {
    const bytes = '1\r\n2\r\n3\r\n4\r\n5';
    const r = await bothResized(bytes, 5, 5, [[5, 3]], 'X');
    expect(r.ours.lines).toEqual(['3', '4', '5X']);
    expect(r.ours.scrollback).toBe(2);
    expect(r.ours).toEqual(r.xterm);
  });

  it('shrinking drops blank rows below the cursor first', async () => {
    const bytes = '1\r\n2';
    const r = await bothResized(bytes, 5, 5, [[5, 2]], 'X');
    expect(r.ours.lines).toEqual(['1', '2X']);
    expect(r.ours.scrollback).toBe(0);
    expect(r.ours).toEqual(r.xterm);
  });

  it('growing pulls rows back from the scrollback', async () => {
    const bytes = '1\r\n2\r\n3\r\n4\r\n5';
    const r = await bothResized(bytes, 5, 3, [[5, 5]], 'X');
    expect(r.ours.lines).toEqual(['1', '2', '3', '4', '5X']);
    expect(r.ours.scrollback).toBe(0);
    expect(r.ours).toEqual(r.xterm);
  });

  it('growing without scrollback adds blank rows below', async () => {
    const r = await bothResized('1\r\n2', 5, 3, [[5, 5]], 'X');
    expect(r.ours.lines).toEqual(['1', '2X', '', '', '']);
    expect(r.ours).toEqual(r.xterm);
  });

  it('resize resets the scroll region and clamps the cursor', () => {
    const t = term({ cols: 10, rows: 6 }).write(`${CSI}2;4r${CSI}6;10H`);
    t.resize(6, 4);
    expect([t.scrollTop, t.scrollBottom]).toEqual([0, 3]);
    expect(t.pos[0]).toBeLessThan(4);
    expect(t.pos[1]).toBeLessThan(6);
    t.assertIntegrity();
  });

  it('tab stops survive and extend with the width', () => {
    const t = term({ cols: 10, rows: 2 }).write(`${CSI}3G\x1bH`);
    t.resize(20, 2);
    t.write('\r\tA\tB');
    expect(t.screenLines()[0]).toBe('  A     B');
  });

  it('scrollback and screen together survive many resizes without leaking pages', () => {
    const t = term({ cols: 20, rows: 5, scrollback: 50 });
    for (let i = 0; i < 40; i++) t.write(`line ${i} ${'x'.repeat(i % 17)}\r\n`);
    for (const [c, r] of [[7, 3], [33, 9], [4, 2], [20, 5]] as const) { t.resize(c, r); t.assertIntegrity(); }
    expect(t.screenLines().at(-2)).toBe('line 39 xxxxx');
    expect(t.audit().leakedBytes).toBe(0);
  });
});
