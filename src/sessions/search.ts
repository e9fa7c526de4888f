/** Scrollback search: plain substring over scrollback then screen, in bounded batches. */
import type { Terminal } from '../engine/index.js';

const BATCH = 1024;

export interface SearchResult {
  query: string;
  total: number;
  scrollbackLength: number;
  truncated: boolean;
  matches: { line: number; column: number; text: string }[];
}

/**
 * Lines are numbered scrollback first (0 = oldest kept) then screen rows, so a hit on screen
 * row r is line `scrollbackLength + r`. Stops after `limit` matches (`truncated` = true).
 */
export function searchLines(t: Terminal, screen: string[], query: string, limit: number): SearchResult {
  const sb = t.scrollbackLength;
  const matches: SearchResult['matches'] = [];
  const scan = (lines: string[], base: number): boolean => {
    for (let i = 0; i < lines.length; i++) {
      const text = lines[i]!;
      const column = text.indexOf(query);
      if (column < 0) continue;
      if (matches.length >= limit) return false;
      matches.push({ line: base + i, column, text });
    }
    return true;
  };
  let complete = true;
  for (let start = 0; start < sb && complete; start += BATCH) {
    complete = scan(t.scrollbackLines(start, Math.min(BATCH, sb - start)), start);
  }
  if (complete) complete = scan(screen, sb);
  return { query, total: sb + screen.length, scrollbackLength: sb, truncated: !complete, matches };
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
    const lines = lo < sb ? t.scrollbackLines(lo, Math.min(hi, sb) - lo) : [];
    if (hi > sb) lines.push(...screen.slice(Math.max(0, lo - sb), hi - sb));
    const hit = find(lines);
    if (hit !== null) return { line: lo + hit.row, column: hit.column, text: hit.text };
  }
  return null;
}
