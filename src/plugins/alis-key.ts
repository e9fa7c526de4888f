/**
 * Stream keys: what lets a web page that embeds asciinema-player watch one session's ALiS stream
 * (GET /v1/sessions/{id}/alis?key=…) without the API token. The player opens its WebSocket
 * itself, with its own subprotocols and no headers, so the only credential it can carry is the
 * URL; the token must never go there (an embed snippet ends up in pages and logs). A key is
 * HMAC-SHA256(token, "termpool-alis\0" + session id), base64url: it opens that session's
 * stream only, read-only (the route takes no input), stays valid across restarts while the
 * token does, and reveals nothing of the token. Without a token the server answers only on
 * loopback and needs no key (src/plugins/host-guard.ts).
 *
 * The key is a query parameter, so request logs redact it (`redactStreamKeys`, src/app.ts).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** The query parameter that carries a stream key. */
export const STREAM_KEY_PARAM = 'key';

export function streamKey(token: string, sessionId: string): string {
  return createHmac('sha256', token).update(`termpool-alis\0${sessionId}`, 'utf8').digest('base64url');
}

/** Constant-time check of a key given in the query (any type: the query is the client's). */
export function streamKeyMatches(given: unknown, token: string, sessionId: string): boolean {
  if (token === '' || typeof given !== 'string') return false;
  const expected = Buffer.from(streamKey(token, sessionId), 'utf8');
  const g = Buffer.from(given, 'utf8');
  // Same length first (timingSafeEqual needs it); the expected length is public (43 characters).
  return g.length === expected.length && timingSafeEqual(g, expected);
}

/** A request URL with every `key=` value replaced, for logs. */
export function redactStreamKeys(url: string): string {
  const q = url.indexOf('?');
  if (q < 0) return url;
  return url.slice(0, q) + url.slice(q).replace(/([?&]key=)[^&#]*/gi, '$1[redacted]');
}
