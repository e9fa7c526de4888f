/**
 * GET /healthz: liveness, no auth (load balancers and probes carry no token).
 *
 * With TERMPOOL_TOKEN set the server may be reachable by anyone, so a request without the token
 * gets only what says whether the service is up: status, counts, uptime and modes. The archive's
 * problem texts name session ids (which a client could then read or delete) and file paths (the
 * host's layout), so they go only to a request carrying the token. Without a token the server
 * listens on loopback only and everyone who can ask may see everything.
 */
import { createHash } from 'node:crypto';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { bearerMatches } from '../plugins/auth.js';
import { Health } from '../schemas/sessions.js';

const started = Date.now();

const healthRoutes: FastifyPluginAsyncZod = async (app) => {
  const token = app.sessions.config.token;
  // What bearerMatches compares against (src/plugins/auth.ts keeps its own copy).
  const expected = token === '' ? null : createHash('sha256').update(token, 'utf8').digest();

  app.get('/healthz', {
    schema: {
      summary: 'Liveness check (no auth)',
      description: 'With TERMPOOL_TOKEN set, archive.problems is included only when the request carries the token.',
      tags: ['service'],
      security: [],
      response: { 200: Health },
    },
  }, async (req) => {
    const archive = app.sessions.archive?.health() ?? { status: 'off' as const, sessions: 0, damagedSessions: 0, problems: [] };
    const full = expected === null || bearerMatches(req.headers.authorization, expected);
    const { problems, ...counts } = archive;
    return {
      status: 'ok' as const,
      sessions: app.sessions.size,
      uptimeSeconds: Math.round((Date.now() - started) / 1000),
      archive: full ? { ...counts, problems } : counts,
      containment: app.sessions.containment.mode,
      sandbox: app.sessions.sandbox ? 'bwrap' as const : 'off' as const,
    };
  });
};

export default healthRoutes;
