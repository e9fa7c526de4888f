/**
 * The one way bytes reach a session's program: a bounded queue written to the pty master on the
 * main thread, through the fd only while the pty's own socket still owns it.
 *
 * Why not node-pty's `write`: its queue retries on the fd *number* (an `fs.write` on the thread
 * pool, again on every turn of the event loop while the kernel says EAGAIN) and is never dropped
 * when the pty closes. Once a session ended with unread input, the retries went on, and as soon
 * as the number was reused — another session's pty, another client's socket — the bytes were
 * written there: another shell ran them, another HTTP response began with them. It also spun a
 * core for as long as the program did not read, and queued without bound.
 *
 * Here:
 *  - every write is a non-blocking `writeSync` on the main thread, after checking that the
 *    socket which owns the fd is not destroyed. node-pty closes the fd only by destroying that
 *    socket, also on the main thread, so no write can run after the close or race with it;
 *  - `close()` (exit, delete) drops the queue;
 *  - the queue holds at most `maxPending` bytes: `write` refuses more (the route answers 429
 *    INPUT_BACKLOG) instead of buffering whatever a client sends;
 *  - while the kernel's buffer is full, retries back off from 1 ms to RETRY_MAX_MS, so waiting
 *    for a program that does not read costs a few wakeups a second, not a core.
 */
import { writeSync } from 'node:fs';
import type { PtyInternals } from './pty-drain.js';

/** Longest wait between two tries while the program does not read. */
export const RETRY_MAX_MS = 50;

/** What an input path needs from the pty: its master fd and whether that fd is still its own. */
export interface PtyFd {
  fd: number;
  /** False once the pty's socket is destroyed: the fd is closed and its number may be reused. */
  owned(): boolean;
}

export class PtyInput {
  /** Bytes accepted and not yet written to the pty. */
  private pendingBytes = 0;
  private readonly queue: Buffer[] = [];
  /** Offset into queue[0] already written. */
  private offset = 0;
  private retry: NodeJS.Timeout | null = null;
  private retryMs = 0;
  private closed = false;
  /** `write(2)` calls made (figures for tests and metrics: a spinning retry shows here). */
  writeAttempts = 0;

  constructor(private readonly pty: PtyFd, readonly maxPending: number) {}

  get pending(): number { return this.pendingBytes; }
  get isClosed(): boolean { return this.closed; }

  /**
   * Queues `data` and writes what the pty takes now. Returns false, accepting nothing, when it
   * would take the queue past `maxPending` (unless `force`: the terminal's own replies, which
   * are small and must not be lost to a client's backlog; they still stop at twice the cap).
   * Writes after `close()` are dropped (the program is gone).
   */
  write(data: Buffer, force = false): boolean {
    if (this.closed) return true;
    if (data.length === 0) return true;
    const limit = force ? this.maxPending * 2 : this.maxPending;
    // A write that fits entirely in an empty queue is always taken: the pty may accept it now.
    if (this.pendingBytes > 0 && this.pendingBytes + data.length > limit) return false;
    if (this.pendingBytes === 0 && data.length > limit) return false;
    this.queue.push(data);
    this.pendingBytes += data.length;
    if (this.retry === null) this.flush();
    return true;
  }

  /** Drops the queue and stops retrying; nothing is written after this. Idempotent. */
  close(): void {
    this.closed = true;
    this.queue.length = 0;
    this.pendingBytes = 0;
    this.offset = 0;
    if (this.retry !== null) { clearTimeout(this.retry); this.retry = null; }
  }

  private flush(): void {
    this.retry = null;
    while (this.queue.length > 0) {
      if (this.closed || !this.pty.owned()) { this.close(); return; }
      const head = this.queue[0]!;
      let n: number;
      this.writeAttempts++;
      try {
        n = writeSync(this.pty.fd, head, this.offset, head.length - this.offset);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'EAGAIN') { this.backOff(); return; }
        // EIO: the program's side is closed; anything else: this fd cannot take input.
        this.close();
        return;
      }
      this.retryMs = 0;
      this.offset += n;
      this.pendingBytes -= n;
      if (this.offset >= head.length) { this.queue.shift(); this.offset = 0; }
    }
  }

  private backOff(): void {
    this.retryMs = Math.min(RETRY_MAX_MS, this.retryMs === 0 ? 1 : this.retryMs * 2);
    this.retry = setTimeout(() => this.flush(), this.retryMs);
    // A stuck program must not keep the server alive on shutdown.
    this.retry.unref();
  }
}

/**
 * The master fd of a node-pty instance and the ownership check, from node-pty's internals
 * (`_fd`, `_socket`; the version is pinned in package-lock); null when they are not there.
 */
export function ptyFd(p: object): PtyFd | null {
  const internals = p as PtyInternals;
  const socket = internals._socket;
  const fd = internals._fd;
  if (socket === undefined || typeof fd !== 'number') return null;
  return { fd, owned: () => socket.destroyed !== true };
}
