/**
 * openapi.yaml is the contract: it is what `npm run openapi` generates from the zod schemas,
 * every route the server registers is in it, and real responses (every route, success and
 * error statuses, every screen format) validate against the schemas it documents.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import YAML from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { openapiYaml } from '../../src/openapi.js';
import { startTestServer, type ApiResponse, type TestServer } from '../helpers/service.js';

const FILE = fileURLToPath(new URL('../../openapi.yaml', import.meta.url));
const committed = readFileSync(FILE, 'utf8');
const doc = YAML.parse(committed) as {
  openapi: string;
  paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema: object }> }> }>>;
  components: Record<string, unknown>;
};

const ajv = new Ajv2020.default({ strict: false, allErrors: true });
addFormats.default(ajv);

const templates = Object.keys(doc.paths).map((p) => ({
  path: p,
  re: new RegExp('^' + p.replace(/\{[^}]+\}/g, '[^/]+') + '$'),
}));

/** Validates one real response against the documented schema for its route, status and media type. */
function check(method: string, url: string, res: ApiResponse): void {
  const path = url.split('?')[0]!;
  const tpl = templates.find((t) => t.re.test(path));
  expect(tpl, `${method} ${path} is not in openapi.yaml`).toBeDefined();
  const op = doc.paths[tpl!.path]![method.toLowerCase()];
  expect(op, `${method} ${tpl!.path} is not in openapi.yaml`).toBeDefined();
  const documented = op!.responses[String(res.status)];
  expect(documented, `${method} ${tpl!.path} answered ${res.status}, which openapi.yaml does not list`).toBeDefined();
  const media = res.contentType.split(';')[0]!.trim();
  const content = documented!.content?.[media];
  expect(content, `${method} ${tpl!.path} ${res.status}: media type ${media} is not documented`).toBeDefined();
  if (media === 'image/png') return; // binary
  const validate = ajv.compile({ ...content!.schema, components: doc.components });
  const ok = validate(res.body);
  expect(ok, `${method} ${url} ${res.status}: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(res.body).slice(0, 500)}`).toBe(true);
}

describe('OpenAPI: the committed document', () => {
  it('is OpenAPI 3.1 and up to date with the zod schemas (run `npm run openapi` if not)', async () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(committed).toBe(await openapiYaml());
  });

  it('documents every route the server registers', async () => {
    const routes: string[] = [];
    const app = await buildApp(loadConfig({}), {
      onRoute: (r) => {
        for (const m of [r.method].flat()) routes.push(`${m} ${r.url.replace(/:(\w+)/g, '{$1}')}`);
      },
    });
    await app.ready();
    await app.close();
    expect(routes.length).toBeGreaterThanOrEqual(10);
    const documented = Object.entries(doc.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`));
    for (const r of routes) expect(documented, `${r} is registered but not in openapi.yaml`).toContain(r);
  });
});

describe('OpenAPI: real responses validate against it', () => {
  let srv: TestServer;
  beforeAll(async () => { srv = await startTestServer({ TERMPOOL_MAX_SESSIONS: '3', TERMPOOL_BODY_LIMIT: '4096' }); });
  afterAll(async () => { await srv?.close(); });

  const call = async (method: string, url: string, body?: unknown, headers?: Record<string, string>): Promise<ApiResponse> => {
    const res = await srv.api(method, url, body, headers);
    check(method, url, res);
    return res;
  };

  it('every route, success and error answers', async () => {
    await call('GET', '/healthz');
    await call('GET', '/metrics');
    const s = (await call('POST', '/v1/sessions', { command: 'bash', args: ['--norc', '--noprofile'], env: { PS1: '$ ' }, cols: 40, rows: 8, record: true })).body;
    await call('POST', `/v1/sessions/${s.id}/wait`, { text: '$' });
    await call('POST', `/v1/sessions/${s.id}/input`, { text: 'printf "\\e]0;hello\\a"; seq 1 30\r' });
    expect((await call('POST', `/v1/sessions/${s.id}/wait`, { text: '30', stableMs: 50 })).status).toBe(200);
    await call('POST', `/v1/sessions/${s.id}/input`, { keys: ['Up', 'Down', 'C-u'] });
    await call('POST', `/v1/sessions/${s.id}/input`, { paste: 'echo pasted' });
    expect((await call('POST', `/v1/sessions/${s.id}/wait`, { text: 'echo pasted' })).status).toBe(200);
    await call('POST', `/v1/sessions/${s.id}/wait`, { text: 'absent', timeoutMs: 50 }); // 408
    await call('GET', '/v1/sessions');
    await call('GET', `/v1/sessions/${s.id}`);
    await call('GET', `/v1/sessions/${s.id}/ws`); // 426: no upgrade
    for (const f of ['text', 'json', 'ansi', 'html', 'svg', 'png']) await call('GET', `/v1/sessions/${s.id}/screen?format=${f}&scrollback=5`);
    await call('GET', `/v1/sessions/${s.id}/scrollback?start=0&count=5`);
    const cast = (await call('GET', `/v1/sessions/${s.id}/recording`)).body as string;
    for (const f of ['text', 'json', 'svg', 'png']) await call('POST', `/v1/render?format=${f}&at=0.5`, cast);
    await call('POST', '/v1/render', '{"version": 9}\n'); // 400
    await call('POST', '/v1/render', 'x'.repeat(5000)); // 413
    await call('GET', `/v1/sessions/${s.id}/scrollback?q=1`);
    await call('POST', `/v1/sessions/${s.id}/resize`, { cols: 50, rows: 10 });
    await call('POST', `/v1/sessions/${s.id}/input`, { mouse: { action: 'press', button: 'left', row: 0, col: 0 } }); // 409
    await call('POST', `/v1/sessions/${s.id}/input`, { text: 'x'.repeat(5000) }); // 413
    await call('POST', `/v1/sessions/${s.id}/wait`, { regex: '(' }); // 400
    await call('POST', '/v1/sessions', { command: 'bash', cols: 1 }); // 400
    await call('GET', '/v1/sessions/none'); // 404
    await call('DELETE', `/v1/sessions/${s.id}`);
    const a = (await call('POST', '/v1/sessions', { command: 'sleep', args: ['30'] })).body;
    await call('GET', `/v1/sessions/${a.id}/recording`); // 404 NOT_RECORDED
    const b = (await call('POST', '/v1/sessions', { command: 'sleep', args: ['30'] })).body;
    const c = (await call('POST', '/v1/sessions', { command: 'sleep', args: ['30'] })).body;
    expect((await call('POST', '/v1/sessions', { command: 'sleep', args: ['30'] })).status).toBe(429);
    for (const x of [a, b, c]) await call('DELETE', `/v1/sessions/${x.id}`);
  });

  it('/mcp: JSON-RPC answers, 405 and refusals', async () => {
    const init = { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '1' } } };
    expect((await call('POST', '/mcp', init, { accept: 'application/json, text/event-stream' })).status).toBe(200);
    expect((await call('POST', '/mcp', init)).status).toBe(406); // no Accept
    expect((await call('POST', '/mcp', { hello: 1 })).status).toBe(400);
    expect((await call('GET', '/mcp')).status).toBe(405);
    expect((await call('DELETE', '/mcp')).status).toBe(405);
  });
});
