/**
 * Clears do not release styles: counts stay high until a full table (or a new page's sizing)
 * recounts them from the cells (Page.recountStyles). What that must and must not do.
 */
import { describe, expect, it } from 'vitest';
import { Terminal } from '../../../src/engine/index.js';
import { PagePool } from '../../../src/engine/pool/page-pool.js';
import { STANDARD_STYLES } from '../../../src/engine/page/capacity.js';

const CSI = '\x1b[';

function terminal(): { t: Terminal; pool: PagePool } {
  const pool = new PagePool();
  return { t: new Terminal({ cols: 80, rows: 24, scrollback: 1000, pool }), pool };
}

describe('style counts after clears', () => {
  it('stay high after EL until a recount, which makes them exact and frees the unused', () => {
    const { t } = terminal();
    for (let k = 0; k < 40; k++) t.write(`${CSI}5;1H${CSI}38;5;${k}mcolour ${k}${CSI}0m${CSI}2K`);
    const p = t.active.list.pinActive(4);
    expect(p.styles.count).toBe(40); // cleared, still counted
    expect(p.recountStyles()).toBe(40);
    expect(p.styles.count).toBe(0);
    t.assertIntegrity();
    t.dispose();
  });

  it('a redraw cycling through 256 colours on the alternate screen never grows its page', () => {
    const { t, pool } = terminal();
    t.write(`${CSI}?1049h`);
    for (let frame = 0; frame < 600; frame++) {
      const row = 1 + (frame % 20);
      t.write(`${CSI}${row};1H${CSI}2K${CSI}38;5;${(frame * 7) % 256}m${'x'.repeat(70)}${CSI}0m`);
    }
    // At most 20 colours are on screen at once: recounts free the rest, no oversized page.
    expect(pool.stats().oversizedCreated).toBe(0);
    expect(t.active.list.pages[0]!.kind).toBe('standard');
    const p = t.active.list.pinActive(0);
    expect(p.styles.count).toBeLessThanOrEqual(STANDARD_STYLES);
    p.recountStyles();
    expect(p.styles.count).toBe(20);
    t.assertIntegrity();
    t.dispose();
  });

  it('a table full of styles still on screen grows the page as before', () => {
    const { t, pool } = terminal();
    let s = '';
    for (let k = 0; k < 200; k++) s += `${CSI}38;5;${k % 256};48;5;${(k * 3) % 256}m${k % 10}`;
    t.write(`${s}${CSI}0m`);
    expect(pool.stats().largeCreated).toBe(1);
    expect(pool.stats().oversizedCreated).toBe(0);
    expect(t.active.list.pinActive(0).styles.count).toBe(200);
    t.assertIntegrity();
    t.dispose();
  });

  it('a new page is sized by the styles in use, not by cleared ones', () => {
    const { t } = terminal();
    // 200 colours on one row grow the first page; ED 2 clears them (still counted).
    let s = '';
    for (let k = 0; k < 200; k++) s += `${CSI}38;2;${k};1;2mx`;
    t.write(`${s}${CSI}0m${CSI}2J${CSI}H`);
    const list = t.primary.list;
    expect(list.pages[0]!.kind).toBe('large');
    // Plain lines until a second page starts: it must be a standard one.
    for (let n = 0; list.pages.length < 2; n++) t.write(`line ${n}\r\n`);
    expect(list.pages[1]!.kind).toBe('standard');
    t.assertIntegrity();
    t.dispose();
  });
});
