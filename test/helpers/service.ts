/**
 * A real termpool server for route tests: buildApp() listening on 127.0.0.1 port 0, driven with
 * fetch over the socket. `client` is the typed client (src/client) the tests drive it with;
 * `api()` returns raw status, headers and the parsed body for tests about the HTTP exchange itself
 * (each one also recorded in `exchanges`).
 */
import { existsSync, readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app.js';
import { TermpoolClient } from '../../src/client/index.js';
import { loadConfig, type Config } from '../../src/config.js';
import type { PagePool } from '../../src/engine/index.js';

export interface ApiResponse<T = any> {
  status: number;
  contentType: string;
  body: T;
  raw: Buffer;
}

export interface Exchange {
  method: string;
  path: string;
  res: ApiResponse;
}

export interface TestServer {
  url: string;
  app: FastifyInstance;
  config: Config;
  /** The typed client (src/client), with the server's token. */
  client: TermpoolClient;
  /** JSON in, JSON (or text/bytes) out. */
  api<T = any>(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<ApiResponse<T>>;
  close(): Promise<void>;
}

/** Every exchange made through any TestServer in this process (for the OpenAPI test). */
export const exchanges: Exchange[] = [];

export async function startTestServer(env: Record<string, string> = {}, pool?: PagePool): Promise<TestServer> {
  const config = loadConfig({ TERMPOOL_PORT: '0', TERMPOOL_ARCHIVE: 'off', ...env });
  const app = await buildApp(config, pool ? { pool } : {});
  await app.listen({ host: '127.0.0.1', port: 0 });
  const addr = app.server.address();
  const url = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  const token = config.token;
  return {
    url,
    app,
    config,
    client: new TermpoolClient({ url, token }),
    async api(method, path, body, headers = {}) {
      const h: Record<string, string> = { ...(token && { authorization: `Bearer ${token}` }), ...headers };
      let payload: string | undefined;
      if (body !== undefined) {
        h['content-type'] ??= 'application/json';
        payload = typeof body === 'string' ? body : JSON.stringify(body);
      }
      const r = await fetch(url + path, { method, headers: h, ...(payload !== undefined && { body: payload }) });
      const raw = Buffer.from(await r.arrayBuffer());
      const contentType = r.headers.get('content-type') ?? '';
      const parsed = contentType.startsWith('application/json') ? JSON.parse(raw.toString('utf8')) : contentType.startsWith('image/png') ? raw : raw.toString('utf8');
      const res = { status: r.status, contentType, body: parsed, raw };
      exchanges.push({ method, path, res });
      return res;
    },
    close: () => app.close(),
  };
}

/** True while `pid` is a live (non-zombie) process. */
export function alive(pid: number): boolean {
  try { process.kill(pid, 0); } catch { return false; }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

/** Polls (test-side only) until `pid` is gone or `ms` pass; returns whether it is gone. */
export async function gone(pid: number, ms = 3000): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (!alive(pid)) return true;
    await new Promise((r) => setTimeout(r, 25));
  }
  return !alive(pid);
}

/** First of the given programs found on PATH (e.g. vim, vim.tiny, vi). */
export function findProgram(...names: string[]): string | null {
  for (const dir of (process.env['PATH'] ?? '').split(':')) {
    for (const n of names) {
      if (dir !== '' && existsSync(`${dir}/${n}`)) return n;
    }
  }
  return null;
}
