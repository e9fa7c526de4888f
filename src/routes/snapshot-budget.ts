/**
 * The budget of one screen read: its cells, cols × lines (the screen's rows and the scrollback
 * lines asked for, as far as the scrollback goes). Every format's work is proportional to it, so
 * a read past TERMPOOL_SNAPSHOT_MAX_CELLS is refused before any of it is done: 422
 * SNAPSHOT_TOO_LARGE, with the figures.
 *
 * NOTE on the default, 5,100,000: the largest legitimate full-history read at the default limits,
 * 500 columns × (200 rows + 10,000 lines of scrollback). At the defaults nothing a session can
 * hold is refused; a server configured with more scrollback (TERMPOOL_SCROLLBACK up to 1,000,000
 * lines) still does no more work per read than that, and clients page through the rest with
 * GET /scrollback. Memory is not what this bounds (src/render/stream.ts streams big answers),
 * time is: a JSON read of 5.1 M cells is ~3 s of CPU in pieces.
 *
 * The copies streamed reads hold (src/render/stream.ts) are bounded per read by the terminal's
 * size, and together by `CopyBudget` (TERMPOOL_SNAPSHOT_COPY_BYTES): clients that open many reads
 * and never read them get 429 SNAPSHOT_BUSY instead of growing the server without end.
 */
import type { Terminal } from '../engine/index.js';
import { ServiceError } from '../errors.js';

/** Cells of `t`'s snapshot with `scrollback` lines above the screen. */
export function snapshotCells(t: Terminal, scrollback: number): number {
  const above = t.altActive ? 0 : Math.min(Math.max(0, scrollback), t.scrollbackLength);
  return t.cols * (t.rows + above);
}

/** Throws 422 SNAPSHOT_TOO_LARGE when `cells` is over `max`. */
export function checkSnapshotBudget(t: Terminal, scrollback: number, max: number): number {
  const cells = snapshotCells(t, scrollback);
  if (cells > max) {
    const lines = Math.max(0, Math.floor(max / t.cols) - t.rows);
    throw new ServiceError('SNAPSHOT_TOO_LARGE',
      `this read is ${t.cols} × ${cells / t.cols} = ${cells} cells, over the ${max} a read may have (TERMPOOL_SNAPSHOT_MAX_CELLS): ask for at most scrollback=${lines}, or page through GET /v1/sessions/{id}/scrollback`,
      { cells, max, maxScrollback: lines });
  }
  return cells;
}

/** The bytes of terminal copies held by streamed reads in flight, against TERMPOOL_SNAPSHOT_COPY_BYTES. */
export class CopyBudget {
  private held = 0;
  constructor(readonly max: number) {}

  get heldBytes(): number { return this.held; }

  /**
   * Takes `bytes` for one copy and returns its release (idempotent); throws 429 SNAPSHOT_BUSY
   * when the copies already held leave no room for it.
   */
  reserve(bytes: number): () => void {
    if (this.held + bytes > this.max) {
      throw new ServiceError('SNAPSHOT_BUSY',
        `streamed screen reads in progress already hold ${this.held} bytes of copies; this one needs ${bytes} more, over the ${this.max} allowed (TERMPOOL_SNAPSHOT_COPY_BYTES): retry once they have been read`,
        { held: this.held, needed: bytes, max: this.max });
    }
    this.held += bytes;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.held -= bytes;
    };
  }
}
