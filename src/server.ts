/**
 * The server process: load config, refuse unsafe binds, listen, and on SIGTERM/SIGINT stop
 * accepting, kill every session's process group (archiving each), release every page and exit 0
 * within TERMPOOL_SHUTDOWN_GRACE_MS, whatever the clients do.
 *
 * Shutdown is bounded because a client decides how long its connection lasts: a body half sent
 * and abandoned, a WebSocket peer that never answers the close frame (ws waits 30 s for it), a
 * request still being read. app.close() waits for every connection, so without a bound one such
 * client would keep the process alive, and an orchestrator would SIGKILL it with sessions
 * unarchived. Sessions are closed first (the registry's preClose hook, which also answers every
 * pending /wait); requests still open get the grace to finish, then their sockets are destroyed.
 */
import type { FastifyInstance } from 'fastify';
import type {} from '@fastify/websocket'; // the `websocketServer` decorator
import { buildApp } from './app.js';
import { assertSafeBind, loadConfig, type Config } from './config.js';
import { mallocAdvice, runtimeGlibc } from './malloc-tuning.js';

export interface Server {
  app: FastifyInstance;
  /** Actual address (port 0 resolves here). */
  url: string;
  close(): Promise<void>;
}

/** Levels at which every request is logged; above them only the server's own lines and errors. */
const REQUEST_LOG_LEVELS = new Set(['debug', 'trace']);

/** Starts listening; throws ConfigError for an unsafe bind. */
export async function startServer(config: Config, logger = true): Promise<Server> {
  assertSafeBind(config);
  const level = process.env['TERMPOOL_LOG_LEVEL'] ?? 'info';
  const app = await buildApp(config, {
    logger: logger ? { level } : false,
    requestLogs: logger && REQUEST_LOG_LEVELS.has(level),
  });
  await app.listen({ host: config.host, port: config.port });
  const addr = app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : config.port;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  return { app, url: `http://${host}:${port}`, close: () => app.close() };
}

/**
 * After the grace has run out and every connection was destroyed, how long app.close() may still
 * take (the sessions' preClose, the archive's close) before the process exits anyway, status 1.
 * Past this only something that cannot end is left (e.g. a child stuck in uninterruptible sleep).
 */
const FORCED_EXIT_MS = 5000;

/** `termpool serve`: runs until SIGTERM/SIGINT; resolves with the exit status. */
export async function serve(env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const config = loadConfig(env);
  const server = await startServer(config);
  const advice = mallocAdvice(env, runtimeGlibc());
  if (advice !== null) server.app.log.warn(advice);
  return new Promise<number>((resolve) => {
    let stopping = false;
    const stop = (sig: NodeJS.Signals): void => {
      if (stopping) return;
      stopping = true;
      server.app.log.info(`${sig}: closing sessions and shutting down (grace ${config.shutdownGraceMs} ms)`);
      void shutdown(server.app, config.shutdownGraceMs).then((code) => {
        resolve(code);
        // Whatever still holds the event loop (a leaked handle) must not keep the process: exit
        // once the caller has had a moment to set the status. Unref'd: a clean exit is not delayed.
        setTimeout(() => process.exit(code), 1000).unref();
      });
    };
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  });
}

/**
 * Closes the app within `graceMs` (+ FORCED_EXIT_MS if closing itself hangs): 0 when it closed,
 * 1 when it failed or had to be abandoned.
 */
export async function shutdown(app: FastifyInstance, graceMs: number): Promise<number> {
  const timers: NodeJS.Timeout[] = [];
  const closed = app.close().then(() => 0, (err: unknown) => {
    app.log.error({ err }, 'shutdown failed');
    return 1;
  });
  const abandoned = new Promise<number>((resolve) => {
    timers.push(setTimeout(() => {
      app.log.warn(`shutdown grace of ${graceMs} ms (TERMPOOL_SHUTDOWN_GRACE_MS) is over: closing the connections still open`);
      dropConnections(app);
      timers.push(setTimeout(() => {
        app.log.error(`shutdown did not finish ${FORCED_EXIT_MS} ms after the grace; exiting anyway`);
        resolve(1);
      }, FORCED_EXIT_MS));
    }, graceMs));
  });
  const code = await Promise.race([closed, abandoned]);
  for (const t of timers) clearTimeout(t);
  return code;
}

/**
 * Destroys every client connection: HTTP ones mid-request or mid-response (Node's
 * closeAllConnections), and WebSockets, which left the HTTP server's list when they upgraded.
 */
function dropConnections(app: FastifyInstance): void {
  app.server.closeAllConnections();
  for (const ws of app.websocketServer?.clients ?? []) ws.terminate();
}
