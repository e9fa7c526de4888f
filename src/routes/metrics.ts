/** GET /metrics: the Prometheus text exposition (needs the bearer token when one is set). */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ErrorBody } from '../schemas/common.js';

const metricsRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/metrics', {
    schema: {
      summary: 'Prometheus metrics (text exposition format 0.0.4)',
      description: 'Sessions, per-session pages and leak estimates, pool bytes and pages by state, bytes parsed, ' +
        'and Node process metrics. Per-session series disappear when the session is deleted or reaped.',
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
