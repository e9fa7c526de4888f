/**
 * Issue 26's fixes, each as a byte string written to a fresh 80×25 terminal (10 columns where
 * the case needs a narrow one) and the screen and cursor xterm shows after it. Where
 * @xterm/headless agrees with xterm the result is also checked against it (`both`); where it
 * does not (HPB/VPB, CUB reverse wrap, XTSAVE, CBT's margin) the reason is given.
 */
import { describe, expect, it } from 'vitest';
import { both, term } from '../../helpers/term.js';

const E = '\x1b';

function screen(bytes: string, cols = 80, rows = 25): { lines: string[]; pos: [number, number] } {
  const t = term({ cols, rows }).write(bytes);
  t.assertIntegrity();
  const r = { lines: t.screenLines(), pos: t.pos };
  t.dispose();
  return r;
}

describe('Terminal: REP repeats only the graphic character printed just before it', () => {
  it('nothing after a control: x CR LF CSI 3 b leaves < alone on row 2', async () => {
    const r = screen(`x\r\n${E}[3b<`);
    expect(r.lines.slice(0, 2)).toEqual(['x', '<']);
    const { ours, xterm } = await both(`x\r\n${E}[3b<`, 80, 25);
    expect(ours).toEqual(xterm);
  });

  it('nothing after a cursor move, an SGR or another REP', async () => {
    expect(screen(`a${E}[C${E}[2b`).lines[0]).toBe('a');
    expect(screen(`a${E}[31m${E}[2b`).lines[0]).toBe('a');
    expect(screen(`a${E}[b${E}[b`).lines[0]).toBe('aa');
    for (const bytes of [`a${E}[31m${E}[2b`, `a${E}[b${E}[b`]) {
      const { ours, xterm } = await both(bytes, 80, 25);
      expect(ours).toEqual(xterm);
    }
  });

  it('repeats a character with its combining marks: e U+0301 CSI b → éé', async () => {
    const r = screen(`e\u0301${E}[b`);
    expect(r.lines[0]).toBe('e\u0301e\u0301');
    expect(r.pos).toEqual([0, 2]);
    const { ours, xterm } = await both(`e\u0301${E}[2b`, 80, 25);
    expect(ours.lines[0]!.normalize('NFC')).toBe(xterm.lines[0]!.normalize('NFC'));
    expect(ours.cursor).toEqual(xterm.cursor);
  });

  it('still repeats a character printed right before, wide ones included', () => {
    expect(screen(`ab${E}[3b`).lines[0]).toBe('abbbb');
    expect(screen(`界${E}[2b`).lines[0]).toBe('界界界');
  });
});

describe('Terminal: VPR/HPR as xterm (CUP relative), HPB/VPB', () => {
  it('VPR from above the scroll region goes on to the screen bottom', async () => {
    const bytes = `${E}[10;19r${E}[H${E}[25e1`;
    const r = screen(bytes);
    expect(r.lines[24]).toBe('1');
    const { ours, xterm } = await both(bytes, 80, 25);
    expect(ours).toEqual(xterm);
  });

  it('VPR under DECOM stops at the region bottom; HPR clears the pending wrap', () => {
    expect(screen(`${E}[10;19r${E}[?6h${E}[25e1`).lines[18]).toBe('1');
    expect(screen(`${E}[1;80Hx${E}[ay`, 80, 25).lines[0]!.length).toBe(80);
  });

  it('HPB (CSI j) and VPB (CSI k) move back, clamped at the screen edge', () => {
    // Not in @xterm/headless (ignored there); ECMA-48 8.3.58 / 8.3.160, libvterm.
    const r = screen(`${E}[5;10H${E}[2jA${E}[3kB${E}[99j${E}[99kC`);
    expect(r.lines[4]).toBe('       A');
    expect(r.lines[1]).toBe('        B');
    expect(r.lines[0]).toBe('C');
  });
});

describe('Terminal: DECRC/SCORC do not restore the pending wrap', () => {
  it('DECSC at the last column, DECRC, then a character overwrites it', async () => {
    for (const bytes of [`${E}[1;10Hv${E}7${E}[3;1H${E}8^`, `${E}[1;10Hv${E}[s${E}[3;1H${E}[u^`]) {
      const r = screen(bytes, 10, 5);
      expect(r.lines.slice(0, 2)).toEqual(['         ^', '']);
      const { ours, xterm } = await both(bytes, 10, 5);
      expect(ours).toEqual(xterm);
    }
  });
});

describe('Terminal: CSI ? 1049 l on the main screen', () => {
  it('restores the cursor 1049 h saved (dialog leaves twice)', async () => {
    const bytes = `${E}[?1049h${E}[?1049l${E}[5;1Hdraw${E}[24;1H${E}[?1049l`;
    const r = screen(bytes);
    expect(r.pos).toEqual([0, 0]);
    expect(r.lines[4]).toBe('draw');
    const { ours, xterm } = await both(bytes, 80, 25);
    expect(ours).toEqual(xterm);
  });
});

describe('Terminal: reverse wraparound (mode 45)', () => {
  it('BS goes back over a soft-wrapped line', async () => {
    const bytes = `${E}[?45h0123456789abc\b\b\b\bX`;
    expect(screen(bytes, 10, 5).lines.slice(0, 2)).toEqual(['012345678X', 'abc']);
    const { ours, xterm } = await both(bytes, 10, 5);
    expect(ours).toEqual(xterm);
  });

  it('not over a hard line end, nor without autowrap, nor above the top', async () => {
    expect(screen(`${E}[?45habc\r\n\bX`, 10, 5).lines.slice(0, 2)).toEqual(['abc', 'X']);
    expect(screen(`${E}[?45h0123456789ab${E}[?7l\b\b\bX`, 10, 5).lines.slice(0, 2)).toEqual(['0123456789', 'Xb']);
    expect(screen(`${E}[?45h\b\bX`, 10, 5).pos).toEqual([0, 1]);
    const { ours, xterm } = await both(`${E}[?45habc\r\n\bX`, 10, 5);
    expect(ours).toEqual(xterm);
  });

  it('CUB wraps too (xterm CursorBack; @xterm/headless only wraps BS), a pending wrap uses one move', () => {
    expect(screen(`${E}[?45h0123456789abc${E}[5DX`, 10, 5).lines.slice(0, 2)).toEqual(['01234567X9', 'abc']);
    expect(screen(`${E}[?45h0123456789${E}[2DX`, 10, 5).lines[0]).toBe('01234567X9');
  });

  it('1045 wraps from the top margin round to the bottom one', () => {
    const r = screen(`${E}[?1045h${E}[DX`, 10, 5);
    expect(r.lines[4]).toBe('         X');
  });
});

describe('Terminal: XTSAVE / XTRESTORE', () => {
  it('CSI ? Pm s keeps DEC modes, CSI ? Pm r brings them back', () => {
    const r = screen(`${E}[?7l${E}[?7s${E}[?7h${E}[?7r0123456789abc`, 10, 5);
    expect(r.lines.slice(0, 2)).toEqual(['012345678c', '']);
    const t = term({ cols: 10, rows: 5 }).write(`${E}[?6;25s${E}[?6h${E}[?25l${E}[?6;25r`);
    expect(t.modes.origin).toBe(false);
    expect(t.modes.cursorVisible).toBe(true);
    t.write(`${E}[?1049s${E}[?1049h${E}[?1049r`);
    expect(t.altActive).toBe(false);
  });

  it('a mode never saved is left as it is', () => {
    const t = term().write(`${E}[?7l${E}[?7r`);
    expect(t.modes.autowrap).toBe(false);
  });
});

describe('Terminal: CBT ignores the margins unless DECOM', () => {
  it('goes to column 1 from inside DECSLRM margins (xterm TabToPrevStop)', async () => {
    const bytes = `${E}[?69h${E}[5;20s${E}[1;7H${E}[ZX`;
    expect(screen(bytes).lines[0]).toBe('X');
    const { ours, xterm } = await both(bytes, 80, 25);
    expect(ours).toEqual(xterm);
    expect(screen(`${E}[?69h${E}[5;20s${E}[?6h${E}[1;3H${E}[ZX`).lines[0]).toBe('    X');
  });
});
