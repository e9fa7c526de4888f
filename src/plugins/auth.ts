/**
 * Bearer-token auth. With a token configured, every request except GET /healthz — including the
 * WebSocket upgrade, which is an ordinary GET until the hook lets it through — must carry
 * `Authorization: Bearer <token>`. Tokens are compared as SHA-256 digests with
 * crypto.timingSafeEqual, so neither the content nor the length leaks through timing.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { ServiceError } from '../errors.js';

export interface AuthOptions {
  /** Empty = auth disabled (the server only listens on loopback then). */
  token: string;
}

const PUBLIC_ROUTES = new Set(['/healthz']);

const digest = (s: string): Buffer => createHash('sha256').update(s, 'utf8').digest();

/** Constant-time check of an Authorization header value against the expected token. */
export function bearerMatches(header: string | undefined, expected: Buffer): boolean {
  const m = /^Bearer[ ]+(\S+)\s*$/i.exec(header ?? '');
  // Compare even when the header is malformed so the reply takes the same time.
  const given = digest(m?.[1] ?? '');
  return timingSafeEqual(given, expected) && m !== null;
}

async function authPlugin(app: FastifyInstance, opts: AuthOptions): Promise<void> {
  if (opts.token === '') return;
  const expected = digest(opts.token);
  app.addHook('onRequest', async (req, reply) => {
    if (PUBLIC_ROUTES.has(req.routeOptions.url ?? '')) return;
    if (bearerMatches(req.headers.authorization, expected)) return;
    reply.header('www-authenticate', 'Bearer realm="termpool"');
    if (req.headers.upgrade !== undefined) {
      // A refused upgrade: the socket was handed over for the upgrade and nothing else will
      // close it (a WebSocket plugin's own cleanup hook may never run after this refusal), so
      // close it once the 401 is out; a lingering socket would also hold up shutdown.
      reply.header('connection', 'close');
      reply.raw.once('finish', () => req.raw.socket?.destroy());
    }
    throw new ServiceError('UNAUTHORIZED', 'missing or wrong bearer token (send Authorization: Bearer <TERMPOOL_TOKEN>)');
  });
}

export default fp(authPlugin, { name: 'termpool-auth', fastify: '5.x', dependencies: ['termpool-errors'] });
