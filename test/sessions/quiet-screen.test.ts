/**
 * A quiet session through a real pty (issue 27, service memory): once its program stops
 * printing, the quiet sweep puts its screen on one small page and compresses everything above
 * it, so what stays hot is 32 KiB, not the 128 KiB standard page the screen was in; the screen
 * and the history read the same before and after.
 */
import { describe, expect, it } from 'vitest';
import { QUIET_SWEEP_MS, Session } from '../../src/sessions/session.js';
import { PagePool } from '../../src/engine/index.js';
import { SMALL_PAGE_BYTES } from '../../src/engine/page/capacity.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('a quiet session', () => {
  it('keeps one small page hot, its history compressed, and reads as before', async () => {
    const pool = new PagePool();
    const session = new Session({
      id: 'quiet-screen', command: '/bin/bash', args: ['-c', 'seq -f "%g GET /api/items 200 OK" 1 2000; printf "\\033[1;32mdone\\033[0m "; exec cat'],
      cwd: process.cwd(), env: {}, cols: 80, rows: 24, scrollback: 5000, idleTimeoutMs: 0, pool,
    });
    try {
      const deadline = Date.now() + 30_000;
      while (!session.screenLines().some((l) => l.startsWith('done')) && Date.now() < deadline) await sleep(50);
      const screen = session.screenLines();
      expect(screen.at(-1)).toBe('done');
      // The sweep runs QUIET_SWEEP_MS after the last output; wait for it.
      while (pool.stats().lentSmallPages === 0 && Date.now() < deadline) await sleep(QUIET_SWEEP_MS / 4);
      const st = pool.stats();
      expect(st.lentSmallPages).toBe(1);
      expect(st.lentStandardPages).toBe(0);
      expect(st.bytesLent).toBe(SMALL_PAGE_BYTES);
      expect(st.compressedPages).toBeGreaterThanOrEqual(5);
      expect(session.screenLines()).toEqual(screen);
      const history = session.terminal.scrollbackLines(0, session.terminal.scrollbackLength);
      expect(history[0]).toBe('1 GET /api/items 200 OK');
      expect(history.at(-1)).toBe('1977 GET /api/items 200 OK');
    } finally {
      await session.dispose();
    }
    expect(pool.stats().bytesLent).toBe(0);
  }, 60_000);
});
