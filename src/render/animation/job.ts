/**
 * An animation as a render-worker job (src/workers/render-job.ts hands a job with `animation`
 * here): the cast's text in, the image's bytes out, or a failure the client can act on as a
 * value (a class does not cross the thread boundary): BAD_CAST naming the line, RENDER_BUDGET
 * with the frame or pixel figures.
 */
import { CastError } from '../../cast/index.js';
import { AnimationBudgetError, renderAnimation, type AnimationOptions } from './index.js';

export type AnimationJobOptions = Omit<AnimationOptions, 'maxCols' | 'maxRows' | 'fontDirs'>;

export type AnimationOutcome =
  | { ok: true; body: string | Uint8Array }
  | { ok: false; code: 'BAD_CAST' | 'RENDER_BUDGET'; message: string; details?: unknown };

export function runAnimationJob(cast: Uint8Array, opts: AnimationJobOptions & { maxCols: number; maxRows: number }): AnimationOutcome {
  const text = Buffer.from(cast.buffer, cast.byteOffset, cast.byteLength).toString('utf8');
  try {
    return { ok: true, body: renderAnimation(text, opts).body };
  } catch (err) {
    if (err instanceof CastError) return { ok: false, code: 'BAD_CAST', message: `malformed asciicast: ${err.message}`, details: { line: err.line } };
    if (err instanceof AnimationBudgetError) return { ok: false, code: 'RENDER_BUDGET', message: err.message, details: err.details };
    throw err;
  }
}
