/**
 * How long a client may take to send a request, and what it is told when it takes longer: the
 * fastify server options buildApp() passes on (src/app.ts).
 *
 * Node's http server bounds *receiving* a request: `headersTimeout` for the head and
 * `requestTimeout` for head and body together, measured from the request's first byte (or from
 * the connection for one that sends nothing). A request whose body has arrived leaves that
 * bound, so a POST /wait that asks for ten minutes still answers after its own timeoutMs; only
 * a body trickled in a byte at a time (slowloris), or half sent and abandoned, is cut. Both are
 * TERMPOOL_BODY_TIMEOUT_MS: one bound a client can reason about. Node checks the bound every
 * `connectionsCheckingInterval` (30 s by default, which would let a 1 s bound run 31 s), so the
 * check runs every quarter of the bound, capped to once a second, never more often than every
 * 100 ms (each check walks only the connections mid-request).
 *
 * Between requests a kept-alive connection is closed after fastify's keepAliveTimeout, 72 s:
 * longer than the 60 s idle timeout of common load balancers, so the server is never the one to
 * close a connection a balancer is just reusing (which would fail that request).
 *
 * Responses are not bounded here: a socket inactivity timeout would cut /wait long-polls, whose
 * connections carry nothing while they wait.
 */
import http from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyServerOptions } from 'fastify';
import type { Config } from './config.js';
import { ErrorCodes, type ErrorCode } from './errors.js';

/** The fastify options that bound receiving a request (fastify's own defaults elsewhere). */
export function clientTimeouts(config: Config): Pick<FastifyServerOptions, 'requestTimeout' | 'clientErrorHandler'> & { http: http.ServerOptions } {
  const bound = config.bodyTimeoutMs;
  return {
    requestTimeout: bound,
    http: {
      requestTimeout: bound,
      headersTimeout: bound,
      connectionsCheckingInterval: Math.max(100, Math.min(1000, Math.floor(bound / 4))),
    },
    clientErrorHandler: (err, socket) => answerClientError(err, socket as Socket, bound),
  };
}

/**
 * `clientError`: a request the server could not read (timed out, malformed, head too large). No
 * route ran, so the error plugin never sees it; the answer is written onto the socket in the same
 * coded shape as every other error, then the connection is closed (what is left of the request
 * cannot be parsed).
 */
function answerClientError(err: NodeJS.ErrnoException, socket: Socket, bound: number): void {
  // A reset connection, or one already gone: nobody to answer.
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  let code: ErrorCode;
  let message: string;
  if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT') {
    code = 'REQUEST_TIMEOUT';
    message = `the request did not arrive in full within ${bound} ms (TERMPOOL_BODY_TIMEOUT_MS); the connection is closed`;
  } else if (err.code === 'HPE_HEADER_OVERFLOW') {
    code = 'HEADERS_TOO_LARGE';
    message = 'the request head (request line and headers) is too large';
  } else {
    code = 'BAD_INPUT';
    message = 'malformed HTTP request';
  }
  // As Node does without a handler: no answer on a connection whose response has begun.
  const pending = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
  if (socket.writable && !pending?.headersSent) {
    const status = ErrorCodes[code];
    const body = JSON.stringify({ error: code, message });
    socket.write(
      `HTTP/1.1 ${status} ${http.STATUS_CODES[status] ?? ''}\r\nContent-Type: application/json; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy();
}
