/**
 * RegexBudget and the step-wise searches it runs: steps in queue order within a slice per turn of
 * the event loop, a step put back after the others, the search cap; a search whose history is
 * pruned between two of its steps keeps its numbering and skips only what is gone.
 */
import { describe, expect, it } from 'vitest';
import { RegexBudget } from '../../src/sessions/regex-budget.js';
import { compileRegex, drain, RegexStarved, retryStarved } from '../../src/sessions/regex.js';
import { searchLines, searchSteps, searchWithin } from '../../src/sessions/search.js';
import { term } from '../helpers/term.js';

/** Busy for `ms` of wall time (a stand-in for a slow regex step). */
function spin(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) { /* burn */ }
}

describe('RegexBudget: slices', () => {
  it('runs queued steps within sliceMs per turn, the rest on later turns, each job to its end', async () => {
    const budget = new RegexBudget({ sliceMs: 20, searches: 4 });
    // 10 jobs of 3 steps of 5 ms: 150 ms of work, at most ~20 ms (+ one step) per turn.
    function* job(i: number): Generator<void, number> {
      for (let k = 0; k < 3; k++) { if (k > 0) yield; spin(5); }
      return i;
    }
    let turns = 0;
    let on = true;
    const counter = (): void => { turns++; if (on) setImmediate(counter); };
    setImmediate(counter);
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => budget.drive(job(i))));
    on = false;
    expect(results).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(budget.steps).toBe(30);
    // 150 ms in slices of at most 20 ms + one 5 ms step: at least 6 slices, and the loop turned between them.
    expect(budget.slices).toBeGreaterThanOrEqual(6);
    expect(turns).toBeGreaterThanOrEqual(budget.slices - 1);
    expect(budget.queued).toBe(0);
  });

  it('a step that throws rejects its job only', async () => {
    const budget = new RegexBudget({ sliceMs: 50, searches: 4 });
    function* bad(): Generator<void, number> { yield; throw new Error('boom'); }
    function* good(): Generator<void, number> { yield; return 7; }
    const [a, b] = await Promise.allSettled([budget.drive(bad()), budget.drive(good())]);
    expect(a).toMatchObject({ status: 'rejected', reason: { message: 'boom' } });
    expect(b).toMatchObject({ status: 'fulfilled', value: 7 });
  });

  it('admits TERMPOOL_REGEX_SEARCHES searches at once, then 429 REGEX_BUSY until one ends', () => {
    const budget = new RegexBudget({ sliceMs: 50, searches: 2 });
    const r1 = budget.admitSearch();
    const r2 = budget.admitSearch();
    expect(() => budget.admitSearch()).toThrow(expect.objectContaining({ code: 'REGEX_BUSY', statusCode: 429 }));
    r1();
    r1(); // twice is once
    expect(budget.searches).toBe(1);
    budget.admitSearch();
    expect(budget.searches).toBe(2);
    r2();
  });
});

describe('retryStarved', () => {
  it('yields and tries again after a starved search, then gives up as BAD_REGEX', () => {
    let calls = 0;
    const starved = retryStarved(() => { calls++; throw new RegexStarved('slow'); });
    let yields = 0;
    expect(() => { for (let r = starved.next(); !r.done; r = starved.next()) yields++; }).toThrow(expect.objectContaining({ code: 'BAD_REGEX' }));
    expect(calls).toBe(4);
    expect(yields).toBe(3);
    let n = 0;
    expect(drain(retryStarved(() => { if (n++ < 2) throw new RegexStarved('slow'); return 'ok'; }))).toBe('ok');
  });
});

describe('searchSteps: history that changes between steps', () => {
  /** A 20x5 terminal keeping 3,000 lines of scrollback with lines L1..Ln written. */
  function history(n: number) {
    const t = term({ cols: 20, rows: 5, scrollback: 3000 });
    t.write(Array.from({ length: n }, (_, i) => `L${i + 1}`).join('\r\n'));
    return t;
  }

  it('without changes, the same result as the synchronous search', () => {
    const t = history(2500);
    const screen = t.screenLines();
    const re = compileRegex('^L(1|20)\\d\\d$');
    expect(drain(searchSteps(t, screen, re, 1000))).toEqual(searchLines(t, screen, re, 1000));
  });

  it('lines pruned between steps are skipped; the rest keep the numbering of the first step', () => {
    const t = history(3005); // scrollback full: 3,000 lines L1..L3000, screen L3001..L3005
    const screen = t.screenLines();
    const steps = searchSteps(t, screen, compileRegex('^L\\d*7$'), 10_000);
    expect(steps.next().done).toBe(false); // the first batch of 1,024 lines is searched
    // 1,500 more lines arrive: the oldest 1,500 are pruned, among them the rest of the first
    // batch's neighbours up to L1500.
    t.write('\r\n' + Array.from({ length: 1500 }, (_, i) => `N${i + 1}`).join('\r\n'));
    let r = steps.next();
    while (!r.done) r = steps.next();
    const lines = r.value.matches.map((m) => m.line);
    expect(r.value.scrollbackLength).toBe(3000);
    // L7..L1017 from the first batch (lines 6..1016), then nothing until L1507 (line 1506).
    expect(lines.slice(0, 102)).toEqual(Array.from({ length: 102 }, (_, i) => 6 + 10 * i));
    expect(lines[102]).toBe(1506);
    expect(r.value.matches[102]!.text).toBe('L1507');
    // The screen as it was at the first step is searched too: L3007 is not there, L3001..L3005 hold no 7.
    expect(lines[lines.length - 1]).toBe(2996);
    expect(r.value.matches.every((m) => m.text === `L${m.line + 1}`)).toBe(true);
  });
});

describe('searchWithin: a client that goes away', () => {
  it('ends its search at the next step and gives its place back', async () => {
    const t = term({ cols: 20, rows: 5, scrollback: 20_000 });
    t.write(Array.from({ length: 10_240 }, (_, i) => `L${i + 1}`).join('\r\n'));
    const budget = new RegexBudget({ sliceMs: 1, searches: 1 });
    const gone = new AbortController();
    const search = searchWithin(budget, t, t.screenLines(), compileRegex('^L\\d+9$'), 100_000, gone.signal);
    expect(budget.searches).toBe(1);
    await new Promise((r) => setImmediate(r));
    gone.abort();
    await expect(search).rejects.toMatchObject({ name: 'AbortError' });
    expect(budget.searches).toBe(0);
    // 11 batches of 1,024 lines; it stopped after a few.
    expect(budget.steps).toBeLessThan(5);
    // Without the abort the same search runs to its end.
    const whole = await searchWithin(budget, t, t.screenLines(), compileRegex('^L\\d+9$'), 100_000);
    expect(whole.matches).toHaveLength(1023); // L19 .. L10239
  });
});
