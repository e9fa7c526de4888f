/**
 * Scrollback search over scrollback then screen, in bounded batches: a plain substring per
 * line, or a client regex (flag m) over each batch's lines joined by \n. Each batch is a step
 * (a generator `yield` between two): the routes run the steps under the RegexBudget
 * (src/sessions/regex-budget.ts), so a long search shares the event loop with everyone else.
 */
import type { Terminal } from '../engine/index.js';
import { drain, retryStarved, type RegexMatcher } from './regex.js';
import type { RegexBudget } from './regex-budget.js';

const BATCH = 1024;

export interface SearchResult {
  query: string;
  kind: 'text' | 'regex';
  total: number;
  scrollbackLength: number;
  truncated: boolean;
  matches: { line: number; column: number; text: string }[];
}

/**
 * Lines are numbered scrollback first (0 = oldest kept) then screen rows, so a hit on screen
 * row r is line `scrollbackLength + r`. A line matches once, at its first match; a regex match
 * that spans lines is reported at the line it starts on. Stops after `limit` matches
 * (`truncated` = true). Synchronous: for tests and callers without a budget (searchSteps says
 * what the steps are).
 */
export function searchLines(t: Terminal, screen: readonly string[], query: string | RegexMatcher, limit: number): SearchResult {
  return drain(searchSteps(t, screen, query, limit));
}

/**
 * searchLines as steps for RegexBudget.drive: one batch of BATCH lines a step. The search is of
 * the history as it was at the first step (`screen` is that step's screen): the session may write
 * between two steps, and later lines are read by a numbering that pruning does not shift
 * (`scrollbackEnd`); lines pruned (or reflowed) away meanwhile are not searched.
 */
export function searchSteps(t: Terminal, screen: readonly string[], query: string | RegexMatcher, limit: number): Generator<void, SearchResult> {
  // Read now, with `screen`: a generator's body would only run at its first step.
  return steps(historyAt(t, screen), screen, query, limit);
}

/**
 * A search of the session's history under the budget: at most TERMPOOL_REGEX_SEARCHES at once
 * (429 REGEX_BUSY beyond), one batch per step. `signal` (the client went away) ends it at its next
 * step, giving its place back.
 */
export async function searchWithin(
  budget: RegexBudget, t: Terminal, screen: readonly string[], query: string | RegexMatcher, limit: number, signal?: AbortSignal,
): Promise<SearchResult> {
  const release = budget.admitSearch();
  try {
    return await budget.drive(untilAborted(searchSteps(t, screen, query, limit), signal));
  } finally {
    release();
  }
}

/** `steps`, ended (with the signal's reason) at the first step after `signal` aborts. */
function* untilAborted<T>(steps: Generator<void, T>, signal: AbortSignal | undefined): Generator<void, T> {
  for (;;) {
    signal?.throwIfAborted();
    const r = steps.next();
    if (r.done) return r.value;
    yield;
  }
}

function* steps(at: History, screen: readonly string[], query: string | RegexMatcher, limit: number): Generator<void, SearchResult> {
  const sb = at.scrollbackLength;
  const end = sb + screen.length;
  const matches: SearchResult['matches'] = [];
  let truncated = false;
  const add = (line: number, column: number, text: string): boolean => {
    if (matches.length >= limit) { truncated = true; return false; }
    matches.push({ line, column, text });
    return true;
  };
  for (let from = 0; from < end && !truncated; from += BATCH) {
    if (from > 0) yield;
    const hi = Math.min(end, from + BATCH);
    if (typeof query === 'string') {
      // Only the lines that hold it come back as text (compressed pages are mostly not converted).
      for (const hit of at.find(from, hi, query)) if (!add(hit.line, hit.column, hit.text)) break;
      continue;
    }
    // A regex window reaches back WINDOW_OVERLAP lines for matches that span a batch edge;
    // lines already reported there are skipped.
    const lo = Math.max(0, from - WINDOW_OVERLAP);
    for (const seg of at.lines(lo, hi)) {
      if (truncated) break;
      const offsets: number[] = [];
      let o = 0;
      for (const l of seg.lines) { offsets.push(o); o += l.length + 1; }
      const last = matches.length > 0 ? matches[matches.length - 1]!.line : -1;
      const joined = seg.lines.join('\n');
      const starts = yield* retryStarved(() => query.lineStarts(joined, limit + 1 + (from - seg.first)));
      for (const pos of starts) {
        const r = upperBound(offsets, pos) - 1;
        if (seg.first + r <= last) continue;
        if (!add(seg.first + r, pos - offsets[r]!, seg.lines[r]!)) break;
      }
    }
  }
  return {
    ...(typeof query === 'string' ? { query, kind: 'text' as const } : { query: query.source, kind: 'regex' as const }),
    total: end, scrollbackLength: sb, truncated, matches,
  };
}

/** Contiguous lines of the one numbering: `first` is the number of `lines[0]`. */
interface Segment { first: number; lines: string[] }

/**
 * The history as it was when this was called: scrollback lines 0..scrollbackLength-1, then the
 * given screen lines. `lines(lo, hi)` reads [lo, hi) later on, as the segments still there: the
 * scrollback's lines are found again by `scrollbackEnd` (which pruning does not shift); those
 * pruned since, or moved by a reflow, are left out. Usually one segment; two when the scrollback
 * part is not whole, so that a pattern never spans a gap.
 */
interface History {
  scrollbackLength: number;
  lines(lo: number, hi: number): Segment[];
  /** The lines of [lo, hi) (as `lines` reads them) that contain `query`, in order, first match each. */
  find(lo: number, hi: number, query: string): { line: number; column: number; text: string }[];
}

export function historyAt(t: Terminal, screen: readonly string[]): History {
  const sb = t.scrollbackLength;
  const base = t.scrollbackEnd - sb;
  return {
    scrollbackLength: sb,
    lines(lo, hi) {
      const segs: Segment[] = [];
      if (lo < sb) {
        // Where line `base + i` of the first reading is now: pruning moves the base up, a reflow past everything.
        const nowBase = t.scrollbackEnd - t.scrollbackLength;
        const a = Math.max(base + lo, nowBase);
        const b = Math.min(base + Math.min(hi, sb), t.scrollbackEnd);
        if (a < b) segs.push({ first: a - base, lines: t.scrollbackLines(a - nowBase, b - a) });
      }
      if (hi > sb) {
        const rows = screen.slice(Math.max(0, lo - sb), hi - sb);
        const prev = segs[segs.length - 1];
        if (prev !== undefined && prev.first + prev.lines.length === sb) prev.lines.push(...rows);
        else segs.push({ first: Math.max(lo, sb), lines: rows });
      }
      return segs;
    },
    find(lo, hi, query) {
      const hits: { line: number; column: number; text: string }[] = [];
      if (lo < sb) {
        const nowBase = t.scrollbackEnd - t.scrollbackLength;
        const a = Math.max(base + lo, nowBase);
        const b = Math.min(base + Math.min(hi, sb), t.scrollbackEnd);
        if (a < b) for (const h of t.scrollbackFind(a - nowBase, b - a, query)) hits.push({ line: a - base + h.index, column: h.column, text: h.text });
      }
      for (let line = Math.max(lo, sb); line < hi; line++) {
        const text = screen[line - sb];
        if (text === undefined) continue;
        const column = text.indexOf(query);
        if (column >= 0) hits.push({ line, column, text });
      }
      return hits;
    },
  };
}

/** Index of the first element of sorted `a` greater than `x`. */
function upperBound(a: readonly number[], x: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid]! <= x) lo = mid + 1; else hi = mid;
  }
  return lo;
}

/** Lines shared by consecutive windows of findInHistory, so a multi-line regex across an edge is found. */
export const WINDOW_OVERLAP = 64;

/** A hit of a screen search: row within the lines searched, column, matched text. */
export type LineHit = { row: number; column: number; text: string };

/**
 * First hit of `find` in history lines from `start` on: scrollback lines (0 = oldest kept), then
 * the `screen` lines as lines `scrollbackLength + r`. Read in windows of BATCH lines, each taking
 * `overlap` lines of the one before (for patterns that span lines), so a long history never
 * becomes one string. Returns the hit's line in that numbering. Synchronous (see findInHistorySteps).
 */
export function findInHistory(
  t: Terminal, start: number, screen: readonly string[], overlap: number,
  find: (lines: string[]) => LineHit | null,
): { line: number; column: number; text: string } | null {
  return drain(findInHistorySteps(t, start, screen, overlap, function* (lines) { return find(lines); }));
}

/**
 * findInHistory as steps for RegexBudget.drive, one window a step, over the history as it was at
 * the first step (see historyAt); `find` may itself yield (retryStarved).
 */
export function findInHistorySteps(
  t: Terminal, start: number, screen: readonly string[], overlap: number,
  find: (lines: string[]) => Generator<void, LineHit | null>,
): Generator<void, { line: number; column: number; text: string } | null> {
  return findSteps(historyAt(t, screen), start, screen, overlap, find);
}

function* findSteps(
  at: History, start: number, screen: readonly string[], overlap: number,
  find: (lines: string[]) => Generator<void, LineHit | null>,
): Generator<void, { line: number; column: number; text: string } | null> {
  const end = at.scrollbackLength + screen.length;
  for (let from = Math.max(0, start); from < end; from += BATCH) {
    if (from > Math.max(0, start)) yield;
    for (const seg of at.lines(Math.max(0, from - overlap), Math.min(end, from + BATCH))) {
      const hit = yield* find(seg.lines);
      if (hit !== null) return { line: seg.first + hit.row, column: hit.column, text: hit.text };
    }
  }
  return null;
}
