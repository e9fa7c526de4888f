/**
 * A render worker thread's entry (piscina loads this file in each worker and calls the default
 * export once per job). Nothing but the job and the thread's settings: the pool
 * (src/workers/render-pool.ts) owns the budget, and ends this thread when a job overruns it.
 */
import { workerData } from 'piscina';
import { useFontDirs } from '../render/fonts.js';
import { runRenderJob } from './render-job.js';

/** What the pool hands every worker (piscina's workerData). */
export interface RenderWorkerData {
  /** TERMPOOL_FONT_DIRS: a PNG's extra fonts (fonts.ts keeps them per thread). */
  fontDirs: readonly string[];
}

useFontDirs((workerData as RenderWorkerData | undefined)?.fontDirs ?? []);

export default runRenderJob;
