/**
 * Decorates the app with `sessions` (the SessionRegistry) and closes every session when the app
 * closes, so `app.close()` alone leaves no child process and no lent page behind.
 */
import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../config.js';
import type { PagePool } from '../engine/index.js';
import { SessionRegistry } from '../sessions/registry.js';

declare module 'fastify' {
  interface FastifyInstance {
    sessions: SessionRegistry;
  }
}

export interface RegistryOptions {
  config: Config;
  pool?: PagePool;
}

async function registryPlugin(app: FastifyInstance, opts: RegistryOptions): Promise<void> {
  const registry = new SessionRegistry(opts.config, opts.pool);
  app.decorate('sessions', registry);
  // preClose runs before the server waits for in-flight requests: closing sessions there ends
  // open /wait requests at once instead of after their timeout. onClose covers inject-only use.
  app.addHook('preClose', async () => { await registry.closeAll(); });
  app.addHook('onClose', async () => { await registry.closeAll(); });
}

export default fp(registryPlugin, { name: 'termpool-registry', fastify: '5.x', dependencies: ['termpool-errors'] });
