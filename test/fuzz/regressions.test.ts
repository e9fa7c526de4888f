/**
 * Every failure the engine fuzzer found, as the exact (shrunk) input, with what broke. Each
 * case runs the full invariant check (integrity after every op, clean pool audit after
 * dispose) and the chunking differential. Add new ones with `scenarioSource` from
 * arbitraries.ts (bench/fuzz-long.ts prints them ready to paste).
 */
import { describe, expect, it } from 'vitest';
import { PagePool, Terminal } from '../../src/engine/index.js';
import { bytes, type Scenario } from './arbitraries.js';
import { checkChunkingInvariance, checkScenario } from './invariants.js';

const CASES: { name: string; broke: string; s: Scenario }[] = [
  {
    name: 'a wide char reflowed onto a 1-column screen',
    broke: 'resize hung: reflow wrapped a wide char that cannot fit one column, forever (resize.ts)',
    s: { cols: 2, rows: 1, scrollback: 1, ops: [
      { kind: 'write', bytes: bytes('\xf0\x9f\x87\xba\xf0\x9f\x87\xb8'), cuts: [] }, // 🇺🇸
      { kind: 'resize', cols: 1, rows: 8 },
    ] },
  },
  {
    name: 'a wrapping wide char leaves its spacer head on the tail of another wide char',
    broke: 'print wrote the spacer head over a spacer tail, leaving a wide head without its tail (print.ts)',
    s: { cols: 2, rows: 1, scrollback: 1, ops: [
      { kind: 'write', bytes: bytes('\xf0\x9f\x91\xa6\x1b[5G\xf0\x9f\x98\x80'), cuts: [] }, // 👦 CHA 5 😀
    ] },
  },
  {
    name: 'REP of a wide char from the last column',
    broke: 'same spacer-head-over-tail path, reached through REP (print.ts)',
    s: { cols: 2, rows: 1, scrollback: 1, ops: [
      { kind: 'write', bytes: bytes('\xe4\xb8\xad\x1b[7G\x1b[b'), cuts: [] }, // 中 CHA 7 REP
    ] },
  },
  {
    name: 'a linefeed scrolls inside left/right margins that cut a wide char',
    broke: 'a partial-column scroll (DECLRMM) split a wide head from its spacer tail (page-list.ts)',
    s: { cols: 1, rows: 1, scrollback: 0, ops: [
      { kind: 'resize', cols: 7, rows: 1 },
      { kind: 'write', bytes: bytes('\x1b[?69h\x1b[6;0s\xe4\xb8\xad\xe4\xb8\xad\xe4\xb8\xad\xe4\xb8\xad\x1b[?69h\x1b[0;0s'), cuts: [] },
    ] },
  },
  {
    name: 'linked wide chars wrapping inside a 2-column right margin',
    broke: 'same partial-column scroll split, with OSC 8 links on the cells (page-list.ts)',
    s: { cols: 1, rows: 1, scrollback: 0, ops: [
      { kind: 'resize', cols: 9, rows: 1 },
      { kind: 'write', bytes: bytes('\x1b[?69h\x1b[8;0sa'), cuts: [] },
      { kind: 'write', bytes: bytes('\x1b[0;0H'), cuts: [] },
      { kind: 'write', bytes: bytes([0, 1, 2, 3, 4].map((k) => `\x1b]8;id=0;https://e.x/${k}\x07\xe4\xb8\xad`).join('')), cuts: [] },
      { kind: 'resize', cols: 1, rows: 1 },
    ] },
  },
  {
    name: 'shrinking the screen right after a reflow',
    broke: 'popRow assumed a live tail page, but reflow could leave it compressed: TypeError tail.clearCells (page-list.ts)',
    s: { cols: 1, rows: 190, scrollback: 1, ops: [{ kind: 'resize', cols: 289, rows: 3 }] },
  },
  {
    name: 'a 1-row screen without scrollback filling its first page',
    broke: 'the only page was pruned completely before the next existed; releasing it later reset the trim to 0 and kept one row too many (page-list.ts pruneOne)',
    s: { cols: 17, rows: 1, scrollback: 0, ops: [{ kind: 'write', bytes: bytes(Array.from({ length: 1300 }, (_, i) => `${i + 1}\r\n`).join('')), cuts: [] }] },
  },
];

describe('fuzz regressions', () => {
  for (const c of CASES) {
    it(`${c.name} (${c.broke})`, () => {
      checkScenario(c.s);
      checkChunkingInvariance(c.s);
    });
  }

  it('the reflowed flag is dropped on a 1-column screen and comes back blank', () => {
    const pool = new PagePool();
    const t = new Terminal({ cols: 2, rows: 1, pool });
    t.write('🇺🇸');
    t.resize(1, 8);
    t.assertIntegrity();
    t.resize(4, 2);
    t.assertIntegrity();
    expect(t.screenLines().join('|')).not.toContain('🇺');
    t.dispose();
    expect(pool.stats().bytesLent).toBe(0);
  });
});
