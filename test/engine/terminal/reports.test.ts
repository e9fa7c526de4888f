/**
 * Reports sent back through `onReply`: DA1, DA2, DSR 5, CPR (also under DECOM and DECXCPR),
 * XTVERSION, DECRQM for ANSI and DEC modes, window size reports.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { term, xtermReplies } from '../../helpers/term.js';

const CSI = '\x1b[';

describe('Terminal: reports (DA, DSR, CPR, XTVERSION, DECRQM)', () => {
  it('DA1 answers as xterm\'s default VT420 level, with the features termpool has', () => {
    // 64 = VT420; 6 selective erase, 21 horizontal scrolling, 22 ANSI colour, 28 rectangular
    // editing. Not 1/2/9/15/16/17/18 (xterm's), nor sixel (4) or ReGIS (3).
    const t = term().write(`${CSI}c`);
    expect(t.takeReplies()).toBe('\x1b[?64;6;21;22;28c');
    t.write(`${CSI}0c`);
    expect(t.takeReplies()).toBe('\x1b[?64;6;21;22;28c');
    t.write(`${CSI}1c`);
    expect(t.replies).toEqual([]); // only Ps 0 asks
  });

  it('DA2 names a VT420 (41) with termpool\'s version; DA3 a zero unit id, as xterm', () => {
    expect(term().write(`${CSI}>c`).takeReplies()).toBe('\x1b[>41;10;0c');
    expect(term().write(`${CSI}>0c`).takeReplies()).toBe('\x1b[>41;10;0c');
    expect(term().write(`${CSI}=c`).takeReplies()).toBe('\x1bP!|00000000\x1b\\');
  });

  it('DSR 5 answers "OK", same as xterm', async () => {
    const t = term().write(`${CSI}5n`);
    expect(t.takeReplies()).toBe('\x1b[0n');
    expect(await xtermReplies(`${CSI}5n`)).toBe('\x1b[0n');
  });

  it('CPR reports the 1-based cursor position, same as xterm', async () => {
    const bytes = `${CSI}3;7H${CSI}6n`;
    const t = term({ cols: 10, rows: 5 }).write(bytes);
    expect(t.takeReplies()).toBe('\x1b[3;7R');
    expect(await xtermReplies(bytes, 10, 5)).toBe('\x1b[3;7R');
  });

  it('CPR with a pending wrap reports the last column', () => {
    // NOTE: xterm.js answers 1;11 here (its cursor sits past the edge); xterm and the VT
    // manuals report the column the cursor is in, the last one.
    const t = term({ cols: 10, rows: 5 }).write(`abcdefghij${CSI}6n`);
    expect(t.takeReplies()).toBe('\x1b[1;10R');
  });

  it('CPR under DECOM is relative to the scroll region origin', () => {
    // NOTE: xterm.js reports the absolute row (3;3); xterm and the VT510 manual report it
    // relative to the origin when DECOM is set, so that CUP with the answer returns here.
    const t = term({ cols: 10, rows: 5 }).write(`${CSI}2;4r${CSI}?6h${CSI}2;3H${CSI}6n`);
    expect(t.takeReplies()).toBe('\x1b[2;3R');
    t.write(`${CSI}?6l${CSI}6n`);
    expect(t.takeReplies()).toBe('\x1b[1;1R');
  });

  it('CPR under DECOM with DECLRMM is relative to the left margin too', () => {
    const t = term({ cols: 10, rows: 5 }).write(`${CSI}?69h${CSI}4;8s${CSI}?6h${CSI}2;2H${CSI}6n`);
    expect(t.pos).toEqual([1, 4]);
    expect(t.takeReplies()).toBe('\x1b[2;2R');
  });

  it('DECXCPR (CSI ? 6 n) answers with the ? form and page 1, as xterm at VT420', () => {
    const t = term({ cols: 10, rows: 5 }).write(`${CSI}2;5H${CSI}?6n`);
    expect(t.takeReplies()).toBe('\x1b[?2;5;1R');
  });

  it('XTVERSION answers with a DCS naming termpool', () => {
    const t = term().write(`${CSI}>q`);
    // The version is written by hand in reports.ts: it must follow package.json on a bump.
    const { version } = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(t.takeReplies()).toBe(`\x1bP>|termpool ${version}\x1b\\`);
    t.write(`${CSI}>0q`);
    expect(t.replies).toHaveLength(1);
  });

  it.each([
    ['?2004', '', '2'],
    ['?2004', `${CSI}?2004h`, '1'],
    ['?1', `${CSI}?1h`, '1'],
    ['?7', '', '1'],
    ['?25', `${CSI}?25l`, '2'],
    ['?1049', '', '2'],
    ['?1049', `${CSI}?1049h`, '1'],
    ['?2026', `${CSI}?2026h`, '1'],
    ['?1006', `${CSI}?1006h`, '1'],
    ['?1000', `${CSI}?1003h`, '2'],
    ['?9999', '', '0'],
    ['4', '', '2'],
    ['4', `${CSI}4h`, '1'],
    ['20', '', '2'],
    ['9999', '', '0'],
  ])('DECRQM %s after %j answers %s (as xterm)', async (mode, setup, state) => {
    const bytes = `${setup}${CSI}${mode}$p`;
    const t = term().write(bytes);
    const want = `\x1b[${mode};${state}$y`;
    expect(t.takeReplies()).toBe(want);
    expect(await xtermReplies(bytes)).toBe(want);
  });

  it('window size reports (CSI 18 t) give rows and columns', () => {
    const t = term({ cols: 12, rows: 4 }).write(`${CSI}18t`);
    expect(t.takeReplies()).toBe('\x1b[8;4;12t');
  });

  it('nothing else produces replies', () => {
    const t = term().write(`hello${CSI}2J${CSI}1;1H${CSI}31m\x1b]0;x\x07`);
    expect(t.replies).toEqual([]);
  });
});
