/**
 * buildApp(config): the whole HTTP service as a fastify instance, without listening (tests use
 * it directly; src/server.ts listens). Registration order is explicit: the zod type provider,
 * plugins (request metrics → errors → JSON bodies → WebSocket → host guard → auth → registry → render pool → metrics),
 * then routes.
 */
import swagger from '@fastify/swagger';
import websocket from '@fastify/websocket';
import Fastify, { LogController, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { serializerCompiler, validatorCompiler, jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';
import { clientTimeouts } from './client-timeouts.js';
import type { Config } from './config.js';
import type { PagePool } from './engine/index.js';
import { ALIS_SUBPROTOCOL } from './cast/alis.js';
import { redactStreamKeys } from './plugins/alis-key.js';
import authPlugin, { BEARER_SUBPROTOCOL } from './plugins/auth.js';
import errorsPlugin from './plugins/errors.js';
import hostGuardPlugin from './plugins/host-guard.js';
import jsonBodyPlugin from './plugins/json-body.js';
import metricsPlugin from './plugins/metrics.js';
import registryPlugin from './plugins/registry.js';
import renderPoolPlugin from './plugins/render-pool.js';
import requestMetricsPlugin from './plugins/request-metrics.js';
import alisRoutes from './routes/alis.js';
import commandRoutes from './routes/commands.js';
import docsRoutes from './routes/docs.js';
import healthRoutes from './routes/health.js';
import inputRoutes from './routes/input.js';
import mcpRoutes from './routes/mcp.js';
import metricsRoutes from './routes/metrics.js';
import recordingRoutes from './routes/recording.js';
import renderRoutes from './routes/render.js';
import screenRoutes from './routes/screen.js';
import sessionRoutes from './routes/sessions.js';
import uiRoutes from './routes/ui.js';
import wsRoutes from './routes/ws.js';
import { API_VERSION } from './version.js';

export interface AppOptions {
  /** fastify logger setting; default off (the server turns it on). */
  logger?: FastifyServerOptions['logger'];
  /**
   * Log every request ("incoming request" / "request completed"); default off. Two JSON lines
   * per request cost about a tenth of the server's CPU under snapshot load (bench/api-load.ts).
   */
  requestLogs?: boolean;
  /** Page pool for the sessions' terminals; default: the engine's shared pool. */
  pool?: PagePool;
  /** No longer needed: @fastify/swagger is always registered (GET /openapi.json serves its document). */
  openapi?: boolean;
  /** Called for every route registered (tests use it to check openapi.yaml covers them). */
  onRoute?: (route: { method: string | string[]; url: string }) => void;
}

export { API_VERSION };

export async function buildApp(config: Config, opts: AppOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    // Request logs show URLs with any stream key redacted (?key=, src/plugins/alis-key.ts).
    logger: opts.logger ? { ...(opts.logger === true ? {} : opts.logger), serializers: { req: logRequest } } : false,
    logController: new LogController({ disableRequestLogging: !opts.requestLogs }),
    bodyLimit: config.bodyLimit,
    // Receiving a request is bounded (TERMPOOL_BODY_TIMEOUT_MS, 408); answering it is not, so
    // long /wait requests are never cut: they carry their own bound.
    ...clientTimeouts(config),
    forceCloseConnections: 'idle',
    // No implicit HEAD routes: every route the server answers is one openapi.yaml documents.
    exposeHeadRoutes: false,
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  if (opts.onRoute) {
    const hook = opts.onRoute;
    app.addHook('onRoute', (r) => hook({ method: r.method, url: r.url }));
  }

  // The OpenAPI document of every route (GET /openapi.json, `npm run openapi`; src/openapi-document.ts).
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'termpool',
        version: API_VERSION,
        description: 'Headless terminals as a service: real programs under ptys, screens from termpool\'s engine.',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });

  // First: its onRequest hook times every request, refusals by the guard and auth included.
  await app.register(requestMetricsPlugin);
  await app.register(errorsPlugin);
  await app.register(jsonBodyPlugin, { drainBytes: config.bodyDrainBytes });
  // Before auth: an upgrade goes through the normal hooks (auth → 401) before a route accepts it,
  // and the plugin's own onRequest hook must have marked it so a refused upgrade's socket is
  // destroyed after the reply (otherwise it stays open and app.close() waits for it forever).
  // A client message may be as large as a request body.
  // A browser offers its token as a subprotocol (src/plugins/auth.ts); the reply must name a
  // protocol the client offered, and never that one (it would echo the token back).
  await app.register(websocket, {
    options: {
      maxPayload: config.bodyLimit,
      // The ALiS stream selects v1.alis wherever asciinema-player puts it in its list.
      handleProtocols: (offered, req) => (offered.has(ALIS_SUBPROTOCOL) && /^[^?]*\/alis(?:\?|$)/.test(req.url ?? '')
        ? ALIS_SUBPROTOCOL
        : [...offered].find((p) => !p.startsWith(BEARER_SUBPROTOCOL)) ?? false),
    },
  });
  // Who may reach the server from a browser (Host: DNS rebinding; Origin: cross-site requests):
  // before auth and every route, so the WebSocket upgrade and /mcp are covered too.
  await app.register(hostGuardPlugin, { token: config.token, allowedHosts: config.allowedHosts, allowedOrigins: config.allowedOrigins });
  await app.register(authPlugin, { token: config.token });
  await app.register(registryPlugin, { config, ...(opts.pool && { pool: opts.pool }) });
  await app.register(renderPoolPlugin, { config });
  await app.register(metricsPlugin);

  await app.register(healthRoutes);
  await app.register(sessionRoutes);
  await app.register(inputRoutes);
  await app.register(screenRoutes);
  await app.register(commandRoutes);
  await app.register(recordingRoutes);
  await app.register(renderRoutes);
  await app.register(metricsRoutes);
  await app.register(docsRoutes);
  await app.register(wsRoutes);
  await app.register(alisRoutes, { token: config.token });
  await app.register(uiRoutes);
  await app.register(mcpRoutes);
  return app;
}

/** fastify's request serializer, with stream keys redacted from the URL. */
function logRequest(req: { method: string; url: string; host?: string; ip?: string; socket?: { remotePort?: number } }): Record<string, unknown> {
  return { method: req.method, url: redactStreamKeys(req.url), host: req.host, remoteAddress: req.ip, remotePort: req.socket?.remotePort };
}
