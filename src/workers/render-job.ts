/**
 * One POST /v1/render job: replay uploaded bytes (an asciicast v2 file, or raw pty output) into
 * a throwaway engine Terminal and build the reply body in the asked format. It runs on a render
 * worker thread (src/workers/render-worker.ts, pooled by src/workers/render-pool.ts), so the
 * replay — whose cost a client chooses with the bytes it sends — never holds the main thread;
 * with TERMPOOL_RENDER_CONCURRENCY=0 it runs in-process, the same code.
 *
 * Owns: the job's shape (plain data: it crosses a thread boundary by structured clone) and the
 * mapping of the replay's own failures to error codes. A class does not survive the crossing,
 * so failures the client can act on come back as a value, not a throw; a throw is a bug (500).
 * No HTTP, no fastify, no zod here: a worker loads only the engine, the cast reader and the
 * renderers.
 */
import { CastError, playCastText } from '../cast/index.js';
import { Terminal, type ScreenSnapshot } from '../engine/index.js';
import { bodyFailure, screenBody, type ScreenFormat } from '../render/screen-body.js';
import { runAnimationJob, type AnimationJobOptions } from '../render/animation/job.js';

export interface RenderJob {
  /** The request body, as received. */
  body: Uint8Array;
  /** How to read it (decided from the first line and the query by the route). */
  input: 'cast' | 'raw';
  format: ScreenFormat;
  /** Size override (cast) or size (raw; default 80×24). Checked by the route for raw input. */
  cols?: number;
  rows?: number;
  /** Cast only: the moment to render, in seconds. */
  at?: number;
  /** An animated GIF/APNG/SVG of the cast (GET /recording?format=gif|apng|svg) instead of one screen: `format` is unused. */
  animation?: AnimationJobOptions;
  /** The server's size limits, for the cast header and its resize events. */
  maxCols: number;
  maxRows: number;
}

/** The failures a client can act on, by error code (src/errors.ts). */
export interface RenderFailure {
  ok: false;
  code: 'BAD_CAST' | 'SNAPSHOT_TOO_LARGE' | 'RENDER_UNAVAILABLE' | 'RENDER_BUDGET';
  message: string;
  details?: unknown;
}

export type RenderOutcome = { ok: true; body: string | Uint8Array } | RenderFailure;

export async function runRenderJob(job: RenderJob): Promise<RenderOutcome> {
  if (job.animation !== undefined) return runAnimationJob(job.body, { ...job.animation, maxCols: job.maxCols, maxRows: job.maxRows });
  let snap: ScreenSnapshot;
  if (job.input === 'cast') {
    const text = Buffer.from(job.body.buffer, job.body.byteOffset, job.body.byteLength).toString('utf8');
    let player;
    try {
      player = playCastText(text, {
        maxCols: job.maxCols, maxRows: job.maxRows,
        ...(job.cols !== undefined && { cols: job.cols }), ...(job.rows !== undefined && { rows: job.rows }),
        ...(job.at !== undefined && { at: job.at }),
      });
    } catch (err) {
      if (err instanceof CastError) return { ok: false, code: 'BAD_CAST', message: `malformed asciicast: ${err.message}`, details: { line: err.line } };
      throw err;
    }
    try { snap = player.terminal.snapshot(); } finally { player.dispose(); }
  } else {
    // No scrollback: only the screen is rendered.
    const term = new Terminal({ cols: job.cols ?? 80, rows: job.rows ?? 24, scrollback: 0 });
    try {
      term.write(job.body);
      snap = term.snapshot();
    } finally {
      term.dispose();
    }
  }
  try {
    // A PNG is rasterised on this thread, so the worker's budget sees that work too.
    return { ok: true, body: await screenBody(snap, job.format, { png: 'sync' }) };
  } catch (err) {
    const f = bodyFailure(err, job.format);
    if (f === null) throw err;
    return { ok: false, ...f };
  }
}
