/**
 * What the renderers read a snapshot through: its head, its style and link tables, and its lines
 * by range. A built ScreenSnapshot is one source (`sourceOf`); the engine's SnapshotReader over a
 * frozen copy of a terminal is another, which hands out a few hundred lines at a time, so a
 * renderer that asks for lines window by window (the `*Parts` generators) never has the whole
 * snapshot's cells alive at once (src/render/stream.ts).
 */
import type { LineJson, ScreenSnapshot, StyleJson } from '../engine/index.js';

export interface SnapshotSource {
  readonly head: Pick<ScreenSnapshot, 'cols' | 'rows' | 'title' | 'cursor' | 'modes'>;
  /** Complete tables (a JSON snapshot writes them before its lines). */
  readonly styles: StyleJson[];
  readonly links: string[];
  readonly lineCount: number;
  /** Lines [a, b) (0 = the first line, scrollback first, the screen last). */
  lines(a: number, b: number): LineJson[];
  /** Their text only (right-trimmed), without building cells. */
  texts(a: number, b: number): string[];
}

/** A built snapshot as a source. */
export function sourceOf(snap: ScreenSnapshot): SnapshotSource {
  return {
    head: snap,
    styles: snap.styles,
    links: snap.links,
    lineCount: snap.lines.length,
    lines: (a, b) => snap.lines.slice(a, b),
    texts: (a, b) => snap.lines.slice(a, b).map((l) => l.text),
  };
}

/**
 * Lines a generator handles between two yields, for `cols`-wide lines: about `cells` cells, so one
 * piece of a streamed answer is a few milliseconds of work and tens of KB, whatever the width.
 */
export function linesPerPart(cols: number, cells: number): number {
  return Math.max(1, Math.floor(cells / Math.max(1, cols)));
}

/** [a, b) windows of `perPart` lines over `n` lines. */
export function* windows(n: number, perPart: number): Generator<[number, number]> {
  for (let a = 0; a < n; a += perPart) yield [a, Math.min(n, a + perPart)];
}
