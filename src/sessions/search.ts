/**
 * Scrollback search over scrollback then screen, in bounded batches: a plain substring per
 * line, or a client regex (flag m) over each batch's lines joined by \n.
 */
import type { Terminal } from '../engine/index.js';
import type { RegexMatcher } from './regex.js';

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
 * (`truncated` = true).
 */
export function searchLines(t: Terminal, screen: readonly string[], query: string | RegexMatcher, limit: number): SearchResult {
  const sb = t.scrollbackLength;
  const end = sb + screen.length;
  const matches: SearchResult['matches'] = [];
  let truncated = false;
  const add = (line: number, column: number, text: string): boolean => {
    if (matches.length >= limit) { truncated = true; return false; }
    matches.push({ line, column, text });
    return true;
  };
  for (let from = 0; from < end && !truncated; from += BATCH) {
    const hi = Math.min(end, from + BATCH);
    if (typeof query === 'string') {
      const lines = historyLines(t, screen, from, hi);
      for (let i = 0; i < lines.length; i++) {
        const column = lines[i]!.indexOf(query);
        if (column >= 0 && !add(from + i, column, lines[i]!)) break;
      }
      continue;
    }
    // A regex window reaches back WINDOW_OVERLAP lines for matches that span a batch edge;
    // lines already reported there are skipped.
    const lo = Math.max(0, from - WINDOW_OVERLAP);
    const lines = historyLines(t, screen, lo, hi);
    const offsets: number[] = [];
    let o = 0;
    for (const l of lines) { offsets.push(o); o += l.length + 1; }
    const last = matches.length > 0 ? matches[matches.length - 1]!.line : -1;
    for (const at of query.lineStarts(lines.join('\n'), limit + 1 + (from - lo))) {
      const r = upperBound(offsets, at) - 1;
      if (lo + r <= last) continue;
      if (!add(lo + r, at - offsets[r]!, lines[r]!)) break;
    }
  }
  return {
    ...(typeof query === 'string' ? { query, kind: 'text' as const } : { query: query.source, kind: 'regex' as const }),
    total: end, scrollbackLength: sb, truncated, matches,
  };
}

/** Lines [lo, hi) of the one numbering: scrollback lines, then the screen's from `scrollbackLength` on. */
function historyLines(t: Terminal, screen: readonly string[], lo: number, hi: number): string[] {
  const sb = t.scrollbackLength;
  const lines = lo < sb ? t.scrollbackLines(lo, Math.min(hi, sb) - lo) : [];
  if (hi > sb) lines.push(...screen.slice(Math.max(0, lo - sb), hi - sb));
  return lines;
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
 * becomes one string. Returns the hit's line in that numbering.
 */
export function findInHistory(
  t: Terminal, start: number, screen: readonly string[], overlap: number,
  find: (lines: string[]) => LineHit | null,
): { line: number; column: number; text: string } | null {
  const sb = t.scrollbackLength;
  const end = sb + screen.length;
  for (let from = Math.max(0, start); from < end; from += BATCH) {
    const lo = Math.max(0, from - overlap);
    const hi = Math.min(end, from + BATCH);
    const hit = find(historyLines(t, screen, lo, hi));
    if (hit !== null) return { line: lo + hit.row, column: hit.column, text: hit.text };
  }
  return null;
}
