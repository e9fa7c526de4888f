/**
 * A recycled standard page must come back byte for byte as a new one (all zero but the row
 * slot table, which starts as the identity), whatever was written into it: styles, wide
 * characters, graphemes, links, coloured clears, region scrolls, a resize. Terminals are
 * disposed and every page the pool hands out again is checked byte by byte. (Guards any
 * cheaper reinit: one that clears only rows up to their extents measured no faster.)
 */
import { describe, expect, it } from 'vitest';
import { Terminal } from '../../../src/engine/index.js';
import { PagePool, type PageOwner } from '../../../src/engine/pool/page-pool.js';
import { StandardPage } from '../../../src/engine/page/page.js';
import { STANDARD_PAGE_BYTES } from '../../../src/engine/page/capacity.js';

const owner: PageOwner = { label: 'test', forEachPage() {}, forEachCompressed() {} };

function busy(t: Terminal, seed: number): void {
  for (let k = 0; k < 2000; k++) {
    const n = (k * 7 + seed) % 97;
    t.write(`\x1b[38;5;${n % 16}m${'word'.repeat(n % 5)} 漢字🙂 e\u0301 `);
    if (k % 9 === 0) t.write(`\x1b]8;;https://example.test/${n % 8}\x07link\x1b]8;;\x07`);
    if (k % 13 === 0) t.write(`\x1b[4${n % 8}m\x1b[K\x1b[0m`);
    if (k % 17 === 0) t.write('\x1b[3;10r\x1b[10;1H\n\n\x1b[r\x1b[24;1H');
    if (k % 29 === 0) t.write('\x1b[2;5H\x1b[3@\x1b[2P\x1b[5X\x1b[24;1H');
    t.write('\r\n');
  }
}

describe('page recycling', () => {
  it('hands out pages identical to new ones', () => {
    const pool = new PagePool({ compressIdlePages: 0 });
    const terms: Terminal[] = [];
    for (let seed = 0; seed < 3; seed++) {
      const t = new Terminal({ cols: 80, rows: 24, scrollback: 300, pool });
      busy(t, seed);
      if (seed === 1) { t.resize(60, 20); busy(t, seed + 10); t.resize(80, 24); }
      t.write('\x1b[?1049h');
      busy(t, seed + 20);
      terms.push(t);
    }
    // Pages were recycled while writing (scrollback pruning), not only handed out fresh.
    expect(pool.stats().standardRecycled).toBeGreaterThan(5);
    for (const t of terms) t.dispose();
    const free = pool.stats().freeStandardPages;
    expect(free).toBeGreaterThan(5);
    const fresh = new Uint8Array(new StandardPage(new ArrayBuffer(STANDARD_PAGE_BYTES), 80).buffer);
    let checked = 0;
    for (let k = 0; k < free; k++) {
      const bytes = new Uint8Array(pool.acquireStandard(80, owner).buffer);
      const differs = bytes.findIndex((b, i) => b !== fresh[i]);
      expect(differs, `page ${k}: byte ${differs} differs from a new page`).toBe(-1);
      checked++;
    }
    expect(checked).toBe(free);
  });
});
