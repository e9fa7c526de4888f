/**
 * A program that never pauses still gets its cold scrollback compressed: the quiet sweep is
 * postponed while output flows, but not beyond BUSY_SWEEP_MS. Without that bound a log tail or
 * a long build keeps every page hot (~6.7 B a cell) for as long as it prints.
 */
import { describe, expect, it } from 'vitest';
import { BUSY_SWEEP_MS, Session } from '../../src/sessions/session.js';
import { PagePool } from '../../src/engine/index.js';

describe('a session whose program prints without a pause', () => {
  it('has its cold pages compressed while the output goes on', async () => {
    const pool = new PagePool();
    // ~80 lines every 20 ms: output arrives far more often than the quiet time, forever.
    const session = new Session({
      id: 'busy-sweep', command: '/bin/bash', args: ['-c', 'while :; do seq -f "%g GET /api/items 200 OK" 1 80; sleep 0.02; done'],
      cwd: process.cwd(), env: {}, cols: 80, rows: 24, scrollback: 20_000, idleTimeoutMs: 0, pool,
    });
    try {
      // Poll well past BUSY_SWEEP_MS; the program is still printing when pages get compressed.
      const deadline = Date.now() + BUSY_SWEEP_MS * 6;
      while (pool.stats().compressedPages === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      expect(session.exitCode).toBe(null);
      expect(pool.stats().compressedPages).toBeGreaterThan(0);
      expect(session.terminal.scrollbackLength).toBeGreaterThan(500);
    } finally {
      await session.dispose();
    }
  }, 60_000);
});
