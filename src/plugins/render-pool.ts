/**
 * Decorates the app with `renders` (the RenderPool of src/workers/render-pool.ts, sized and
 * budgeted by TERMPOOL_RENDER_*; its PNGs' extra fonts from TERMPOOL_FONT_DIRS) and closes it
 * with the app: waiting renders answer 503 SHUTTING_DOWN, running ones are stopped and every
 * worker thread is ended, so `app.close()` leaves no thread behind. Closed in preClose, before
 * the server waits for in-flight requests: a render does not hold a shutdown for its whole budget.
 */
import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../config.js';
import { useFontDirs } from '../render/fonts.js';
import { RenderPool } from '../workers/render-pool.js';

declare module 'fastify' {
  interface FastifyInstance {
    renders: RenderPool;
  }
}

export interface RenderPoolPluginOptions {
  config: Config;
}

async function renderPoolPlugin(app: FastifyInstance, opts: RenderPoolPluginOptions): Promise<void> {
  const c = opts.config;
  // PNG fonts (TERMPOOL_FONT_DIRS) for renders on this thread (GET /screen, MCP) and in the workers.
  useFontDirs(c.fontDirs);
  const pool = new RenderPool({ concurrency: c.renderConcurrency, queue: c.renderQueue, timeoutMs: c.renderTimeoutMs, heapMb: c.renderHeapMb, fontDirs: c.fontDirs });
  app.decorate('renders', pool);
  const close = (): Promise<void> => pool.close();
  app.addHook('preClose', close);
  app.addHook('onClose', close);
}

export default fp(renderPoolPlugin, { name: 'termpool-render-pool', fastify: '5.x', dependencies: ['termpool-errors'] });
