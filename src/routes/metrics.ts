/** GET /metrics: the Prometheus text exposition (needs the bearer token when one is set). */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ErrorBody } from '../schemas/common.js';

const metricsRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/metrics', {
    schema: {
      summary: 'Prometheus metrics (text exposition format 0.0.4)',
      description: 'Requests by route pattern, method and status with their latency, WebSocket and MCP connections, ' +
        'build info, sessions and their cap, per-session pages and leak estimates, pool bytes and pages by state, ' +
        'bytes parsed, the archive, and Node process metrics (event-loop lag among them). Per-session series: the ' +
        'sessions TERMPOOL_METRICS_SESSIONS selects (default top:10 by pages); they disappear when the session is ' +
        'deleted or reaped.',
      tags: ['service'],
      response: {
        200: { description: 'text exposition', content: { 'text/plain': { schema: z.string() } } },
        401: ErrorBody,
      },
    },
  }, async (_req, reply) => {
    const body = await app.metrics.scrape();
    return reply.type(app.metrics.contentType).send(body);
  });
};

export default metricsRoutes;
