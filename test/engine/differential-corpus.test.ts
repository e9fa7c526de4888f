/**
 * Differential test on the sequence corpus (differential-corpus.ts): every case is written to a
 * fresh termpool terminal, a fresh @xterm/headless and a fresh ghostty-web (its own WebAssembly
 * instance), and the screen text, the cursor, the cells' attributes and the replies are compared
 * with each oracle. A difference fails the test unless differential-allowed.ts lists it (oracle,
 * case, aspect) with a reason; a listed entry that no longer differs fails too.
 */
import { describe, expect, it } from 'vitest';
import { CASES } from './differential-corpus.js';
import { ALLOWED, allowed } from './differential-allowed.js';
import { ASPECTS, ORACLES, differs, renderOracle, renderOurs } from './differential-render.js';

const encoder = new TextEncoder();

describe('differential corpus: termpool vs xterm.js and Ghostty', () => {
  it('names each case once', () => {
    const names = CASES.map((c) => c.name);
    expect(names.filter((n, i) => names.indexOf(n) !== i)).toEqual([]);
  });

  it('allow-list entries name existing cases or recordings, once each, with a reason', () => {
    const names = new Set(CASES.map((c) => c.name));
    for (const a of ALLOWED) {
      expect(names.has(a.case) || a.case.includes('@'), `allow-list: no case ${a.case}`).toBe(true);
      expect(a.reason.length, `allow-list ${a.oracle}/${a.case}/${a.aspect}: reason`).toBeGreaterThan(10);
      expect(ALLOWED.filter((b) => b.oracle === a.oracle && b.case === a.case && b.aspect === a.aspect)).toHaveLength(1);
    }
  });

  for (const c of CASES) {
    it(c.name, async () => {
      const cols = c.cols ?? 80;
      const rows = c.rows ?? 25;
      const bytes = encoder.encode(c.bytes);
      const [ours] = renderOurs(bytes, cols, rows, [bytes.length]);
      const failures: string[] = [];
      for (const oracle of ORACLES) {
        const [theirs] = await renderOracle(oracle, bytes, cols, rows, [bytes.length]);
        for (const aspect of ASPECTS) {
          const diff = differs(aspect, ours!, theirs!, oracle);
          const entry = allowed(oracle, c.name, aspect);
          if (diff !== null && !entry) failures.push(`${oracle} ${aspect} differs:\n${diff}`);
          if (diff === null && entry) failures.push(`${oracle} ${aspect}: allow-listed ("${entry.reason}") but no longer differs — remove the entry`);
        }
      }
      expect(failures, `${c.name} ${JSON.stringify(c.bytes.length > 300 ? c.bytes.slice(0, 300) + '…' : c.bytes)}\n${failures.join('\n')}`).toEqual([]);
    });
  }
});
