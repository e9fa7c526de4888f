/**
 * The amplification budget (src/engine/terminal/amplify.ts): REP and DECALN turn a few bytes
 * into a screen of cells; what they produce stays within `burst + 16 × bytes written` (rounded
 * up to a block), the same however the input is split into writes, while drawing with REP the
 * way programs do is untouched.
 */
import { describe, expect, it } from 'vitest';
import { AMPLIFY_BLOCK, AMPLIFY_BURST_SCREENS, AMPLIFY_CELLS_PER_BYTE } from '../../../src/engine/terminal/amplify.js';
import { term } from '../../helpers/term.js';

const CSI = '\x1b[';

/** Writes `s` with exactly `credit` cells to spend: short, and inside a block that has begun (nothing earned). */
function writeWithCredit(t: ReturnType<typeof term>, s: string, credit: number): void {
  if (t.bytesParsed % AMPLIFY_BLOCK === 0) t.write('\0'); // NUL: ignored, starts the block
  expect(t.bytesParsed % AMPLIFY_BLOCK + Buffer.byteLength(s, 'utf8')).toBeLessThan(AMPLIFY_BLOCK);
  t.amplify.credit = credit;
  t.write(s);
}

/** Cells printed into a terminal that keeps every line: the scrolled-off lines and the screen. */
function cellsPrinted(t: ReturnType<typeof term>): number {
  return (t.scrollbackLength + t.cursor.y) * t.cols + t.cursor.x + (t.cursor.pendingWrap ? 1 : 0);
}

describe('Terminal: the REP budget', () => {
  // 10 x 20: one REP may print 200 cells from 8 bytes (`x ESC[999b`), 25 per byte.
  const cols = 10;
  const rows = 20;
  const unit = `x${CSI}999b`;
  const units = 2000;
  const bytes = unit.length * units;
  const bound = AMPLIFY_BURST_SCREENS * cols * rows + AMPLIFY_CELLS_PER_BYTE * Math.ceil(bytes / AMPLIFY_BLOCK) * AMPLIFY_BLOCK + units;

  it('a REP flood in one write prints at most burst + 16 cells a byte', () => {
    const t = term({ cols, rows, scrollback: 1_000_000 });
    t.write(unit.repeat(units));
    const printed = cellsPrinted(t);
    // Without the budget: units x (1 + 200) = 402,000 cells.
    expect(printed).toBeLessThanOrEqual(bound);
    expect(printed).toBeGreaterThan(bound - AMPLIFY_CELLS_PER_BYTE * AMPLIFY_BLOCK - cols * rows);
    expect(t.amplify.refused).toBeGreaterThan(0);
  });

  it('split into writes anywhere, the flood prints exactly the same (credit moves only at fixed stream offsets)', () => {
    const whole = term({ cols, rows, scrollback: 1_000_000 });
    whole.write(unit.repeat(units));
    const perRep = term({ cols, rows, scrollback: 1_000_000 });
    for (let i = 0; i < units; i++) perRep.write(unit);
    const odd = term({ cols, rows, scrollback: 1_000_000 });
    const all = unit.repeat(units);
    for (let at = 0, k = 0; at < all.length; k++) {
      const n = 1 + ((k * 7919) % 997); // sizes 1..997, cutting sequences anywhere
      odd.write(all.slice(at, at + n));
      at += n;
    }
    expect(cellsPrinted(perRep)).toBe(cellsPrinted(whole));
    expect(cellsPrinted(odd)).toBe(cellsPrinted(whole));
    expect(perRep.amplify.refused).toBe(whole.amplify.refused);
    expect(odd.amplify.credit).toBe(whole.amplify.credit);
  });

  it('a REP past the credit prints what the credit allows and drops the rest', () => {
    const t = term({ cols: 10, rows: 2 });
    writeWithCredit(t, `ab${CSI}9b`, 3);
    expect(t.screenText()).toBe('abbbb\n');
    expect(t.amplify.refused).toBe(6);
    writeWithCredit(t, `${CSI}5b`, 0);
    expect(t.screenText()).toBe('abbbb\n');
  });

  it('drawing with REP as ncurses does is untouched: a full-screen box redrawn 100 times', () => {
    const t = term({ cols: 80, rows: 24 });
    const frame = `${CSI}H┌─${CSI}77b┐` + Array.from({ length: 22 }, (_, i) => `${CSI}${i + 2};1H│${CSI}78C│`).join('') + `${CSI}24;1H└─${CSI}77b┘`;
    for (let i = 0; i < 100; i++) t.write(frame);
    expect(t.amplify.refused).toBe(0);
    const lines = t.screenLines();
    expect(lines[0]).toBe(`┌${'─'.repeat(78)}┐`);
    expect(lines[23]).toBe(`└${'─'.repeat(78)}┘`);
  });

  it('REP of a wide character counts two cells each', () => {
    const t = term({ cols: 10, rows: 2 });
    writeWithCredit(t, `世${CSI}9b`, 5);
    expect(t.screenLines()[0]).toBe('世世世');
    expect(t.amplify.refused).toBe((9 - 2) * 2);
  });
});

describe('Terminal: DECALN draws on the same budget', () => {
  it('a flood of ESC # 8 at 500x200 runs the first few and skips the rest', () => {
    const t = term({ cols: 500, rows: 200, scrollback: 0 });
    t.write('\x1b#8'.repeat(1000));
    // Credit: 2 screens + 16 x one block of 4,096 bytes < 3 screens: two run, 998 are skipped.
    expect(t.amplify.refused).toBe(998 * 500 * 200);
  });

  it('a skipped DECALN leaves the screen alone; once input has paid for it, it fills again', () => {
    const t = term({ cols: 500, rows: 200, scrollback: 0 });
    t.amplify.credit = 0;
    // The first block earns 16 x 4,096 = 65,536 cells: not a screen of 100,000.
    t.write(`${CSI}2J\x1b#8`);
    expect(t.screenLines().every((l) => l === '')).toBe(true);
    // The second block, from byte 4,096 on, earns as much again: enough.
    t.write(`${CSI}H${' '.repeat(AMPLIFY_BLOCK)}${CSI}H\x1b#8`);
    expect(t.screenLines().every((l) => l === 'E'.repeat(500))).toBe(true);
  });
});
