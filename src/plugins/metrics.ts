/**
 * Decorates the app with `metrics` (TermpoolMetrics: termpool's own prom-client Registry, filled
 * at scrape time from `app.sessions` and its page pool, served with the request metrics of
 * src/plugins/request-metrics.ts) and unsubscribes it when the app closes.
 * The route that serves it is src/routes/metrics.ts.
 */
import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { TermpoolMetrics } from '../metrics/registry.js';

declare module 'fastify' {
  interface FastifyInstance {
    metrics: TermpoolMetrics;
  }
}

async function metricsPlugin(app: FastifyInstance): Promise<void> {
  const metrics = new TermpoolMetrics(app.sessions, {
    sessionSeries: app.sessions.config.metricsSessions,
    include: [app.requestMetrics.registry],
  });
  app.decorate('metrics', metrics);
  app.addHook('onClose', async () => { metrics.close(); });
}

export default fp(metricsPlugin, { name: 'termpool-metrics', fastify: '5.x', dependencies: ['termpool-registry', 'termpool-request-metrics'] });
