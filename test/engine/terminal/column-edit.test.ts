/**
 * Horizontal scrolling and column editing: SL, SR, DECIC, DECDC, DECBI, DECFI, in the scroll
 * region's rows and between the left/right margins (xterm's xtermColScroll). Without margins
 * they are checked against @xterm/headless, which implements SL/SR/DECIC/DECDC but neither
 * DECSLRM nor DECBI/DECFI.
 */
import { describe, expect, it } from 'vitest';
import { both, term } from '../../helpers/term.js';

const E = '\x1b';
const TEXT = `abcdef\r\nghijkl\r\nmnopqr${E}[2;3r`;

function lines(bytes: string, cols = 10, rows = 5): string[] {
  const t = term({ cols, rows }).write(bytes);
  t.assertIntegrity();
  const l = t.screenLines();
  t.dispose();
  return l;
}

describe('Terminal: SL / SR / DECIC / DECDC in the scroll region', () => {
  const cases: [string, string, string[]][] = [
    ['DECIC inserts blank columns at the cursor', `${E}[2;3H${E}[2'}`, ['abcdef', 'gh  ijkl', 'mn  opqr']],
    ['DECDC deletes columns at the cursor', `${E}[2;3H${E}[2'~`, ['abcdef', 'ghkl', 'mnqr']],
    ['SL scrolls the region left', `${E}[3;3H${E}[2 @`, ['abcdef', 'ijkl', 'opqr']],
    ['SR scrolls the region right', `${E}[3;3H${E}[2 A`, ['abcdef', '  ghijkl', '  mnopqr']],
    ['nothing with the cursor outside the region', `${E}[1;3H${E}[2'}${E}[1;1H${E}[ @`, ['abcdef', 'ghijkl', 'mnopqr']],
  ];
  for (const [name, seq, want] of cases) {
    it(name, async () => {
      expect(lines(TEXT + seq).slice(0, 3)).toEqual(want);
      const { ours, xterm } = await both(TEXT + seq, 10, 5);
      expect(ours).toEqual(xterm);
    });
  }

  it('keep to the left/right margins (DECSLRM)', () => {
    const m = `${E}[?69h${E}[3;8s`; // columns 3..8
    expect(lines(`0123456789${m}${E}[1;4H${E}[2'}`, 10, 1)).toEqual(['012  34589']);
    expect(lines(`0123456789${m}${E}[1;4H${E}[2'~`, 10, 1)).toEqual(['012567  89']);
    expect(lines(`0123456789${m}${E}[1;4H${E}[ @`, 10, 1)).toEqual(['0134567 89']);
    expect(lines(`0123456789${m}${E}[1;4H${E}[ A`, 10, 1)).toEqual(['01 2345689']);
    // Cursor left of the left margin: nothing moves.
    expect(lines(`0123456789${m}${E}[1;1H${E}[2'}`, 10, 1)).toEqual(['0123456789']);
  });

  it('a huge count blanks the region and no more', () => {
    expect(lines(`${TEXT}${E}[2;1H${E}[99999'~`).slice(0, 3)).toEqual(['abcdef', '', '']);
    expect(lines(`0123456789${E}[?69h${E}[3;8s${E}[1;3H${E}[99999 A`, 10, 1)).toEqual(['01      89']);
  });

  it('wide characters cut by the shift are blanked whole', () => {
    const t = term({ cols: 10, rows: 1 }).write(`a界b${E}[1;3H${E}['}`);
    t.assertIntegrity();
    expect(t.screenLines()).toEqual(['a   b']);
  });
});

describe('Terminal: DECBI / DECFI', () => {
  it('move the cursor inside the margins', () => {
    const t = term({ cols: 10, rows: 2 }).write(`abc${E}6${E}6X${E}9${E}9Y`);
    expect(t.screenLines()[0]).toBe('aXc Y');
  });

  it('at the left margin DECBI shifts the region right; at the right margin DECFI shifts it left', () => {
    expect(lines(`abcdef\r\nghijkl${E}[H${E}6${E}6X`, 10, 2)).toEqual(['X abcdef', '  ghijkl']);
    expect(lines(`abcdefghij\r\nklm${E}[1;10H${E}9${E}9X`, 10, 2)).toEqual(['cdefghij X', 'm']);
    const m = `${E}[?69h${E}[3;8s`;
    expect(lines(`0123456789${m}${E}[1;3H${E}6`, 10, 1)).toEqual(['01 2345689']);
    expect(lines(`0123456789${m}${E}[1;8H${E}9`, 10, 1)).toEqual(['0134567 89']);
  });
});
