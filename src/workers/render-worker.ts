/**
 * A render worker thread's entry (piscina loads this file in each worker and calls the default
 * export once per job). Nothing but the job: the pool (src/workers/render-pool.ts) owns the
 * budget, and ends this thread when a job overruns it.
 */
import { runRenderJob } from './render-job.js';

export default runRenderJob;
