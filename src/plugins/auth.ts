/**
 * Bearer-token auth. With a token configured, every request except GET /healthz — including the
 * WebSocket upgrade, which is an ordinary GET until the hook lets it through — must carry
 * `Authorization: Bearer <token>`. Tokens are compared as SHA-256 digests with
 * crypto.timingSafeEqual, so neither the content nor the length leaks through timing.
 *
 * Browsers cannot set headers on a WebSocket, so an upgrade may instead offer the token as a
 * subprotocol, `Sec-WebSocket-Protocol: termpool.v1, termpool.bearer.<base64url(token)>` (the
 * Kubernetes API server's scheme): a header, so it stays out of URLs and request logs, unlike a
 * query string. The server never selects the bearer entry (src/app.ts, handleProtocols).
 * The web viewer's page and assets (GET / and /ui/…) are public: they hold no data, and the
 * page asks for the token itself.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { ServiceError } from '../errors.js';
import { closeRefusedUpgrade } from './upgrade-refusal.js';
import { STREAM_KEY_PARAM, streamKeyMatches } from './alis-key.js';

export interface AuthOptions {
  /** Empty = auth disabled (the server only listens on loopback then). */
  token: string;
}

const PUBLIC_ROUTES = new Set(['/healthz', '/', '/ui/:file']);
/** The one route a stream key opens (src/routes/alis.ts). */
const ALIS_ROUTE = '/v1/sessions/:id/alis';

/** The subprotocol prefix that carries the token on a browser's WebSocket upgrade. */
export const BEARER_SUBPROTOCOL = 'termpool.bearer.';

const digest = (s: string): Buffer => createHash('sha256').update(s, 'utf8').digest();

/** Constant-time check of an Authorization header value against the expected token. */
export function bearerMatches(header: string | undefined, expected: Buffer): boolean {
  const m = /^Bearer[ ]+(\S+)\s*$/i.exec(header ?? '');
  // Compare even when the header is malformed so the reply takes the same time.
  const given = digest(m?.[1] ?? '');
  return timingSafeEqual(given, expected) && m !== null;
}

/**
 * Constant-time check of a Sec-WebSocket-Protocol list for `termpool.bearer.<base64url(token)>`.
 * Only base64url characters are taken, so what is decoded is exactly what was sent.
 */
export function subprotocolMatches(header: string | undefined, expected: Buffer): boolean {
  const m = /(?:^|,)\s*termpool\.bearer\.([A-Za-z0-9_-]+)\s*(?:,|$)/.exec(header ?? '');
  const given = digest(m?.[1] === undefined ? '' : Buffer.from(m[1], 'base64url').toString('utf8'));
  return timingSafeEqual(given, expected) && m !== null;
}

async function authPlugin(app: FastifyInstance, opts: AuthOptions): Promise<void> {
  if (opts.token === '') return;
  const expected = digest(opts.token);
  app.addHook('onRequest', async (req, reply) => {
    if (PUBLIC_ROUTES.has(req.routeOptions.url ?? '')) return;
    if (bearerMatches(req.headers.authorization, expected)) return;
    if (req.headers.upgrade !== undefined && subprotocolMatches(req.headers['sec-websocket-protocol'], expected)) return;
    // An embedded asciinema-player sends no header: its session's stream takes a read-only key (src/plugins/alis-key.ts).
    if (req.routeOptions.url === ALIS_ROUTE &&
      streamKeyMatches((req.query as Record<string, unknown>)[STREAM_KEY_PARAM], opts.token, (req.params as { id?: string }).id ?? '')) return;
    reply.header('www-authenticate', 'Bearer realm="termpool"');
    closeRefusedUpgrade(req, reply);
    throw new ServiceError('UNAUTHORIZED', 'missing or wrong bearer token (send Authorization: Bearer <TERMPOOL_TOKEN>)');
  });
}

export default fp(authPlugin, { name: 'termpool-auth', fastify: '5.x', dependencies: ['termpool-errors'] });
