/**
 * RED metrics of the HTTP API (rate, errors, duration per route) and the connections that outlive
 * a request: WebSocket viewers and MCP exchanges.
 *
 *   termpool_http_requests_total{route,method,status}      answers sent, by route pattern
 *   termpool_http_request_duration_seconds{route,method}   from the request's arrival to its answer
 *   termpool_websocket_connections                         session viewers connected now
 *   termpool_mcp_connections                               /mcp exchanges open now
 *
 * Label values are bounded whatever clients send: `route` is the pattern that matched
 * (`/v1/sessions/:id/screen`, never the URL) or `unmatched`; `method` is one of the seven the API
 * uses or `other`; `status` is the status code sent, 101 for an accepted WebSocket upgrade, and
 * 499 (nginx's "client closed request") when the client went before any answer was sent.
 *
 * Every request is recorded once, when its response closes (hijacked answers such as /mcp's
 * included) or, for a WebSocket, when the upgrade is accepted (the socket then lives on and is
 * counted by the connection gauge instead).
 */
import type { IncomingMessage } from 'node:http';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';

/** The methods the API has; any other one is counted as `other` (Node accepts ~30). */
const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/** Seconds: fast reads at the bottom, long-polling /wait and /run (up to minutes) at the top. */
export const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300];

/** `route` of a request no route matched (404 ROUTE_NOT_FOUND, and URLs the router refused). */
export const UNMATCHED_ROUTE = 'unmatched';
/** `status` of a request whose client hung up before any answer was sent. */
export const CLIENT_CLOSED_STATUS = '499';

interface Pending {
  route: string;
  method: string;
  start: bigint;
  done: boolean;
}

export class RequestMetrics {
  readonly registry = new Registry();
  private readonly requests: Counter<'route' | 'method' | 'status'>;
  private readonly duration: Histogram<'route' | 'method'>;
  private readonly pending = new WeakMap<IncomingMessage, Pending>();
  private mcpOpen = 0;
  private websockets: () => number = () => 0;

  constructor() {
    const r = this.registry;
    this.requests = new Counter({
      name: 'termpool_http_requests_total',
      help: 'HTTP answers sent, by route pattern, method and status (101: WebSocket upgrade accepted; 499: the client left before an answer)',
      labelNames: ['route', 'method', 'status'] as const,
      registers: [r],
    });
    this.duration = new Histogram({
      name: 'termpool_http_request_duration_seconds',
      help: 'Time from a request\'s arrival to its answer (long-polling /wait and /run included), by route pattern and method',
      labelNames: ['route', 'method'] as const,
      buckets: DURATION_BUCKETS,
      registers: [r],
    });
    const websockets = (): number => this.websockets();
    new Gauge({
      name: 'termpool_websocket_connections',
      help: 'WebSocket connections open now (session viewers, GET /v1/sessions/:id/ws)',
      registers: [r],
      collect() { this.set(websockets()); },
    });
    const mcp = (): number => this.mcpOpen;
    new Gauge({
      name: 'termpool_mcp_connections',
      help: 'MCP exchanges open now (the /mcp endpoint is stateless: one per request in progress)',
      registers: [r],
      collect() { this.set(mcp()); },
    });
  }

  /** Where the WebSocket gauge reads its figure (the WebSocket server's tracked clients). */
  countWebSocketsWith(count: () => number): void { this.websockets = count; }

  /** Starts timing a request (call from the first onRequest hook). */
  begin(req: FastifyRequest, reply: FastifyReply): void {
    const route = req.routeOptions.url ?? UNMATCHED_ROUTE;
    const method = METHODS.has(req.method) ? req.method : 'other';
    const p: Pending = { route, method, start: process.hrtime.bigint(), done: false };
    this.pending.set(req.raw, p);
    const mcp = route === '/mcp';
    if (mcp) this.mcpOpen++;
    reply.raw.once('close', () => {
      if (mcp) this.mcpOpen--;
      this.finish(p, reply.raw.headersSent ? String(reply.raw.statusCode) : CLIENT_CLOSED_STATUS);
    });
  }

  /** A WebSocket upgrade was accepted: its request ends here with 101. */
  upgraded(raw: IncomingMessage): void {
    const p = this.pending.get(raw);
    if (p !== undefined) this.finish(p, '101');
  }

  private finish(p: Pending, status: string): void {
    if (p.done) return;
    p.done = true;
    this.requests.inc({ route: p.route, method: p.method, status });
    this.duration.observe({ route: p.route, method: p.method }, Number(process.hrtime.bigint() - p.start) / 1e9);
  }
}
