/**
 * Identity of what a screen looks like, line by line: two snapshots whose keys are equal draw the
 * same pixels (the cells' graphemes, widths, styles as written, links, the line size, and the
 * cursor where it is drawn). Style and link indices differ between snapshots of one terminal,
 * so keys carry the style itself (interned), not its index. Each distinct line gets a small
 * number (KeyTable), so comparing and caching rows (raster.ts) hashes numbers, not 80 cells.
 * Used to drop frames that changed nothing and to reuse a rasterised row.
 */
import type { ScreenSnapshot } from '../../engine/index.js';

/** Interns styles and lines of one animation's snapshots. */
export class KeyTable {
  private readonly styles = new Map<string, number>();
  private readonly lines = new Map<string, number>();

  style(json: string): number {
    let id = this.styles.get(json);
    if (id === undefined) { id = this.styles.size; this.styles.set(json, id); }
    return id;
  }

  line(key: string): number {
    let id = this.lines.get(key);
    if (id === undefined) { id = this.lines.size; this.lines.set(key, id); }
    return id;
  }
}

/** One number per line of `snap` (the screen: snapshot(0)), the cursor folded into its line. */
export function lineKeys(snap: ScreenSnapshot, cursor: boolean, table: KeyTable): number[] {
  const styles = snap.styles.map((s) => table.style(JSON.stringify(s)));
  const c = snap.cursor;
  const cursorRow = cursor && c.visible ? c.row : -1;
  return snap.lines.map((l, y) => {
    let k = `${l.size ?? ''}|${y === cursorRow ? `${c.col},${c.shape}` : ''}|`;
    for (const cell of l.cells) {
      k += `${cell.text}\u0001${cell.width},${styles[cell.style] ?? ''}`;
      if (cell.link !== undefined) k += `\u0002${snap.links[cell.link] ?? ''}`;
      k += '\u0003';
    }
    return table.line(k);
  });
}

/** The whole screen's key: its lines, its size and reverse video (DECSCNM swaps every default colour). */
export function screenKey(snap: ScreenSnapshot, lines: readonly number[]): string {
  return `${snap.cols}x${snap.rows}|${snap.modes.reverseVideo ? 'rv' : ''}|${lines.join(',')}`;
}
