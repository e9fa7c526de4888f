/**
 * ghostty-web (Ghostty's VT core compiled to WebAssembly) as a bench engine: the second anchor of
 * the throughput table beside @xterm/headless (issue 27).
 *
 * One WebAssembly instance per terminal: an instance reused for a second terminal traps (its
 * allocator state is shared; test/helpers/ghostty-oracle.ts). Instantiating takes milliseconds,
 * so it happens in `prepare`, outside the timer, and `create` takes the prepared instance.
 * Ghostty counts scrollback in bytes, page by page: 1,000,000 bytes keeps about 1,130 lines of 80
 * columns, the nearest it comes to the 1,000 lines the other engines keep.
 */
import type { GhosttyTerminal } from 'ghostty-web';
import { createGhostty, ghosttyReplies, ghosttyScreenLines } from '../test/helpers/ghostty-oracle.js';
import type { EngineAdapter, TermOptions } from './engines.js';

/** Scrollback limit given to Ghostty (bytes; see above). */
export const GHOSTTY_SCROLLBACK_BYTES = 1_000_000;

export function ghosttyAdapter(): EngineAdapter {
  let next: GhosttyTerminal | null = null;
  return {
    name: 'ghostty',
    async prepare(opts: TermOptions) {
      next ??= await createGhostty(opts.cols, opts.rows, GHOSTTY_SCROLLBACK_BYTES);
    },
    create(opts) {
      const term = next;
      next = null;
      if (!term || term.cols !== opts.cols || term.rows !== opts.rows) throw new Error('ghostty: prepare() a terminal of this size first');
      return {
        writeAll(bytes, chunk) {
          for (let off = 0; off < bytes.length; off += chunk) term.write(bytes.subarray(off, Math.min(off + chunk, bytes.length)));
          // Replies to queries in the output (DA, DSR) queue up inside; a terminal would read them.
          ghosttyReplies(term);
          return Promise.resolve();
        },
        screenLines: () => ghosttyScreenLines(term),
        scrollbackLength: () => term.getScrollbackLength(),
        dispose: () => term.free(),
      };
    },
  };
}
