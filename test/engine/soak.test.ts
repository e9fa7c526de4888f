/**
 * A short leak soak (bench/soak.ts) as a correctness check: figures, never times. The full
 * 10,000-lifecycle run is `npm run bench -- soak`; this one runs 100 lifecycles with the same
 * mix (very wide terminals, distinct RGB styles, graphemes, OSC 8 links, resizes, alternate
 * screen) and an integrity check on every 10th terminal. No RSS assertion: it is a
 * process-wide figure that other test files in the same worker would move.
 */
import { describe, expect, it } from 'vitest';
import { runSoak, VERY_WIDE_COLS } from '../../bench/soak.js';

describe('PagePool: leak soak', () => {
  it('100 lifecycles leave the pool at its baseline with a clean audit and every oversized page freed', async () => {
    const s = await runSoak({ lifecycles: 100, seed: 7, checkEvery: 10 });
    expect(s.lifecycles).toBe(100);
    // The mix did what it is for: very wide terminals and oversized pages, resizes, alt screen.
    expect(s.veryWideTerminals).toBeGreaterThan(0);
    expect(s.maxCols).toBeGreaterThan(VERY_WIDE_COLS);
    expect(s.resizes).toBeGreaterThan(100);
    expect(s.altScreenBursts).toBeGreaterThan(0);
    expect(s.oversizedCreated).toBeGreaterThan(0);
    expect(s.oversizedFreed).toBe(s.oversizedCreated);
    // Back to baseline: nothing lent, free, oversized or compressed; no owner registered.
    expect(s.baselineDiff).toEqual([]);
    expect(s.atBaseline).toBe(true);
    expect(s.final.bytesAllocated).toBe(0);
    expect(s.final.owners).toBe(0);
    expect({
      leaked: s.audit.leakedBytes, stranded: s.audit.strandedBytes, dangling: s.audit.danglingBytes,
      drift: s.audit.ledgerDriftBytes, owners: s.audit.owners,
    }).toEqual({ leaked: 0, stranded: 0, dangling: 0, drift: 0, owners: 0 });
  }, 60_000); // ~3 s of CPU; the margin is for a machine shared with other test files
});
