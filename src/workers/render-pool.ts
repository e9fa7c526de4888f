/**
 * The render workers: POST /v1/render replays run here, on worker threads, each within a budget.
 * A replay's cost is the client's to choose (442 KB of cast resizes froze the whole server for
 * 20 s when it ran on the main thread), and JavaScript cannot be interrupted from inside: a
 * worker stuck in a replay can only be stopped by terminating it. piscina does that when a job's
 * AbortSignal fires (and starts a fresh worker for the next job).
 *
 * Owns: admission (at most `concurrency` jobs running, `queue` waiting, 429 RENDER_BUSY beyond),
 * the per-job budget (`timeoutMs` from the moment a worker takes the job, and the workers' heap:
 * 422 RENDER_BUDGET past either), dropping the job of a client that went away, and the workers'
 * lifetime (started on first use, ended when idle and on close). With `concurrency` 0 jobs run
 * on the calling thread, in-process and without a budget: a switch for debugging and for
 * measuring the difference (bench/hostile.ts), not for a server anyone else can reach.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import { ServiceError } from '../errors.js';
import { runRenderJob, type RenderJob, type RenderOutcome } from './render-job.js';
import type { RenderWorkerData } from './render-worker.js';

export interface RenderPoolOptions {
  /** Jobs running at once (one worker each); 0 = run on the calling thread, unbounded. */
  concurrency: number;
  /** Jobs waiting for a worker, at most. */
  queue: number;
  /** A job's time on its worker, at most (ms). */
  timeoutMs: number;
  /** V8 heap limit of a worker (MiB). */
  heapMb: number;
  /** Extra font directories for PNGs (TERMPOOL_FONT_DIRS), handed to each worker. */
  fontDirs?: readonly string[];
  /** Worker script (default: render-worker.js beside this file, or dist/'s when running from sources). */
  filename?: string;
}

/** Why a job was aborted (the AbortSignal's reason). */
const OVER_BUDGET = 'over budget';
const CLIENT_GONE = 'client gone';

/** How long an idle worker is kept for the next job. */
const IDLE_MS = 30_000;

/**
 * The compiled worker script. From dist/ it sits beside this file; when the server runs from the
 * TypeScript sources (vitest imports src/*.ts) there is no .js here, and a worker cannot load .ts
 * on Node 20: it takes the copy tsc emitted to dist/ (test/global-setup.ts builds it first).
 */
export function renderWorkerFile(): string {
  for (const rel of ['./render-worker.js', '../../dist/src/workers/render-worker.js']) {
    const f = fileURLToPath(new URL(rel, import.meta.url));
    if (existsSync(f)) return f;
  }
  throw new Error('render worker script not found: build the project (npm run build) so dist/src/workers/render-worker.js exists');
}

export class RenderPool {
  private readonly piscina: Piscina<RenderJob, RenderOutcome> | null;
  private running = 0;
  private readonly waiting: { start: () => void; fail: (err: Error) => void }[] = [];
  private closed = false;

  constructor(private readonly opts: RenderPoolOptions) {
    this.piscina = opts.concurrency === 0 ? null : new Piscina<RenderJob, RenderOutcome>({
      filename: opts.filename ?? renderWorkerFile(),
      minThreads: 0,
      maxThreads: opts.concurrency,
      idleTimeout: IDLE_MS,
      // Admission is ours (below): piscina only ever holds jobs that have a worker.
      maxQueue: opts.concurrency,
      concurrentTasksPerWorker: 1,
      resourceLimits: { maxOldGenerationSizeMb: opts.heapMb },
      // Not the server's flags (an --inspect port, a profiler) in every worker.
      execArgv: [],
      workerData: { fontDirs: opts.fontDirs ?? [] } satisfies RenderWorkerData,
    });
  }

  /** Jobs running now. */
  get active(): number { return this.running; }
  /** Jobs waiting for a worker. */
  get queued(): number { return this.waiting.length; }
  /** Workers alive (0 until the first job, and again after IDLE_MS without one). */
  get threads(): number { return this.piscina?.threads.length ?? 0; }

  /**
   * Runs `job` once a worker is free. Rejects with 429 RENDER_BUSY when the queue is full,
   * 422 RENDER_BUDGET when the job overruns its time or heap, 503 SHUTTING_DOWN on close.
   * `signal`: the client went away; the job is dropped (its worker ended if it had started).
   */
  async run(job: RenderJob, signal?: AbortSignal): Promise<RenderOutcome> {
    if (this.closed) throw shuttingDown();
    if (this.piscina === null) return runRenderJob(job);
    if (this.running < this.opts.concurrency) {
      this.running++;
    } else {
      if (this.waiting.length >= this.opts.queue) {
        throw new ServiceError('RENDER_BUSY', `all ${this.opts.concurrency} render workers are busy and ${this.waiting.length} renders are waiting (TERMPOOL_RENDER_CONCURRENCY, TERMPOOL_RENDER_QUEUE): retry later`,
          { running: this.running, queued: this.waiting.length });
      }
      // The slot comes already counted: release() hands it over without giving it back.
      await this.wait(signal);
    }
    try {
      return await this.dispatch(this.piscina, job, signal);
    } finally {
      this.release();
    }
  }

  /** A job ended: its slot goes to the first waiting job, or back to the pool. */
  private release(): void {
    const next = this.waiting.shift();
    if (next) next.start();
    else this.running--;
  }

  /** Waits for a free worker (in order of arrival); a client that leaves gives up its place. */
  private wait(signal: AbortSignal | undefined): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const entry = {
        start: () => { signal?.removeEventListener('abort', leave); resolve(); },
        fail: (err: Error) => { signal?.removeEventListener('abort', leave); reject(err); },
      };
      const leave = (): void => {
        const i = this.waiting.indexOf(entry);
        if (i >= 0) this.waiting.splice(i, 1);
        reject(clientGone());
      };
      if (signal?.aborted) { reject(clientGone()); return; }
      signal?.addEventListener('abort', leave, { once: true });
      this.waiting.push(entry);
    });
  }

  private async dispatch(piscina: Piscina<RenderJob, RenderOutcome>, job: RenderJob, signal: AbortSignal | undefined): Promise<RenderOutcome> {
    const ac = new AbortController();
    const timer = setTimeout(() => ac.abort(OVER_BUDGET), this.opts.timeoutMs);
    const leave = (): void => ac.abort(CLIENT_GONE);
    signal?.addEventListener('abort', leave, { once: true });
    if (signal?.aborted) leave();
    try {
      return await piscina.run(job, { signal: ac.signal });
    } catch (err) {
      if (ac.signal.aborted && ac.signal.reason === OVER_BUDGET) {
        throw new ServiceError('RENDER_BUDGET', `the render ran past its budget of ${this.opts.timeoutMs} ms (TERMPOOL_RENDER_TIMEOUT_MS) and was stopped: send a shorter recording, fewer resizes, or render at an earlier moment (at=)`,
          { budget: 'time', limitMs: this.opts.timeoutMs });
      }
      if (ac.signal.aborted && ac.signal.reason === CLIENT_GONE) throw clientGone();
      if ((err as NodeJS.ErrnoException).code === 'ERR_WORKER_OUT_OF_MEMORY') {
        throw new ServiceError('RENDER_BUDGET', `the render needed more than its ${this.opts.heapMb} MiB of memory (TERMPOOL_RENDER_HEAP_MB) and was stopped`,
          { budget: 'memory', limitMb: this.opts.heapMb });
      }
      if (this.closed) throw shuttingDown();
      throw err;
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', leave);
    }
  }

  /** Refuses new jobs, fails the waiting ones, ends the running ones and their workers. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const w of this.waiting.splice(0)) w.fail(shuttingDown());
    await this.piscina?.destroy();
  }
}

const shuttingDown = (): ServiceError => new ServiceError('SHUTTING_DOWN', 'the server is shutting down: the render was not finished');

/** Nobody reads this answer: the client closed its connection. A 4xx so it is not logged as a server fault. */
const clientGone = (): ServiceError => new ServiceError('RENDER_BUDGET', 'the client closed its connection before the render finished', { budget: 'client' });
