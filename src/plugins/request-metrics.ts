/**
 * Decorates the app with `requestMetrics` (src/metrics/request-metrics.ts) and times every
 * request. Registered first of all plugins (src/app.ts), so its onRequest hook runs before the
 * host guard's and auth's: their refusals (421, 403, 401) are counted like any other answer.
 */
import type {} from '@fastify/websocket'; // the `websocketServer` decorator
import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { RequestMetrics } from '../metrics/request-metrics.js';

declare module 'fastify' {
  interface FastifyInstance {
    requestMetrics: RequestMetrics;
  }
}

async function requestMetricsPlugin(app: FastifyInstance): Promise<void> {
  const metrics = new RequestMetrics();
  app.decorate('requestMetrics', metrics);
  app.addHook('onRequest', async (req, reply) => { metrics.begin(req, reply); });
  // The WebSocket plugin is registered after this one: its server exists once the app is ready.
  app.addHook('onReady', async () => {
    if (!app.hasDecorator('websocketServer')) return;
    const wss = app.websocketServer;
    metrics.countWebSocketsWith(() => wss.clients.size);
    wss.on('connection', (_socket, raw) => metrics.upgraded(raw));
  });
}

export default fp(requestMetricsPlugin, { name: 'termpool-request-metrics', fastify: '5.x' });
