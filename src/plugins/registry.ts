/**
 * Decorates the app with `sessions` (the SessionRegistry, with its SessionArchive when
 * TERMPOOL_ARCHIVE is on) and closes every session when the app closes, so `app.close()` alone
 * leaves no child process and no lent page behind. Order on close: kill every session (each is
 * archived as its program exits), then close the archive store: nothing running is lost.
 */
import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../config.js';
import type { PagePool } from '../engine/index.js';
import { SessionArchive } from '../archive/session-archive.js';
import { defaultPool } from '../engine/index.js';
import { SessionRegistry } from '../sessions/registry.js';

declare module 'fastify' {
  interface FastifyInstance {
    sessions: SessionRegistry;
  }
}

/** How often the shared pool drops free pages that were not reused since the last time. */
export const POOL_TRIM_MS = 30_000;
/** Free pages always kept (a few sessions' worth, so a new session starts without allocating). */
const POOL_FREE_FLOOR = 16;

export interface RegistryOptions {
  config: Config;
  pool?: PagePool;
}

async function registryPlugin(app: FastifyInstance, opts: RegistryOptions): Promise<void> {
  const pool = opts.pool ?? defaultPool;
  const archive = new SessionArchive(opts.config, pool, {
    info: (msg) => app.log.info(msg),
    error: (msg) => app.log.error(msg),
  });
  const registry = new SessionRegistry(opts.config, pool, archive);
  // Which mechanism ends a session's processes, and why (auto falls back to session ids).
  app.log.info(`sessions: containment ${registry.containment.mode} (${registry.containment.why}); sandbox ${registry.sandbox ? 'bwrap' : 'off'}`);
  app.decorate('sessions', registry);
  // Free pages idle for a whole interval go back to the runtime (PagePool.trimIdle).
  const trimTimer = setInterval(() => pool.trimIdle(POOL_FREE_FLOOR), POOL_TRIM_MS);
  trimTimer.unref();
  const close = async (): Promise<void> => {
    clearInterval(trimTimer);
    await registry.closeAll();
    archive.close();
  };
  // preClose runs before the server waits for in-flight requests: closing sessions there ends
  // open /wait requests at once instead of after their timeout. onClose covers inject-only use.
  app.addHook('preClose', close);
  app.addHook('onClose', close);
}

export default fp(registryPlugin, { name: 'termpool-registry', fastify: '5.x', dependencies: ['termpool-errors'] });
