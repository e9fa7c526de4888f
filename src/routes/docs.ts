/**
 * The API's own description, served by the running server: GET /openapi.json (the OpenAPI 3.1
 * document, the same object `npm run openapi` writes to openapi.yaml: src/openapi-document.ts)
 * and GET /docs, an interactive page (Swagger UI, from the swagger-ui-dist package) with its
 * files under GET /docs/{file}. Behind the token like every API route (src/plugins/auth.ts);
 * the page's "Authorize" button takes the token for the calls it makes.
 *
 * The page's files are a fixed name → bytes map, read on first use (2 MB that most servers never
 * serve), so nothing at request time touches a path a client chose. Its CSP allows scripts and
 * stylesheets from this origin only: the initializer is a file (no inline script), Swagger UI's
 * online validator badge is off (it would send the document's URL to validator.swagger.io), and
 * the "Try it out" calls go to this origin.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ServiceError } from '../errors.js';
import { finishDocument } from '../openapi-document.js';
import { ErrorBody } from '../schemas/common.js';

/**
 * Scripts and stylesheets from this origin; style attributes (Swagger UI's highlighted examples
 * set them); images from this origin and data: (the stylesheet's icons, the empty favicon); the
 * document and "Try it out" calls to this origin only.
 */
export const DOCS_CSP = "default-src 'none'; script-src 'self'; style-src 'self'; style-src-attr 'unsafe-inline'; img-src 'self' data:; " +
  "font-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** Relative URLs, so the page works under a path prefix too (a gateway's /termpool/docs). */
const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>termpool API</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="docs/swagger-ui.css">
</head>
<body>
<div id="swagger-ui"></div>
<script src="docs/swagger-ui-bundle.js"></script>
<script src="docs/docs.js"></script>
</body>
</html>
`;

const INIT = `// Swagger UI on this server's own document (src/routes/docs.ts).
window.ui = SwaggerUIBundle({
  url: new URL('openapi.json', window.location.href).href,
  dom_id: '#swagger-ui',
  deepLinking: true,
  presets: [SwaggerUIBundle.presets.apis],
  layout: 'BaseLayout',
  validatorUrl: null,
});
`;

interface Asset { body: string | Buffer; type: string }

let files: Map<string, Asset> | null = null;

/** The page's files: ours, and Swagger UI's bundle and stylesheet from swagger-ui-dist. */
function docsFiles(): Map<string, Asset> {
  if (files === null) {
    const dist = path.dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
    files = new Map<string, Asset>([
      ['docs.js', { body: INIT, type: 'text/javascript; charset=utf-8' }],
      ['swagger-ui-bundle.js', { body: readFileSync(path.join(dist, 'swagger-ui-bundle.js')), type: 'text/javascript; charset=utf-8' }],
      ['swagger-ui.css', { body: readFileSync(path.join(dist, 'swagger-ui.css')), type: 'text/css; charset=utf-8' }],
    ]);
  }
  return files;
}

const FileParams = z.object({
  file: z.string().min(1).max(64).describe('a file of the docs page: docs.js, swagger-ui-bundle.js or swagger-ui.css'),
});

/** The OpenAPI document as JSON, loosely: its full shape is the OpenAPI 3.1 specification's. */
const OpenApiDocument = z.looseObject({
  openapi: z.string(),
  info: z.looseObject({ title: z.string(), version: z.string() }),
  paths: z.record(z.string(), z.unknown()),
}).describe('an OpenAPI 3.1 document (https://spec.openapis.org/oas/v3.1.0)');

const docsRoutes: FastifyPluginAsyncZod = async (app) => {
  let document: string | null = null;

  const send = <R extends FastifyReply>(reply: R, a: Asset): R => reply
    .type(a.type)
    .header('content-security-policy', DOCS_CSP)
    .header('referrer-policy', 'no-referrer')
    .header('cache-control', 'no-cache')
    .send(a.body as unknown as string) as R;

  app.get('/openapi.json', {
    schema: {
      summary: 'This API\'s OpenAPI 3.1 document (what openapi.yaml holds, as JSON)',
      tags: ['service'],
      response: {
        200: { description: 'the document', content: { 'application/json': { schema: OpenApiDocument } } },
        401: ErrorBody,
      },
    },
  }, async (_req, reply) => {
    // Built on first use: the routes are all registered by then, and it does not change.
    document ??= JSON.stringify(finishDocument(structuredClone(app.swagger()) as Record<string, unknown>));
    // Already JSON: sent as it is (fastify does not serialize a string again).
    return reply.type('application/json; charset=utf-8').header('cache-control', 'no-cache').send(document as unknown as z.infer<typeof OpenApiDocument>);
  });

  app.get('/docs', {
    schema: {
      summary: 'Interactive API documentation (Swagger UI on /openapi.json)',
      tags: ['service'],
      response: {
        200: { description: 'the page', content: { 'text/html': { schema: z.string() } } },
        401: ErrorBody,
      },
    },
  }, async (_req, reply) => send(reply, { body: PAGE, type: 'text/html; charset=utf-8' }));

  app.get('/docs/:file', {
    schema: {
      summary: 'The docs page\'s script and stylesheet files',
      tags: ['service'],
      params: FileParams,
      response: {
        200: { description: 'the file', content: { 'text/javascript': { schema: z.string() }, 'text/css': { schema: z.string() } } },
        400: ErrorBody,
        401: ErrorBody,
        404: ErrorBody,
      },
    },
  }, async (req, reply) => {
    const a = docsFiles().get(req.params.file);
    if (a === undefined) throw new ServiceError('ROUTE_NOT_FOUND', `no docs file '${req.params.file}' (docs.js, swagger-ui-bundle.js, swagger-ui.css)`);
    return send(reply, a);
  });
};

export default docsRoutes;
