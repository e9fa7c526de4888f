/**
 * A synchronized update's start frame (DEC mode 2026, see src/sessions/session.ts): the screen
 * when the program began the update, served to readers until it ends, and the snapshot such a
 * reader gets when it also asks for scrollback.
 */
import type { ScreenSnapshot, Terminal } from '../engine/index.js';

export interface Frame {
  snap: ScreenSnapshot;
  /** Primary scrollback length when the frame started. */
  scrollbackLength: number;
  at: number;
}

/** The frame's snapshot with `scrollback` lines above it, taken from the live terminal `t`. */
export function frameSnapshot(f: Frame, t: Terminal, scrollback: number): ScreenSnapshot {
  if (scrollback <= 0 || t.altActive) return f.snap;
  // Lines above the frame = those that were scrollback when it started; lines scrolled off
  // during the frame belong to the update and are left out.
  const grown = Math.max(0, t.scrollbackLength - f.scrollbackLength);
  const cur = t.snapshot(scrollback + grown);
  const aboveEnd = Math.max(0, cur.lines.length - cur.rows - grown);
  const above = cur.lines.slice(Math.max(0, aboveEnd - scrollback), aboveEnd);
  const styles = f.snap.styles.slice();
  const remap = new Map<number, number>();
  const lines = above.map((l) => ({
    ...l,
    cells: l.cells.map((c) => {
      let s = remap.get(c.style);
      if (s === undefined) {
        s = styles.length;
        styles.push(cur.styles[c.style]!);
        remap.set(c.style, s);
      }
      return { ...c, style: s };
    }),
  }));
  return { ...f.snap, styles, lines: [...lines, ...f.snap.lines] };
}
