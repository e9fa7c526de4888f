/**
 * The finishing pass over what @fastify/swagger generates from the routes' zod schemas, shared by
 * `npm run openapi` (src/openapi.ts, which writes openapi.yaml) and GET /openapi.json
 * (src/routes/docs.ts), so the file and the served document are the same object:
 *
 * - `operationId` on every operation: stable camelCase names from OPERATION_IDS (what generated
 *   clients call the methods), or, for a route not listed yet, one derived from its method and
 *   path (`postV1SessionsIdMarker`), so a new route is never left without one;
 * - `servers`: the server that serves the document, then the default local address;
 * - `info.license` (package.json's);
 * - the WebSocket route names its message schemas (`x-websocket-messages`), which OpenAPI cannot
 *   attach to a 101 answer any other way;
 * - components no operation reaches are dropped: the zod provider emits an input and an output
 *   variant of every registered schema, and most are used one way only.
 */

/** "METHOD /path" → operationId. Renaming one breaks generated clients: add, do not rename. */
export const OPERATION_IDS: Readonly<Record<string, string>> = {
  'GET /healthz': 'getHealth',
  'GET /metrics': 'getMetrics',
  'GET /openapi.json': 'getOpenApiDocument',
  'GET /docs': 'getApiDocsPage',
  'GET /docs/{file}': 'getApiDocsFile',
  'POST /v1/sessions': 'createSession',
  'GET /v1/sessions': 'listSessions',
  'GET /v1/sessions/{id}': 'getSession',
  'DELETE /v1/sessions/{id}': 'deleteSession',
  'POST /v1/sessions/{id}/resize': 'resizeSession',
  'POST /v1/sessions/{id}/input': 'sendInput',
  'POST /v1/sessions/{id}/signal': 'sendSignal',
  'GET /v1/sessions/{id}/screen': 'getScreen',
  'GET /v1/sessions/{id}/scrollback': 'getScrollback',
  'POST /v1/sessions/{id}/wait': 'waitFor',
  'POST /v1/sessions/{id}/run': 'runCommand',
  'GET /v1/sessions/{id}/commands': 'listCommands',
  'GET /v1/sessions/{id}/recording': 'getRecording',
  'GET /v1/sessions/{id}/ws': 'watchSession',
  'POST /v1/render': 'renderCast',
  'GET /': 'getViewerPage',
  'GET /ui/{file}': 'getViewerFile',
  'POST /mcp': 'postMcpMessage',
  'GET /mcp': 'getMcpStream',
  'DELETE /mcp': 'deleteMcpSession',
};

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

/** `post` + `/v1/sessions/{id}/marker` → `postV1SessionsIdMarker`. */
export function derivedOperationId(method: string, path: string): string {
  const words = path.split(/[^A-Za-z0-9]+/).filter((w) => w !== '');
  return method.toLowerCase() + words.map((w) => w[0]!.toUpperCase() + w.slice(1)).join('');
}

type Json = Record<string, any>;

/** Every `#/components/schemas/X` named anywhere in `node`. */
function refsIn(node: unknown, out: Set<string>): void {
  if (Array.isArray(node)) { for (const v of node) refsIn(v, out); return; }
  if (node === null || typeof node !== 'object') return;
  for (const [k, v] of Object.entries(node)) {
    if (k === '$ref' && typeof v === 'string' && v.startsWith('#/components/schemas/')) out.add(v.slice('#/components/schemas/'.length));
    else refsIn(v, out);
  }
}

/** The WebSocket route's messages: what the client sends (as parsed) and what the server sends. */
const WS_ROUTE = '/v1/sessions/{id}/ws';
const WS_MESSAGES = { client: 'WsClientMessageInput', server: 'WsServerMessage' };

/** Finishes a generated document in place and returns it (see the header). */
export function finishDocument(doc: Json): Json {
  doc['info'] = { ...doc['info'], license: { name: 'MIT', identifier: 'MIT' } };
  // Before paths in the output, as people read it.
  const { openapi, info, ...rest } = doc;
  const servers = [
    { url: '/', description: 'the server that serves this document' },
    { url: 'http://127.0.0.1:7681', description: 'a server on its default address (TERMPOOL_HOST, TERMPOOL_PORT)' },
  ];
  for (const k of Object.keys(doc)) delete doc[k];
  Object.assign(doc, { openapi, info, servers, ...rest });

  const paths = (doc['paths'] ?? {}) as Record<string, Json>;
  for (const [path, ops] of Object.entries(paths)) {
    for (const method of METHODS) {
      const op = ops[method] as Json | undefined;
      if (op === undefined) continue;
      op['operationId'] ??= OPERATION_IDS[`${method.toUpperCase()} ${path}`] ?? derivedOperationId(method, path);
    }
  }
  const ws = paths[WS_ROUTE]?.['get'] as Json | undefined;
  if (ws !== undefined) {
    ws['x-websocket-messages'] = {
      client: { $ref: `#/components/schemas/${WS_MESSAGES.client}` },
      server: { $ref: `#/components/schemas/${WS_MESSAGES.server}` },
    };
  }

  const schemas = doc['components']?.['schemas'] as Record<string, unknown> | undefined;
  if (schemas !== undefined) {
    const used = new Set<string>();
    refsIn(paths, used);
    // Schemas named by used schemas, until nothing new turns up.
    for (let todo = [...used]; todo.length > 0;) {
      const found = new Set<string>();
      for (const name of todo) refsIn(schemas[name], found);
      todo = [...found].filter((n) => !used.has(n));
      for (const n of todo) used.add(n);
    }
    for (const name of Object.keys(schemas)) if (!used.has(name)) delete schemas[name];
  }
  return doc;
}
