/**
 * The CPU that screen and history searches may take from the one event loop every session
 * shares: wait conditions (src/sessions/wait-hub.ts) and scrollback searches
 * (src/sessions/search.ts) run as steps — one regex or text search over one screen or one
 * window of history each — queued here and run first-come first-served in slices of at most
 * `sliceMs` (TERMPOOL_REGEX_SLICE_MS) per turn of the loop. What is left waits for the next turn
 * (setImmediate), after the loop has served the sockets, so one turn lasts at most the slice plus
 * one step, and a step at most REGEX_TIMEOUT_MS (a catastrophic pattern fails its own request
 * there, 400 BAD_REGEX). Forty such patterns at once used to run back to back: 6.7 s in which no
 * other request was answered.
 *
 * A search is many steps over a long history; `admitSearch` caps the searches in progress
 * (TERMPOOL_REGEX_SEARCHES, 429 REGEX_BUSY beyond) so a burst cannot queue minutes of work.
 * Waits are capped by their own limits (src/sessions/wait.ts).
 *
 * Queued steps also coalesce: a wait condition asks for a check on every update but has at most
 * one step in the queue, which sees the screen as it is when it runs.
 */
import { ServiceError } from '../errors.js';

export interface RegexBudgetLimits {
  /** Longest the steps may run in one turn of the event loop, ms (one step may overrun it). */
  sliceMs: number;
  /** Searches (`admitSearch`) in progress at once, at most. */
  searches: number;
}

interface Job {
  steps: Generator<void, unknown>;
  resolve(v: unknown): void;
  reject(err: unknown): void;
}

export class RegexBudget {
  private readonly queue: Job[] = [];
  private head = 0;
  private scheduled = false;
  private searching = 0;

  /** Steps run so far (a figure for tests and metrics). */
  steps = 0;
  /** Slices run so far: turns of the event loop that ran steps. */
  slices = 0;
  /** The longest slice so far, ms. */
  longestSliceMs = 0;

  constructor(readonly limits: RegexBudgetLimits) {}

  /** Steps waiting for a slice. */
  get queued(): number { return this.queue.length - this.head; }

  /** Searches in progress. */
  get searches(): number { return this.searching; }

  /**
   * Runs `steps` one `next()` at a time, each when a slice has room: a step is the work between
   * two `yield`s. Resolves with the generator's return value; rejects with what it throws.
   */
  drive<T>(steps: Generator<void, T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ steps, resolve: resolve as (v: unknown) => void, reject });
      this.schedule();
    });
  }

  /**
   * A place for one search; throws 429 REGEX_BUSY when `searches` are already in progress.
   * Call the returned function once the search is over (whatever its outcome).
   */
  admitSearch(): () => void {
    if (this.searching >= this.limits.searches) {
      throw new ServiceError('REGEX_BUSY', `${this.searching} searches are in progress, the most the server runs at once (TERMPOOL_REGEX_SEARCHES); retry shortly`, { searches: this.searching, limit: this.limits.searches });
    }
    this.searching++;
    let released = false;
    return () => {
      if (!released) { released = true; this.searching--; }
    };
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => this.slice());
  }

  /** One slice: steps in queue order until `sliceMs` have passed; a step not finished goes to the back. */
  private slice(): void {
    this.scheduled = false;
    const t0 = performance.now();
    // Only the steps queued when the slice began: a step put back runs in a later turn, so a
    // lone search still lets the loop serve sockets between its steps.
    const end = this.queue.length;
    while (this.head < end && performance.now() - t0 < this.limits.sliceMs) {
      const job = this.queue[this.head++]!;
      this.steps++;
      let r: IteratorResult<void, unknown>;
      try {
        r = job.steps.next();
      } catch (err) {
        job.reject(err);
        continue;
      }
      if (r.done) job.resolve(r.value);
      else this.queue.push(job);
    }
    const ms = performance.now() - t0;
    this.slices++;
    if (ms > this.longestSliceMs) this.longestSliceMs = ms;
    // Compact now and then instead of shift()ing every step.
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue.splice(0, this.head);
      this.head = 0;
    }
    if (this.queued > 0) this.schedule();
  }
}
