/**
 * The pictures left beside a golden file when a screen does not match it: `<name>.expected.png`
 * (the golden drawn: its text, and its styles and cursor when it records them) and
 * `<name>.actual.png` (the screen as it was, every colour included, when the screen came as a
 * snapshot; else its golden drawn). Removed again when the screen matches or the golden is
 * rewritten, so a directory holding them is a directory with a failing screen.
 */
import { rmSync } from 'node:fs';
import { writeErrorText, writeFileAtomic } from './atomic-write.js';
import path from 'node:path';
import { MAX_COLS, MAX_ROWS, Terminal, type ScreenSnapshot } from '../engine/index.js';
import { sgrFor } from '../render/ansi.js';
import { renderPng } from '../render/index.js';
import type { GoldenScreen } from './golden-format.js';

/** The two picture paths for a golden file: `menu.txt` → `menu.expected.png`, `menu.actual.png`. */
export function artefactPaths(goldenFile: string): { expected: string; actual: string } {
  const dir = path.dirname(goldenFile);
  const base = path.basename(goldenFile).replace(/\.[^.]*$/, '') || path.basename(goldenFile);
  return { expected: path.join(dir, `${base}.expected.png`), actual: path.join(dir, `${base}.actual.png`) };
}

export function removeArtefacts(goldenFile: string): void {
  const p = artefactPaths(goldenFile);
  rmSync(p.expected, { force: true });
  rmSync(p.actual, { force: true });
}

/** A golden file's text with C0/C1 controls dropped: it is drawn, never interpreted. */
function printable(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\x00-\x1f\x7f-\x9f]/g, '');
}

/**
 * A golden screen as a snapshot of a terminal `size` big (grown to fit the golden): its rows
 * written, then its styled runs written again in their style, the cursor placed. Autowrap is
 * off so a row wider than the terminal is cut rather than pushed onto the next one.
 */
export function drawGolden(g: GoldenScreen, size?: { cols: number; rows: number }): ScreenSnapshot {
  const widest = Math.max(0, ...g.lines.map((l) => [...l].length), ...(g.runs ?? []).map((r) => r.col + r.width));
  const lastRow = Math.max(g.lines.length, ...(g.runs ?? []).map((r) => r.row + 1), (g.cursor?.row ?? 0) + 1);
  const cols = Math.min(MAX_COLS, Math.max(size?.cols ?? 1, widest, 1));
  const rows = Math.min(MAX_ROWS, Math.max(size?.rows ?? 1, lastRow));
  const term = new Terminal({ cols, rows, scrollback: 0 });
  try {
    let bytes = '\x1b[?7l';
    g.lines.forEach((l, r) => { if (r < rows) bytes += `\x1b[${r + 1};1H${printable(l)}`; });
    for (const run of g.runs ?? []) {
      if (run.row < rows) bytes += `\x1b[${run.row + 1};${run.col + 1}H${sgrFor(run.style)}${printable(run.text)}\x1b[0m`;
    }
    if (g.cursor) bytes += `\x1b[${g.cursor.row + 1};${g.cursor.col + 1}H\x1b[?25${g.cursor.visible ? 'h' : 'l'}`;
    else bytes += '\x1b[?25l';
    term.write(bytes);
    return term.snapshot();
  } finally {
    term.dispose();
  }
}

/**
 * Writes both pictures; returns their paths, or the reason none could be drawn (fonts missing,
 * an unwritable directory): the diff still tells what differs, so this never throws.
 */
export function writeArtefacts(goldenFile: string, expected: ScreenSnapshot, actual: ScreenSnapshot): { expected: string; actual: string } | { error: string } {
  const p = artefactPaths(goldenFile);
  try {
    writeFileAtomic(p.expected, renderPng(expected));
    writeFileAtomic(p.actual, renderPng(actual));
    return p;
  } catch (err) {
    // Neither picture, rather than one of a pair, or one cut short by a full disk.
    rmSync(p.expected, { force: true });
    rmSync(p.actual, { force: true });
    const code = (err as NodeJS.ErrnoException).code;
    return { error: code !== undefined ? `cannot write the pictures: ${writeErrorText(err)}` : err instanceof Error ? err.message : String(err) };
  }
}
