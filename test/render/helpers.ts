/**
 * Render-test helpers: snapshots from the real engine, and a cell-by-cell comparison that
 * looks at style values (not indices, which depend on discovery order).
 */
import { Terminal, type ScreenSnapshot } from '../../src/engine/index.js';

export function snap(cols: number, rows: number, bytes: string, scrollback = 0): ScreenSnapshot {
  const t = new Terminal({ cols, rows });
  t.write(bytes);
  return t.snapshot(scrollback);
}

/** Lines as comparable plain data: text, wrapped, and each cell with its style spelled out. */
export function cellsOf(s: ScreenSnapshot): unknown[] {
  return s.lines.map((l) => ({
    text: l.text,
    wrapped: l.wrapped,
    cells: l.cells.map((c) => ({ text: c.text, width: c.width, style: s.styles[c.style], link: c.link === undefined ? undefined : s.links[c.link] })),
  }));
}
