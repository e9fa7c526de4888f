/**
 * The web viewer's files: GET / (the session list page) and GET /ui/{file} (the viewer page,
 * its scripts and stylesheet), served from the repository's `ui/` folder. Public (src/plugins/
 * auth.ts): they hold no data; the page asks for the token and sends it with every API call.
 *
 * The folder is read once at registration into a fixed name → bytes map, so there is no path
 * handling at request time (nothing to traverse) and a request never touches the disk. The
 * scripts are plain ES modules type-checked by `ui/tsconfig.json`, so nothing needs building.
 */
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ServiceError } from '../errors.js';
import { ErrorBody } from '../schemas/common.js';

const TYPES: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
};

/**
 * Scripts and stylesheets only from this origin (style attributes allowed: the rendered rows
 * colour their spans inline); the API and the session WebSocket on the same
 * origin; snapshots downloaded through blob: URLs; an empty data: favicon.
 */
const CSP = "default-src 'none'; script-src 'self'; style-src 'self'; style-src-attr 'unsafe-inline'; connect-src 'self'; img-src 'self' blob: data:; " +
  "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/** `ui/` beside src/ (run from sources) or beside dist/ (compiled: dist/src/routes). */
function uiDir(): string | null {
  for (const rel of ['../../ui/', '../../../ui/']) {
    const dir = fileURLToPath(new URL(rel, import.meta.url));
    if (existsSync(dir + 'index.html')) return dir;
  }
  return null;
}

interface Asset { body: Buffer; type: string }

function loadAssets(dir: string | null): Map<string, Asset> {
  const assets = new Map<string, Asset>();
  if (dir === null) return assets;
  for (const name of readdirSync(dir)) {
    const m = /^[a-z0-9-]+\.(html|js|css)$/.exec(name);
    if (m) assets.set(name, { body: readFileSync(dir + name), type: TYPES[m[1]!]! });
  }
  return assets;
}

const FileParams = z.object({
  file: z.string().min(1).max(64).describe('a file of the viewer, e.g. term.html, term.js, viewer.css'),
});

const uiRoutes: FastifyPluginAsyncZod = async (app) => {
  const assets = loadAssets(uiDir());

  const content = {
    'text/html': { schema: z.string() },
    'text/javascript': { schema: z.string() },
    'text/css': { schema: z.string() },
  };

  const asset = (name: string): Asset => {
    const a = assets.get(name);
    if (a === undefined) throw new ServiceError('ROUTE_NOT_FOUND', `no viewer file '${name}'`);
    return a;
  };
  const send = <R extends FastifyReply>(a: Asset, reply: R): R => {
    return reply
      .type(a.type)
      .header('content-security-policy', CSP)
      .header('x-content-type-options', 'nosniff')
      .header('referrer-policy', 'no-referrer')
      // Small files, revalidated each time, so a restarted server's new viewer is picked up.
      .header('cache-control', 'no-cache')
      .send(a.body as unknown as string) as R;
  };

  app.get('/', {
    schema: {
      summary: 'The web viewer: the session list page (asks for the token; no auth on the page itself)',
      tags: ['viewer'],
      security: [],
      response: { 200: { description: 'the page', content: { 'text/html': content['text/html'] } } },
    },
  }, async (_req, reply) => send(asset('index.html'), reply));

  app.get('/ui/:file', {
    schema: {
      summary: 'The web viewer\'s pages, scripts and stylesheet (no auth)',
      tags: ['viewer'],
      security: [],
      params: FileParams,
      response: { 200: { description: 'the file', content }, 400: ErrorBody, 404: ErrorBody },
    },
  }, async (req, reply) => send(asset(req.params.file), reply));
};

export default uiRoutes;
