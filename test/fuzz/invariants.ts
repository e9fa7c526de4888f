/**
 * Running a fuzz `Scenario` against a fresh Terminal and checking the engine's invariants,
 * shared by the vitest properties and bench/fuzz-long.ts. Every check throws with a message
 * naming what broke; a property fails on the first throw and fast-check shrinks the input.
 *
 * After every operation: the cursor is inside the screen and `assertIntegrity()` holds (page
 * list row counts plus every cell: wide pairs, grapheme offsets, style/link refcounts); after a
 * write, `scrollbackEnd` tells the new and pruned scrollback lines right.
 * At the end: `screenLines()` has exactly `rows` lines, `snapshot()` survives a JSON round
 * trip unchanged, scrollback reads work; after `dispose()` the pool audit is clean (nothing
 * leaked, stranded, dangling or drifted) and the pool lends no bytes.
 */
import { isDeepStrictEqual } from 'node:util';
import { archiveTerminal, auditPool, PagePool, restoreTerminal, Terminal } from '../../src/engine/index.js';
import type { Op, Scenario } from './arbitraries.js';

export interface RunResult {
  lines: string[];
  /** JSON of the final snapshot (with up to 50 lines of scrollback). */
  snapshot: string;
  /** Everything the terminal replied (DA, CPR, colour queries...). */
  replies: string;
}

/** Split `bytes` at the (sorted, de-duplicated) cut points, taken modulo its length. */
export function chunksOf(bytes: Uint8Array, cuts: readonly number[]): Uint8Array[] {
  if (cuts.length === 0 || bytes.length < 2) return [bytes];
  const at = [...new Set(cuts.map((c) => c % bytes.length))].sort((a, b) => a - b);
  const out: Uint8Array[] = [];
  let prev = 0;
  for (const c of at) {
    if (c > prev) out.push(bytes.subarray(prev, c));
    prev = Math.max(prev, c);
  }
  out.push(bytes.subarray(prev));
  return out;
}

function check(t: Terminal, where: string): void {
  const c = t.cursor;
  if (!(c.x >= 0 && c.x < t.cols && c.y >= 0 && c.y < t.rows)) throw new Error(`${where}: cursor ${c.x},${c.y} outside ${t.cols}x${t.rows}`);
  try {
    t.assertIntegrity();
  } catch (e) {
    throw new Error(`${where}: ${(e as Error).message}`);
  }
}

/** Scrollback as a write found it: `scrollbackEnd` and, when short enough to compare, its lines. */
interface History { end: number; length: number; lines: string[] | null }

function historyOf(t: Terminal): History {
  const length = t.scrollbackLength;
  return { end: t.scrollbackEnd, length, lines: length <= 200 ? t.scrollbackLines(0, length) : null };
}

/**
 * A write never moves scrollbackEnd back, and what it says came in is exactly what did: the
 * scrollback after is the old one minus the pruned head, then the new lines (scrollback rows
 * are never rewritten by a write).
 */
function checkHistory(t: Terminal, old: History, where: string): void {
  const end = t.scrollbackEnd;
  const length = t.scrollbackLength;
  if (end < old.end) throw new Error(`${where}: scrollbackEnd went back on a write: ${old.end} -> ${end}`);
  if (end < length) throw new Error(`${where}: scrollbackEnd ${end} below scrollbackLength ${length}`);
  if (old.lines === null || length > 200) return;
  const fresh = end - old.end;
  const pruned = (end - length) - (old.end - old.length);
  const kept = t.scrollbackLines(0, Math.max(0, length - fresh));
  const want = old.lines.slice(Math.min(pruned, old.length));
  if (!isDeepStrictEqual(kept, want)) throw new Error(`${where}: scrollbackEnd says ${fresh} new lines, ${pruned} pruned, but the older lines differ`);
}

function apply(t: Terminal, op: Op, split: boolean): void {
  if (op.kind === 'resize') { t.resize(op.cols, op.rows); return; }
  if (op.kind === 'compress') { t.compressColdPages(); return; }
  if (!split) { t.write(op.bytes); return; }
  for (const chunk of chunksOf(op.bytes, op.cuts)) t.write(chunk);
}

/**
 * Run `s` on a new Terminal in `pool` (a fresh private pool when omitted), checking every
 * invariant; `split` writes each operation in its random chunks instead of whole.
 */
export function runScenario(s: Scenario, split: boolean, pool: PagePool = new PagePool(), atEnd?: (t: Terminal) => void): RunResult {
  let replies = '';
  const t = new Terminal({ cols: s.cols, rows: s.rows, scrollback: s.scrollback, pool, label: 'fuzz', onReply: (d) => { replies += d; } });
  let result: RunResult;
  try {
    check(t, 'after create');
    s.ops.forEach((op, k) => {
      const before = op.kind === 'write' ? historyOf(t) : null;
      apply(t, op, split);
      check(t, `after op ${k} (${op.kind})`);
      if (before !== null) checkHistory(t, before, `after op ${k} (write)`);
    });
    const lines = t.screenLines();
    if (lines.length !== t.rows) throw new Error(`screenLines() has ${lines.length} lines, rows ${t.rows}`);
    const snap = t.snapshot(50);
    const json = JSON.stringify(snap);
    if (!isDeepStrictEqual(JSON.parse(json), snap)) throw new Error('snapshot() does not survive a JSON round trip');
    const back = t.scrollbackLength;
    const sb = t.scrollbackLines(Math.max(0, back - 5), 10);
    if (sb.length !== Math.min(back, 5)) throw new Error(`scrollbackLines returned ${sb.length} lines of the last ${Math.min(back, 5)}`);
    result = { lines, snapshot: json, replies };
    atEnd?.(t);
  } finally {
    t.dispose();
  }
  const a = auditPool(pool);
  const lent = pool.stats().bytesLent;
  if (a.leakedBytes !== 0 || a.strandedBytes !== 0 || a.danglingBytes !== 0 || a.ledgerDriftBytes !== 0 || lent !== 0) {
    throw new Error(`pool audit after dispose: leaked ${a.leakedBytes} stranded ${a.strandedBytes} dangling ${a.danglingBytes} drift ${a.ledgerDriftBytes} lent ${lent}`);
  }
  return result;
}

/** The invariant property: run in random chunks; throws on any violation. */
export function checkScenario(s: Scenario, pool?: PagePool): void {
  runScenario(s, true, pool);
}

/** The differential property: one chunk per write vs random chunks give the same screen. */
export function checkChunkingInvariance(s: Scenario, pool?: PagePool): void {
  const whole = runScenario(s, false, pool);
  const split = runScenario(s, true, pool);
  if (!isDeepStrictEqual(whole.lines, split.lines)) {
    const y = whole.lines.findIndex((l, k) => l !== split.lines[k]);
    throw new Error(`screenLines differ at row ${y}: whole ${JSON.stringify(whole.lines[y])} vs chunked ${JSON.stringify(split.lines[y])}`);
  }
  if (whole.snapshot !== split.snapshot) throw new Error('snapshot differs between whole and chunked writes');
  if (whole.replies !== split.replies) throw new Error(`replies differ: ${JSON.stringify(whole.replies)} vs ${JSON.stringify(split.replies)}`);
}

/**
 * The archive property: archive the final terminal, restore it on the same pool, and read back
 * the same screen, snapshot (cells, styles, cursor, modes) and whole scrollback; the restored
 * terminal's pages go back to the pool too (the audit after dispose checks both).
 */
export function checkArchiveRoundTrip(s: Scenario, pool: PagePool = new PagePool()): void {
  runScenario(s, true, pool, (t) => {
    const back = restoreTerminal(archiveTerminal(t), { pool, label: 'fuzz-restored' });
    try {
      const a = t.screenLines();
      const b = back.screenLines();
      if (!isDeepStrictEqual(a, b)) {
        const y = a.findIndex((l, k) => l !== b[k]);
        throw new Error(`restored screen differs at row ${y}: ${JSON.stringify(a[y])} vs ${JSON.stringify(b[y])}`);
      }
      if (JSON.stringify(t.snapshot(t.scrollbackLength)) !== JSON.stringify(back.snapshot(back.scrollbackLength))) {
        throw new Error('restored snapshot (with all scrollback) differs');
      }
      back.assertIntegrity();
    } finally {
      back.dispose();
    }
  });
}
