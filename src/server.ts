/**
 * The server process: load config, refuse unsafe binds, listen, and on SIGTERM/SIGINT stop
 * accepting, kill every session's process group, release every page and exit 0.
 */
import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.js';
import { assertSafeBind, loadConfig, type Config } from './config.js';

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

/** `termpool serve`: runs until SIGTERM/SIGINT; resolves with the exit status. */
export async function serve(env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const server = await startServer(loadConfig(env));
  return new Promise<number>((resolve) => {
    let stopping = false;
    const stop = (sig: NodeJS.Signals): void => {
      if (stopping) return;
      stopping = true;
      server.app.log.info(`${sig}: closing sessions and shutting down`);
      server.close().then(() => resolve(0), (err: unknown) => {
        server.app.log.error({ err }, 'shutdown failed');
        resolve(1);
      });
    };
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  });
}
