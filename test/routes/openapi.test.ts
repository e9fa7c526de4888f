/**
 * openapi.yaml is the contract: it is what `npm run openapi` generates from the zod schemas,
 * every route the server registers is in it, and real responses (every route, success and
 * error statuses, every screen format) validate against the schemas it documents. It lints
 * clean in Redocly CLI (recommended-strict, the real linter), every operation has a stable
 * camelCase operationId, there are servers and no unused components; the running server serves
 * the same document at /openapi.json and Swagger UI at /docs, which renders every operation in
 * a real browser under the page's CSP.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import YAML from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { openapiYaml } from '../../src/openapi.js';
import { OPERATION_IDS } from '../../src/openapi-document.js';
import { startTestServer, type ApiResponse, type TestServer } from '../helpers/service.js';
import { launch } from '../viewer/browser.js';

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

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const REDOCLY = path.join(ROOT, 'node_modules/@redocly/cli/bin/cli.js');

interface LintReport { totals: { errors: number; warnings: number; ignored: number }; problems: { ruleId: string; location: { pointer: string }[] }[] }

/** `redocly lint openapi.yaml --format=json` in `dir` (its redocly.yaml and ignore file, if any). */
function redoclyLint(dir: string): { code: number | null; report: LintReport } {
  const r = spawnSync(process.execPath, [REDOCLY, 'lint', 'openapi.yaml', '--format=json'], {
    cwd: dir, encoding: 'utf8', timeout: 120_000,
    env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
  });
  const json = r.stdout.slice(r.stdout.indexOf('{'));
  return { code: r.status, report: JSON.parse(json) as LintReport };
}

const operations = Object.entries(doc.paths).flatMap(([p, ops]) =>
  Object.entries(ops as Record<string, { operationId?: string }>).map(([m, op]) => ({ key: `${m.toUpperCase()} ${p}`, id: op.operationId })));

describe('OpenAPI: lint and conventions', () => {
  it('Redocly CLI lints it clean (recommended-strict); the only findings are the five listed with reasons', () => {
    const clean = redoclyLint(ROOT);
    expect(clean.report.totals, JSON.stringify(clean.report.problems.map((p) => [p.ruleId, p.location[0]?.pointer]))).toEqual({ errors: 0, warnings: 0, ignored: 5 });
    expect(clean.code).toBe(0);
    // Without the ignore file: exactly what it lists, nothing more (so it hides nothing else).
    const dir = mkdtempSync(path.join(tmpdir(), 'termpool-redocly-'));
    try {
      for (const f of ['openapi.yaml', 'redocly.yaml']) copyFileSync(path.join(ROOT, f), path.join(dir, f));
      const bare = redoclyLint(dir);
      expect(bare.code).not.toBe(0);
      const found = bare.report.problems.map((p) => `${p.ruleId} ${p.location[0]!.pointer}`).sort();
      const listed = YAML.parse(readFileSync(path.join(ROOT, '.redocly.lint-ignore.yaml'), 'utf8')) as Record<string, Record<string, string[]>>;
      expect(found).toEqual(Object.entries(listed['openapi.yaml']!).flatMap(([rule, ptrs]) => ptrs.map((ptr) => `${rule} ${ptr}`)).sort());
      expect(found.every((f) => /^(operation-2xx-response|no-unused-components) /.test(f))).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('every operation has a unique camelCase operationId; the listed routes keep their names', () => {
    expect(operations.length).toBeGreaterThanOrEqual(20);
    for (const o of operations) expect(o.id, o.key).toMatch(/^[a-z][a-zA-Z0-9]*$/);
    expect(new Set(operations.map((o) => o.id)).size).toBe(operations.length);
    for (const o of operations) if (OPERATION_IDS[o.key] !== undefined) expect(o.id, o.key).toBe(OPERATION_IDS[o.key]);
    expect(operations.find((o) => o.key === 'POST /v1/sessions')?.id).toBe('createSession');
    expect(operations.find((o) => o.key === 'GET /v1/sessions/{id}/screen')?.id).toBe('getScreen');
  });

  it('has servers and a licence, and every component is reachable from an operation', () => {
    const full = doc as unknown as { servers: { url: string }[]; info: { license: { name: string } }; components: { schemas: Record<string, unknown> } };
    expect(full.servers.map((s) => s.url)).toEqual(['/', 'http://127.0.0.1:7681']);
    expect(full.info.license.name).toBe('MIT');
    const refs = (node: unknown): string[] => JSON.stringify(node).match(/#\/components\/schemas\/[A-Za-z0-9_]+/g)?.map((r) => r.split('/').pop()!) ?? [];
    const reached = new Set(refs(doc.paths));
    for (let todo = [...reached]; todo.length > 0;) {
      todo = todo.flatMap((n) => refs(full.components.schemas[n])).filter((n) => !reached.has(n));
      for (const n of todo) reached.add(n);
    }
    expect(Object.keys(full.components.schemas).sort()).toEqual([...reached].sort());
    expect(reached.size).toBeGreaterThanOrEqual(20);
  });
});

describe('OpenAPI: served by the server', () => {
  let srv: TestServer;
  beforeAll(async () => { srv = await startTestServer({ TERMPOOL_TOKEN: 'docs-token' }); });
  afterAll(async () => { await srv?.close(); });

  it('GET /openapi.json is openapi.yaml, as JSON; it and the docs page need the token', async () => {
    const r = await srv.api('GET', '/openapi.json');
    expect(r.status).toBe(200);
    expect(r.contentType).toBe('application/json; charset=utf-8');
    check('GET', '/openapi.json', r);
    expect(r.body).toEqual(YAML.parse(committed));
    for (const p of ['/openapi.json', '/docs', '/docs/swagger-ui.css', '/docs/docs.js']) {
      expect((await srv.api('GET', p, undefined, { authorization: '' })).status, p).toBe(401);
    }
  });

  it('GET /docs and its files: Swagger UI from swagger-ui-dist, under a CSP with no inline script', async () => {
    const page = await srv.api('GET', '/docs');
    check('GET', '/docs', page);
    expect(page.body).toContain('<div id="swagger-ui"></div>');
    expect(page.body).not.toMatch(/<script>|<script [^>]*>[^<]/); // every script is a file
    const csp = (await fetch(`${srv.url}/docs`, { headers: { authorization: 'Bearer docs-token' } })).headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self';");
    expect(csp).not.toContain('unsafe-eval');
    for (const [file, type] of [['swagger-ui-bundle.js', 'text/javascript'], ['swagger-ui.css', 'text/css'], ['docs.js', 'text/javascript']] as const) {
      const r = await srv.api('GET', `/docs/${file}`);
      check('GET', `/docs/${file}`, r);
      expect(r.contentType.startsWith(type), file).toBe(true);
    }
    const dist = readFileSync(path.join(ROOT, 'node_modules/swagger-ui-dist/swagger-ui.css'));
    expect((await srv.api('GET', '/docs/swagger-ui.css')).raw.equals(dist)).toBe(true);
    const js = (await srv.api('GET', '/docs/docs.js')).body as string;
    expect(js).toContain('validatorUrl: null');
    for (const bad of ['package.json', '..%2Fpackage.json', 'index.html', 'swagger-ui-bundle.js.map']) {
      const r = await srv.api('GET', `/docs/${bad}`);
      check('GET', `/docs/${bad}`, r);
      expect([bad, r.status]).toEqual([bad, 404]);
    }
  });

  it('the docs page renders every operation in chromium, with no CSP violation and no script error', async () => {
    const browser = await launch();
    try {
      const context = await browser.newContext({ extraHTTPHeaders: { authorization: 'Bearer docs-token' } });
      context.setDefaultTimeout(60_000); // a 1.8 MB bundle: slow on a loaded machine
      const page = await context.newPage();
      const problems: string[] = [];
      page.on('pageerror', (e) => problems.push(`error: ${e.message}`));
      page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
      page.on('requestfailed', (r) => problems.push(`failed: ${r.url()}`));
      await page.addInitScript({ content: "document.addEventListener('securitypolicyviolation', (e) => console.error('CSP: ' + e.violatedDirective + ' ' + e.blockedURI));" });
      const res = await page.goto(`${srv.url}/docs`);
      expect(res?.status()).toBe(200);
      await page.locator('.opblock').nth(operations.length - 1).waitFor();
      expect(await page.locator('.opblock').count()).toBe(operations.length);
      expect(await page.locator('.info .title').innerText()).toContain('termpool');
      // An operation opens, with its parameters and answers.
      await page.locator('#operations-sessions-createSession .opblock-summary').click();
      await page.locator('#operations-sessions-createSession .responses-table').first().waitFor();
      expect(problems).toEqual([]);
    } finally {
      await browser.close();
    }
  }, 120_000);
});
