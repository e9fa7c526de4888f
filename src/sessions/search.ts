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
