/**
 * When a session's cold scrollback pages are compressed: once the program has been quiet for
 * QUIET_SWEEP_MS — never on the write path (a flood pays nothing), and an idle session, the
 * common case when hosting many, keeps its history at well under a byte per cell — and, for a
 * program that never pauses, at least every BUSY_SWEEP_MS.
 */

/** Quiet time after the last output before cold scrollback pages are compressed. */
export const QUIET_SWEEP_MS = 1000;
/**
 * A program that never pauses (a log tail, a build) still gets its cold pages compressed this
 * often: each page is encoded once, ~the cost of parsing the bytes that filled it.
 */
export const BUSY_SWEEP_MS = 5000;

export class ColdSweep {
  private timer: NodeJS.Timeout | null = null;
  private pendingSince = 0;

  /** `sweep` runs from a timer, where no read holds a pinned page. */
  constructor(private readonly sweep: () => void) {}

  /** Output arrived: sweep after the quiet time, postponed by more output up to BUSY_SWEEP_MS. */
  schedule(): void {
    if (this.timer) {
      if (Date.now() - this.pendingSince < BUSY_SWEEP_MS - QUIET_SWEEP_MS) this.timer.refresh();
      return;
    }
    this.pendingSince = Date.now();
    this.timer = setTimeout(() => {
      this.timer = null;
      this.sweep();
    }, QUIET_SWEEP_MS);
    this.timer.unref();
  }

  cancel(): void {
    if (this.timer) { clearTimeout(this.timer); this.timer = null; }
  }
}
