/**
 * findInHistory and searchLines: scrollback then screen in one numbering, read in windows, with
 * overlap for patterns that span lines (wait's scrollback option and ?regex= stand on them).
 */
import { describe, expect, it } from 'vitest';
import { findInHistory, searchLines, WINDOW_OVERLAP } from '../../src/sessions/search.js';
import { compileRegex } from '../../src/sessions/regex.js';
import { findOnScreen } from '../../src/sessions/wait.js';
import { term } from '../helpers/term.js';

/** A 20x5 terminal with lines L1..Ln written: n - 5 of them in the scrollback. */
function history(n: number) {
  const t = term({ cols: 20, rows: 5, scrollback: 10_000 });
  t.write(Array.from({ length: n }, (_, i) => `L${i + 1}`).join('\r\n'));
  return t;
}

describe('findInHistory', () => {
  it('numbers scrollback lines from 0 and screen rows after them, oldest hit first', () => {
    const t = history(3000);
    expect(t.scrollbackLength).toBe(2995);
    const screen = t.screenLines();
    const text = (s: string) => (lines: string[]) => findOnScreen(lines, s, undefined);
    expect(findInHistory(t, 0, screen, 0, text('L2500'))).toEqual({ line: 2499, column: 0, text: 'L2500' });
    expect(findInHistory(t, 0, screen, 0, text('L2999'))).toEqual({ line: 2998, column: 0, text: 'L2999' }); // screen row 3
    expect(findInHistory(t, 0, screen, 0, text('L7'))).toEqual({ line: 6, column: 0, text: 'L7' });
    // From a later start, earlier lines are not looked at.
    expect(findInHistory(t, 2000, screen, 0, text('07'))).toEqual({ line: 2006, column: 3, text: '07' });
    expect(findInHistory(t, 2000, screen, 0, text('L1999'))).toBeNull();
    expect(findInHistory(t, 0, screen, 0, text('nowhere'))).toBeNull();
  });

  it('a regex across a window edge or the scrollback/screen edge is found with the overlap, not without', () => {
    const t = history(3000);
    const screen = t.screenLines();
    const re = (src: string) => { const m = compileRegex(src); return (lines: string[]) => findOnScreen(lines, undefined, m); };
    // Lines 1024 and 1025 (0-based 1023 | 1024) sit either side of the first window edge.
    expect(findInHistory(t, 0, screen, WINDOW_OVERLAP, re('^L1024\\nL1025$'))).toMatchObject({ line: 1023, text: 'L1024\nL1025' });
    expect(findInHistory(t, 0, screen, 0, re('^L1024\\nL1025$'))).toBeNull();
    // The newest scrollback line and the first screen row.
    expect(findInHistory(t, 2990, screen, WINDOW_OVERLAP, re('^L2995\\nL2996$'))).toMatchObject({ line: 2994 });
    // A start after the pattern's first line: the overlap reaches back to it.
    expect(findInHistory(t, 2995, screen, WINDOW_OVERLAP, re('^L2995\\nL2996$'))).toMatchObject({ line: 2994 });
    expect(findInHistory(t, 2995, screen, 0, re('^L2995\\nL2996$'))).toBeNull();
  });
});

describe('searchLines by regex', () => {
  it('reports each line once across overlapping windows, and a match over a window edge at its first line', () => {
    const t = history(3000);
    const screen = t.screenLines();
    const hundred = searchLines(t, screen, compileRegex('^L10\\d\\d$'), 1000);
    expect(hundred.matches.map((m) => m.line)).toEqual(Array.from({ length: 100 }, (_, i) => 999 + i));
    expect(hundred).toMatchObject({ kind: 'regex', truncated: false, total: 3000, scrollbackLength: 2995 });
    const edge = searchLines(t, screen, compileRegex('^L1024\\nL1025$'), 10);
    expect(edge.matches).toEqual([{ line: 1023, column: 0, text: 'L1024' }]);
    // Screen rows are found and numbered after the scrollback; text search agrees.
    const last = searchLines(t, screen, compileRegex('^L3000$'), 10);
    expect(last.matches).toEqual([{ line: 2999, column: 0, text: 'L3000' }]);
    expect(searchLines(t, screen, 'L3000', 10)).toMatchObject({ kind: 'text', matches: [{ line: 2999, column: 0 }] });
    // limit: the first `limit` lines, truncated.
    const some = searchLines(t, screen, compileRegex('0$'), 3);
    expect(some).toMatchObject({ truncated: true, matches: [{ line: 9 }, { line: 19 }, { line: 29 }] });
  });
});
