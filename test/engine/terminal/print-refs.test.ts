/**
 * The print paths settle style reference counts once per run (not per cell) and the ASCII
 * byte path skips the code-point copy. Both must leave exactly what per-cell updates through
 * the general path would: the same cells and the same `refs`; without clears `refs[id]` = cells
 * holding `id`. Clears leave counts high (Page.recountStyles makes them exact).
 */
import { describe, expect, it } from 'vitest';
import type { Page } from '../../../src/engine/page/page.js';
import { STYLE_WORDS } from '../../../src/engine/page/style-table.js';
import { term, type TestTerminal } from '../../helpers/term.js';

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

/** Every style id's count equals the cells using it, and live ids are exactly the findable ones. */
function checkRefs(p: Page): void {
  const cells = new Map<number, number>();
  for (let r = 0; r < p.size; r++) {
    const base = p.rowStart(r);
    for (let x = 0; x < p.cols; x++) {
      const id = p.styleAt(base + x);
      if (id !== 0) cells.set(id, (cells.get(id) ?? 0) + 1);
    }
  }
  let live = 0;
  for (let id = 1; id < p.styles.capacity; id++) {
    const refs = p.styles.refs[id]!;
    expect(refs, `style ${id}`).toBe(cells.get(id) ?? 0);
    if (refs === 0) continue;
    live++;
    const o = id * STYLE_WORDS;
    const rec = p.styles.records;
    expect(p.styles.find(rec[o]!, rec[o + 1]!, rec[o + 2]!, rec[o + 3]!)).toBe(id);
  }
  expect(p.styles.count).toBe(live);
}

function checkAll(t: TestTerminal): void {
  for (const s of [t.primary, t.alt]) s?.list.forEachPage(checkRefs);
}

/** Every page's style counts, per screen, as plain arrays (for comparing two terminals). */
function allRefs(t: TestTerminal): number[][] {
  const out: number[][] = [];
  for (const s of [t.primary, t.alt]) s?.list.forEachPage((p) => out.push([...p.styles.refs]));
  return out;
}

/** After a recount the counts are exact again, and every cell's style is still stored. */
function recountAll(t: TestTerminal): void {
  for (const s of [t.primary, t.alt]) s?.list.forEachPage((p) => { p.recountStyles(); checkRefs(p); });
}

/** A terminal whose handler has no printAscii: every run goes through print/printRun. */
function slowTerm(cols: number, rows: number): TestTerminal {
  const t = term({ cols, rows, scrollback: 20 });
  Object.defineProperty(t, 'printAscii', { value: undefined });
  return t;
}

const PIECES = [
  'hello ', 'ab', 'x', 'some longer words here ', '漢字', '🙂', 'e\u0301', '\r', '\r\n', '\n', '\b\b',
  '\x1b[31m', '\x1b[1;44m', '\x1b[38;2;1;2;3m', '\x1b[0m', '\x1b[m', '\x1b[4:3m', '\x1b[7m',
  '\x1b[H', '\x1b[2;5H', '\x1b[K', '\x1b[1K', '\x1b[2J', '\x1b[3@', '\x1b[2P', '\x1b[4X', '\x1b[L',
  '\x1b[4h', '\x1b[4l', '\x1b]8;;http://a\x07', '\x1b]8;;\x07', '\x1b(0', '\x1b(B', '\x1b[2b',
];

describe('Terminal: print reference counts', () => {
  it('fast and general print paths leave identical cells and exact style counts', () => {
    const r = rng(11);
    for (let trial = 0; trial < 150; trial++) {
      let s = '';
      for (let k = 0; k < 60; k++) s += PIECES[Math.floor(r() * PIECES.length)];
      const cols = 4 + Math.floor(r() * 12);
      const bytes = Buffer.from(s);
      const chunk = 1 + Math.floor(r() * 16);
      const fast = term({ cols, rows: 4, scrollback: 20 });
      const slow = slowTerm(cols, 4);
      for (let i = 0; i < bytes.length; i += chunk) {
        const part = bytes.subarray(i, Math.min(bytes.length, i + chunk));
        fast.write(part);
        slow.write(part);
      }
      const what = `input ${JSON.stringify(s)} cols ${cols} chunk ${chunk}`;
      expect(fast.snapshot(), what).toEqual(slow.snapshot());
      // The inputs clear (EL, ED, ECH...), so counts may be high, but alike on both paths.
      expect(allRefs(fast), what).toEqual(allRefs(slow));
      fast.assertIntegrity();
      recountAll(fast);
      recountAll(slow);
      fast.dispose();
      slow.dispose();
    }
  });

  it('overwriting runs of several old styles releases each exactly', () => {
    const t = term({ cols: 12, rows: 2 });
    t.write('\x1b[31mab\x1b[32mcd\x1b[31mef\x1b[33mgh\x1b[0m\r');
    checkAll(t);
    t.write('\x1b[34mxxxxxxx');
    checkAll(t);
    t.write('\x1b[0m\ryyyyyyyyyyyy');
    checkAll(t);
    const p = t.primary.list.pinActive(0);
    expect(p.styles.count).toBe(0);
  });

  it('one ASCII run over more old-style runs than the release buffer holds (64) settles exactly', () => {
    // 150 cells, each its own style (alternating, so every cell starts a new run), then one
    // 150-byte run in a single new style over all of them.
    let s = '';
    for (let x = 0; x < 150; x++) s += `\x1b[38;5;${x % 2 === 0 ? 1 : 2};48;5;${x}mo`;
    s += '\x1b[34m\r' + 'y'.repeat(150);
    const fast = term({ cols: 200, rows: 2 }).write(s);
    const slow = slowTerm(200, 2).write(s);
    expect(fast.snapshot()).toEqual(slow.snapshot());
    checkAll(fast);
    const p = fast.primary.list.pinActive(0);
    expect(p.styles.count).toBe(1);
    fast.dispose();
    slow.dispose();
  });
});
