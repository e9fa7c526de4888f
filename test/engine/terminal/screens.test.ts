/**
 * Screens and saved cursors: alternate screen via 47 / 1047 / 1049, DECSC / DECRC (and
 * SCOSC / SCORC), DECALN.
 */
import { describe, expect, it } from 'vitest';
import { both, term } from '../../helpers/term.js';

const ESC = '\x1b';
const CSI = '\x1b[';
const primary = 'p1\r\np2\r\np3\r\np4\r\np5'; // 3 rows: p1, p2 in scrollback

describe('Terminal: alternate screen (47, 1047, 1049)', () => {
  it('1049 saves the cursor, switches to a blank screen, and restores both on leaving', async () => {
    const bytes = `${primary}${CSI}2;2H${CSI}?1049hALT${CSI}3;1Hx${CSI}?1049lY`;
    const t = term({ cols: 6, rows: 3 }).write(`${primary}${CSI}2;2H${CSI}?1049h`);
    expect(t.snapshot().modes.alternateScreen).toBe(true);
    expect(t.screenLines()).toEqual(['', '', '']);
    expect(t.pos).toEqual([1, 1]); // the cursor does not move on entering
    t.write(`ALT${CSI}3;1Hx`);
    expect(t.screenLines()).toEqual(['', ' ALT', 'x']);
    t.write(`${CSI}?1049lY`);
    expect(t.snapshot().modes.alternateScreen).toBe(false);
    expect(t.screenLines()).toEqual(['p3', 'pY', 'p5']);
    t.assertIntegrity();
    const r = await both(bytes, 6, 3);
    expect(r.ours).toEqual(r.xterm);
  });

  it('the primary scrollback is untouched by scrolling on the alternate screen', async () => {
    const bytes = `${primary}${CSI}?1049h${'x\r\n'.repeat(10)}${CSI}?1049l`;
    const t = term({ cols: 6, rows: 3 }).write(bytes);
    expect(t.scrollbackLines(0, 10)).toEqual(['p1', 'p2']);
    expect(t.screenLines()).toEqual(['p3', 'p4', 'p5']);
    const r = await both(bytes, 6, 3);
    expect(r.ours).toEqual(r.xterm);
  });

  it('the alternate screen has no scrollback of its own', () => {
    const t = term({ cols: 6, rows: 3 }).write(`${primary}${CSI}?1049h${'x\r\n'.repeat(10)}`);
    expect(t.scrollbackLength).toBe(2);
    expect(t.snapshot(100).lines).toHaveLength(3);
  });

  it('1049 entered again starts blank', () => {
    const t = term({ cols: 6, rows: 3 }).write(`${CSI}?1049hold${CSI}?1049l${CSI}?1049h`);
    expect(t.screenLines()).toEqual(['', '', '']);
  });

  it('1047 clears the alternate screen on leaving; the cursor stays where it was (as xterm)', async () => {
    const bytes = `${primary}${CSI}?1047h${CSI}3;4Hq${CSI}?1047lX`;
    const t = term({ cols: 6, rows: 3 }).write(bytes);
    expect(t.screenLines()).toEqual(['p3', 'p4', 'p5  X']);
    t.write(`${CSI}?1047h`);
    expect(t.screenLines()).toEqual(['', '', '']);
    t.assertIntegrity();
    const r = await both(bytes, 6, 3);
    expect(r.ours).toEqual(r.xterm);
  });

  it('47 switches without clearing: the alternate screen keeps its content (as xterm)', () => {
    // NOTE: xterm.js and tmux clear the alternate screen on every switch; xterm keeps it for
    // mode 47 (only 1047/1049 clear). We follow xterm here.
    const t = term({ cols: 6, rows: 3 }).write(`${primary}${CSI}?47h${CSI}Hkeep${CSI}?47l`);
    expect(t.screenLines()).toEqual(['p3', 'p4', 'p5']);
    t.write(`${CSI}?47h`);
    expect(t.screenLines()).toEqual(['keep', '', '']);
    t.assertIntegrity();
  });

  it('SGR in effect carries across a 1047 switch; 1049 restores the saved SGR', () => {
    const t = term({ cols: 6, rows: 3 }).write(`${CSI}?1047h${CSI}31m${CSI}?1047lx`);
    const s = t.snapshot();
    expect(s.styles[s.lines[0]!.cells[0]!.style]!.fg).toBe(1);
    const u = term({ cols: 6, rows: 3 }).write(`${CSI}?1049h${CSI}31m${CSI}?1049lx`);
    expect(u.snapshot().lines[0]!.cells[0]!.style).toBe(0);
  });

  it('entering the screen already active does nothing; 1049 l on the main screen restores the cursor', () => {
    // 1049 l with nothing saved homes the cursor (xterm, @xterm/headless); the second 1049 h is a no-op.
    const t = term({ cols: 6, rows: 3 }).write(`a${CSI}?1049l${CSI}?1049hb${CSI}?1049h`);
    expect(t.screenLines()).toEqual(['b', '', '']);
    expect(t.pos).toEqual([0, 1]);
  });

  it('leaving the alternate screen returns its pages to the pool', () => {
    const t = term({ cols: 6, rows: 3 });
    const before = t.pageCount;
    t.write(`${CSI}?1049h`);
    expect(t.pageCount).toBeGreaterThan(before);
    t.write(`${CSI}?1049l`);
    expect(t.pageCount).toBe(before);
    expect(t.audit().leakedBytes).toBe(0);
  });
});

describe('Terminal: DECSC / DECRC', () => {
  it('restores position, SGR and charsets', () => {
    const t = term({ cols: 10, rows: 3 }).write(`${CSI}2;3H${CSI}1;32m${ESC}(0${ESC}7`);
    t.write(`${CSI}H${CSI}0m${ESC}(Bq${ESC}8q`);
    expect(t.pos).toEqual([1, 3]);
    const s = t.snapshot();
    expect(s.lines[0]!.text).toBe('q');
    expect(s.lines[1]!.cells[2]!.text).toBe('─'); // q in DEC graphics
    expect(s.styles[s.lines[1]!.cells[2]!.style]).toMatchObject({ bold: true, fg: 2 });
    t.assertIntegrity();
  });

  it('restores origin mode', () => {
    const t = term({ cols: 10, rows: 5 }).write(`${CSI}2;4r${CSI}?6h${ESC}7${CSI}?6l${ESC}8`);
    expect(t.modes.origin).toBe(true);
  });

  it('DECRC without a DECSC homes the cursor and resets attributes', () => {
    const t = term({ cols: 10, rows: 3 }).write(`${CSI}3;3H${CSI}1m${ESC}8x`);
    expect(t.pos).toEqual([0, 1]);
    expect(t.snapshot().lines[0]!.cells[0]!.style).toBe(0);
  });

  it('SCOSC / SCORC (CSI s / CSI u) save and restore the position', async () => {
    const bytes = `${CSI}2;5H${CSI}s${CSI}H${CSI}uX`;
    const r = await both(bytes, 10, 3);
    expect(r.ours.lines[1]).toBe('    X');
    expect(r.ours).toEqual(r.xterm);
  });

  it('each screen has its own saved cursor', async () => {
    const bytes = `${CSI}2;2H${ESC}7${CSI}?47h${CSI}3;3H${ESC}7${CSI}?47l${ESC}8A${CSI}?47h${ESC}8B`;
    const t = term({ cols: 6, rows: 3 }).write(bytes);
    expect(t.screenLines()).toEqual(['', '', '  B']);
    t.write(`${CSI}?47l`);
    expect(t.screenLines()).toEqual(['', ' A', '']);
  });

  it('a restored position beyond a shrunken screen is clamped', () => {
    const t = term({ cols: 10, rows: 5 }).write(`${CSI}5;10H${ESC}7`);
    t.resize(5, 3);
    t.write(`${ESC}8`);
    expect(t.pos).toEqual([2, 4]);
    t.assertIntegrity();
  });
});

describe('Terminal: DECALN', () => {
  it('fills the screen with E, resets the margins and homes the cursor', async () => {
    const bytes = `${CSI}2;3r${CSI}31mab${ESC}#8`;
    const t = term({ cols: 4, rows: 3 }).write(bytes);
    expect(t.screenLines()).toEqual(['EEEE', 'EEEE', 'EEEE']);
    expect(t.pos).toEqual([0, 0]);
    expect([t.scrollTop, t.scrollBottom]).toEqual([0, 2]);
    expect(t.snapshot().lines[0]!.cells[0]!.style).toBe(0);
    t.assertIntegrity();
    const r = await both(bytes, 4, 3);
    expect(r.ours).toEqual(r.xterm);
  });
});
