/**
 * Output left in the pty when the program exits is not lost when the event loop is busy: node-pty
 * destroys the socket 200 ms after the exit, ahead of pending reads, unless the session drains
 * it first (src/sessions/pty-drain.ts). Without the drain about half of these runs lose lines.
 */
import { describe, expect, it } from 'vitest';
import { Session } from '../../src/sessions/session.js';
import { PagePool } from '../../src/engine/index.js';
import { drainBeforeDestroy, drainFd, MAX_DRAIN_BYTES } from '../../src/sessions/pty-drain.js';
import type { IPty } from 'node-pty';
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const LINES = 3000;
// `seq 1 3000` through a pty: digits plus CR LF per line.
const EXPECTED_BYTES = Array.from({ length: LINES }, (_, i) => String(i + 1).length + 2).reduce((a, b) => a + b, 0);

function busyWait(ms: number): void {
  const until = Date.now() + ms;
  while (Date.now() < until) { /* the loop is blocked, as by another session's flood */ }
}

/** Resolves once the child is reaped (node-pty's exit thread has seen it). */
async function reaped(pid: number): Promise<void> {
  for (;;) {
    try { process.kill(pid, 0); } catch { return; }
    await new Promise((r) => setTimeout(r, 1));
  }
}

describe('a program that exits while the event loop is blocked', () => {
  it('keeps every byte it wrote, in order, on the final screen', async () => {
    const pool = new PagePool();
    for (let run = 0; run < 6; run++) {
      const session = new Session({
        id: `drain-${run}`, command: '/bin/sh', args: ['-c', `seq 1 ${LINES}`], cwd: process.cwd(), env: {},
        cols: 80, rows: 24, scrollback: LINES, idleTimeoutMs: 0, pool,
      });
      let bytes = 0;
      session.on('output', (chunk) => { bytes += chunk.length; });
      await reaped(session.pid);
      busyWait(400);
      await session.whenExited();
      expect(bytes, `run ${run}`).toBe(EXPECTED_BYTES);
      const lines = session.screenLines().filter((l) => l !== '');
      expect(lines.at(-1), `run ${run}`).toBe(String(LINES));
      expect(session.terminal.scrollbackLength + lines.length, `run ${run}`).toBe(LINES);
      await session.dispose();
    }
    expect(pool.stats().bytesLent).toBe(0);
    expect(pool.stats().oversizedBytes).toBe(0);
  }, 30_000);
});

describe('drainBeforeDestroy', () => {
  function fakePty(fd: number) {
    const socket = { destroyed: false, destroys: 0, destroy(this: { destroyed: boolean; destroys: number }) { this.destroys++; this.destroyed = true; } };
    return { socket, pty: { _socket: socket, _fd: fd } as unknown as IPty };
  }

  /** Runs `body` with a read fd on a temporary file holding `content`. */
  function withFileFd(content: string, body: (fd: number) => void): void {
    const dir = mkdtempSync(join(tmpdir(), 'drain-'));
    writeFileSync(join(dir, 'out'), content);
    const fd = openSync(join(dir, 'out'), 'r');
    try { body(fd); } finally { closeSync(fd); rmSync(dir, { recursive: true }); }
  }

  it('reads the fd dry once, before the original destroy runs', () => {
    withFileFd('left in the pty', (fd) => {
      const { socket, pty } = fakePty(fd);
      const got: string[] = [];
      expect(drainBeforeDestroy(pty, (c) => { expect(socket.destroys).toBe(0); got.push(c.toString()); })).toBe(true);
      socket.destroy();
      socket.destroy();
      expect(got).toEqual(['left in the pty']);
      expect(socket.destroys).toBe(2);
    });
  });

  it('never reads once the socket is destroyed: the fd number may belong to someone else by then', () => {
    withFileFd('another session\'s bytes', (fd) => {
      const { socket, pty } = fakePty(fd);
      let fed = 0;
      drainBeforeDestroy(pty, () => { fed++; });
      socket.destroyed = true;
      socket.destroy();
      expect(fed).toBe(0);
    });
  });

  it('stops at MAX_DRAIN_BYTES when something keeps writing', () => {
    const fd = openSync('/dev/zero', 'r');
    try {
      let bytes = 0;
      expect(drainFd(fd, (c) => { bytes += c.length; })).toBe(MAX_DRAIN_BYTES);
      expect(bytes).toBe(MAX_DRAIN_BYTES);
    } finally { closeSync(fd); }
  });

  it('does nothing on a pty without the internals it needs', () => {
    expect(drainBeforeDestroy({} as IPty, () => {})).toBe(false);
  });
});
