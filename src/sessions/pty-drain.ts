/**
 * Reads what is left in a pty before node-pty throws it away.
 *
 * When the child exits, node-pty (unixTerminal.js) waits for its read socket to close, but only
 * DESTROY_SOCKET_TIMEOUT_MS (200 ms); then it destroys the socket, and bytes still in the
 * kernel's pty buffer are gone (node-pty issue #72, open since 2017). The timer runs before
 * pending reads whenever the event loop was busy for longer than that (parsing another
 * session's flood, a big snapshot), so under load a finished program's last screen could be
 * missing lines. Here the instance's socket `destroy` first reads the master fd dry, on the
 * same thread, handing the bytes to `feed` in order, before the socket (and fd) go away.
 *
 * This touches node-pty internals (`_socket`, `_fd`, the version pinned in package-lock): when
 * they are not there it does nothing, which is node-pty's own behaviour.
 */
import { readSync } from 'node:fs';
import type { IPty } from 'node-pty';

/**
 * What one drain may read. A pty holds a few KiB to a few hundred KiB of unread output; more
 * than this means something still holds the slave open and keeps writing (a background job),
 * which is live output for the socket, not leftovers of the exit.
 */
export const MAX_DRAIN_BYTES = 4 << 20;

/** The node-pty internals termpool relies on (here and in pty-input.ts), all optional: checked before use. */
export interface PtyInternals {
  _socket?: { destroy?: (...args: unknown[]) => unknown; destroyed?: boolean };
  _fd?: unknown;
}

/** Installs the drain on `p`; returns false when this node-pty lacks the internals. */
export function drainBeforeDestroy(p: IPty, feed: (chunk: Buffer) => void): boolean {
  const internals = p as unknown as PtyInternals;
  const socket = internals._socket;
  const fd = internals._fd;
  if (socket === undefined || typeof socket.destroy !== 'function' || typeof fd !== 'number') return false;
  const destroy = socket.destroy;
  let drained = false;
  socket.destroy = function (this: unknown, ...args: unknown[]) {
    // Once only, and only while the socket still owns the fd: after destroy the number can be
    // reused by another session's pty, whose bytes must never be read here.
    if (!drained && socket.destroyed !== true) {
      drained = true;
      drainFd(fd, feed);
    }
    return destroy.apply(this, args);
  };
  return true;
}

/** Non-blocking reads until EAGAIN (empty), EIO/0 (slave closed) or MAX_DRAIN_BYTES. */
export function drainFd(fd: number, feed: (chunk: Buffer) => void): number {
  const buf = Buffer.allocUnsafe(64 * 1024);
  let total = 0;
  while (total < MAX_DRAIN_BYTES) {
    let n: number;
    try {
      n = readSync(fd, buf, 0, buf.length, null);
    } catch {
      break; // EAGAIN: nothing more; EIO: the other side is closed and empty
    }
    if (n <= 0) break;
    total += n;
    feed(Buffer.from(buf.subarray(0, n)));
  }
  return total;
}
