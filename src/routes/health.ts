/** GET /healthz: liveness, no auth. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { Health } from '../schemas/sessions.js';

const started = Date.now();

const healthRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/healthz', {
    schema: { summary: 'Liveness check (no auth)', tags: ['service'], security: [], response: { 200: Health } },
  }, async () => ({
    status: 'ok' as const,
    sessions: app.sessions.size,
    uptimeSeconds: Math.round((Date.now() - started) / 1000),
    archive: app.sessions.archive?.health() ?? { status: 'off' as const, sessions: 0, damagedSessions: 0, problems: [] },
    containment: app.sessions.containment.mode,
    sandbox: app.sessions.sandbox ? 'bwrap' as const : 'off' as const,
  }));
};

export default healthRoutes;
