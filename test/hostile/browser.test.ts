/**
 * Browsers as attackers (src/plugins/host-guard.ts). A web page can make the user's browser talk
 * to 127.0.0.1 in two ways, both reproduced here with forged headers on raw requests:
 *
 * - DNS rebinding: the page's own name re-pointed at 127.0.0.1, so requests arrive with a Host
 *   that names the attacker's host. Without a token, every Host but loopback and the names in
 *   TERMPOOL_ALLOWED_HOSTS is refused (421) on every route, the WebSocket upgrade and /mcp
 *   included, before anything runs: no session is created, no process spawned.
 * - Cross-site requests and WebSocket hijacking: a foreign Origin on POST, DELETE, an upgrade or
 *   /mcp is refused (403), with or without a token (a right token does not help a foreign page).
 *
 * Also: the MCP transport's own DNS-rebinding check (behind the guard), nosniff on every answer,
 * no CORS headers, a sandboxing CSP on HTML/SVG renderings, and no live file: links.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { loadConfig } from '../../src/config.js';
import { Terminal } from '../../src/engine/index.js';
import errorsPlugin from '../../src/plugins/errors.js';
import { createHostGuard, hostName, isLoopbackName } from '../../src/plugins/host-guard.js';
import registryPlugin from '../../src/plugins/registry.js';
import { renderHtml, renderSvg } from '../../src/render/index.js';
import mcpRoutes from '../../src/routes/mcp.js';
import { startTestServer, type TestServer } from '../helpers/service.js';
import { teardown } from '../helpers/suite.js';
import { rawRequest, type RawRequest, type RawResponse } from './raw-http.js';

const TOKEN = 'browser-test-token';
const ALLOWED_ORIGIN = 'https://dash.example';

let open: TestServer; // no token: the default, loopback-only server
let tokened: TestServer;
let port: string;
let dir: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tp-browser-'));
  open = await startTestServer({ TERMPOOL_ALLOWED_HOSTS: 'termpool.test, Another.Example', TERMPOOL_ALLOWED_ORIGINS: `${ALLOWED_ORIGIN}, HTTP://Local.Example:80` });
  tokened = await startTestServer({ TERMPOOL_TOKEN: TOKEN });
  port = new URL(open.url).port;
});
afterAll(() => teardown(() => open?.close(), () => tokened?.close(), () => dir && rmSync(dir, { recursive: true, force: true })));

const MCP_INIT = JSON.stringify({
  jsonrpc: '2.0', id: 1, method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'evil', version: '1' } },
});
const MCP_HEADERS = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };

/** A POST /v1/sessions body whose program, if it ever ran, leaves `marker` behind. */
const spawnBody = (marker: string): string => JSON.stringify({ command: 'touch', args: [marker] });

/** A WebSocket upgrade with the given headers: 101, or the refusal's status and JSON body. */
function upgrade(srv: TestServer, path: string, headers: Record<string, string>): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${srv.url.replace('http', 'ws')}${path}`, { headers });
    ws.on('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (d: Buffer) => { body += d.toString(); });
      res.on('end', () => { ws.terminate(); resolve({ status: res.statusCode ?? 0, body: body === '' ? undefined : JSON.parse(body) }); });
    });
    ws.on('open', () => { ws.close(); resolve({ status: 101, body: undefined }); });
    ws.on('error', reject);
  });
}

/**
 * A request written by hand (HTTP/1.0 allows leaving Host out; HTTP/1.1 without it is refused by
 * Node itself). Resolves once the server closes the connection, with the status line's code.
 */
function rawText(srv: TestServer, text: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const s = net.connect(Number(new URL(srv.url).port), '127.0.0.1');
    let got = '';
    s.on('data', (d) => { got += d.toString('latin1'); });
    s.on('close', () => resolve({ status: Number(/^HTTP\/1\.[01] (\d{3})/.exec(got)?.[1] ?? 0), text: got }));
    s.on('error', reject);
    s.write(text, 'latin1');
  });
}

const sessionCount = async (srv: TestServer): Promise<number> => (await srv.api('GET', '/v1/sessions')).body.sessions.length;

/** Host values a rebinding page (or a confused client) may send; none names loopback. */
const REFUSED_HOSTS = (p: string): string[] => [
  'evil.example', `evil.example:${p}`, `127.0.0.1.nip.io:${p}`, `localhost.evil.example:${p}`, `localhost.:${p}`,
  `0.0.0.0:${p}`, '0.0.0.0', `127.1:${p}`, `2130706433:${p}`, '0x7f000001', `[::ffff:127.0.0.1]:${p}`, '[::ffff:7f00:1]',
  '[0:0:0:0:0:0:0:1]', '127.0.0.01', '127.0.0.256', '127.0.0.1.', '127.0.0', '128.0.0.1', '10.0.0.1', '[::2]',
  `localhost:${p}0000`, `127.0.0.1:${p}, evil.example`, 'termpool.test.evil.example', 'evil.termpool.test',
  `localhost@evil.example:${p}`, '',
];

/** Host values that name this server: loopback spellings and the configured names. */
const ALLOWED_HOSTS = (p: string): string[] => [
  `localhost:${p}`, `LocalHost:${p}`, 'localhost', `127.0.0.1:${p}`, '127.0.0.1', '127.5.6.7', `127.255.255.255:${p}`,
  `[::1]:${p}`, '[::1]', 'termpool.test', `TermPool.Test:${p}`, 'another.example:8080',
];

describe('Browsers: the Host check (DNS rebinding), no token', () => {
  it('the host rules, unit by unit', () => {
    expect(hostName('LocalHost:80')).toBe('localhost');
    expect(hostName('[::1]:7681')).toBe('[::1]');
    expect(hostName('a:b:c')).toBeNull();
    expect(hostName('x:70000')).toBeNull();
    for (const n of ['localhost', '[::1]', '127.0.0.1', '127.0.0.0', '127.255.255.255', '127.10.0.200']) expect(isLoopbackName(n), n).toBe(true);
    for (const n of ['localhost.', '127.1', '127.0.0.01', '127.0.0.256', '127.0.0.1.', '2130706433', '0.0.0.0', '[::ffff:127.0.0.1]', '127.0.0.1.nip.io', 'localhost.evil.example']) {
      expect(isLoopbackName(n), n).toBe(false);
    }
    const g = createHostGuard({ token: '', allowedHosts: ['termpool.test'], allowedOrigins: [] });
    expect(g.hostAllowed(undefined)).toBe(false);
    expect(g.hostAllowed('termpool.test:1')).toBe(true);
    expect(createHostGuard({ token: 't', allowedHosts: [], allowedOrigins: [] }).hostAllowed('evil.example')).toBe(true);
  });

  it('POST /v1/sessions with a rebinding Host is refused with 421 before anything runs: no session, no process', async () => {
    const before = await sessionCount(open);
    const failures: string[] = [];
    for (const [i, host] of REFUSED_HOSTS(port).entries()) {
      const marker = join(dir, `spawned-${i}`);
      const r = await rawRequest(open.url, { method: 'POST', path: '/v1/sessions', headers: { host, 'content-type': 'application/json' }, body: spawnBody(marker) });
      if (r.status !== 421 || r.json?.error !== 'HOST_NOT_ALLOWED') failures.push(`${JSON.stringify(host)}: ${r.status} ${r.text.slice(0, 120)}`);
      else if (!r.json.message.includes('TERMPOOL_ALLOWED_HOSTS') || !r.json.message.includes(JSON.stringify(host))) failures.push(`${host}: message ${r.json.message}`);
    }
    expect(failures, failures.join('\n')).toEqual([]);
    expect(await sessionCount(open)).toBe(before);
    // Checked last, when a program started by an early request would long have run.
    expect(REFUSED_HOSTS(port).map((_, i) => join(dir, `spawned-${i}`)).filter((m) => existsSync(m))).toEqual([]);
  });

  it('a request with no Host at all (HTTP/1.0) is refused too', async () => {
    const marker = join(dir, 'spawned-nohost');
    const body = spawnBody(marker);
    const r = await rawText(open, `POST /v1/sessions HTTP/1.0\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`);
    expect(r.status).toBe(421);
    expect(r.text).toContain('HOST_NOT_ALLOWED');
    expect(existsSync(marker)).toBe(false);
    expect((await rawText(open, 'GET /v1/sessions HTTP/1.0\r\n\r\n')).status).toBe(421);
  });

  it('every other route answers a rebinding Host with 421 too: reads, the viewer, the API docs, /healthz, /mcp, 404s', async () => {
    const id = (await open.api('POST', '/v1/sessions', { command: 'sleep', args: ['60'] })).body.id as string;
    const reqs = [
      { method: 'GET', path: '/v1/sessions' },
      { method: 'GET', path: `/v1/sessions/${id}` },
      { method: 'GET', path: `/v1/sessions/${id}/screen?format=html` },
      { method: 'GET', path: '/metrics' },
      { method: 'GET', path: '/healthz' },
      { method: 'GET', path: '/' },
      { method: 'GET', path: '/ui/term.js' },
      { method: 'GET', path: '/openapi.json' },
      { method: 'GET', path: '/docs' },
      { method: 'GET', path: '/docs/swagger-ui-bundle.js' },
      { method: 'GET', path: '/no/such/route' },
      { method: 'GET', path: '/mcp' },
      { method: 'POST', path: '/mcp', headers: MCP_HEADERS, body: MCP_INIT },
      { method: 'DELETE', path: `/v1/sessions/${id}` },
      { method: 'POST', path: `/v1/sessions/${id}/input`, headers: { 'content-type': 'application/json' }, body: '{"text":"x"}' },
    ];
    const failures: string[] = [];
    for (const host of REFUSED_HOSTS(port)) {
      for (const q of reqs) {
        const r = await rawRequest(open.url, { ...q, headers: { ...q.headers, host } });
        if (r.status !== 421 || r.json?.error !== 'HOST_NOT_ALLOWED') failures.push(`${q.method} ${q.path} Host ${JSON.stringify(host)}: ${r.status} ${r.text.slice(0, 80)}`);
      }
    }
    expect(failures, failures.join('\n')).toEqual([]);
    expect((await open.api('GET', `/v1/sessions/${id}`)).body.state).toBe('running');
    await open.api('DELETE', `/v1/sessions/${id}`);
  });

  it('the WebSocket upgrade with a rebinding Host is refused with 421 and its socket closed', async () => {
    const id = (await open.api('POST', '/v1/sessions', { command: 'sleep', args: ['60'] })).body.id as string;
    for (const host of [`evil.example:${port}`, `0.0.0.0:${port}`, `127.0.0.1.nip.io:${port}`, `localhost.evil.example:${port}`]) {
      const r = await upgrade(open, `/v1/sessions/${id}/ws`, { host });
      expect(r.status, host).toBe(421);
      expect(r.body).toMatchObject({ error: 'HOST_NOT_ALLOWED' });
    }
    // By hand: the server closes the connection after refusing (it would otherwise linger).
    const r = await rawText(open, `GET /v1/sessions/${id}/ws HTTP/1.1\r\nHost: evil.example\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n` +
      `Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: ${Buffer.alloc(16, 1).toString('base64')}\r\n\r\n`);
    expect(r.status).toBe(421);
    expect(open.app.websocketServer.clients.size).toBe(0);
    await open.api('DELETE', `/v1/sessions/${id}`);
  });

  it('loopback Hosts and the names in TERMPOOL_ALLOWED_HOSTS are answered (REST, create, WebSocket, /mcp)', async () => {
    const failures: string[] = [];
    for (const host of ALLOWED_HOSTS(port)) {
      const list = await rawRequest(open.url, { method: 'GET', path: '/v1/sessions', headers: { host } });
      if (list.status !== 200) failures.push(`GET ${host}: ${list.status}`);
      const made = await rawRequest(open.url, { method: 'POST', path: '/v1/sessions', headers: { host, 'content-type': 'application/json' }, body: '{"command":"sleep","args":["60"]}' });
      if (made.status !== 201) { failures.push(`POST ${host}: ${made.status} ${made.text.slice(0, 80)}`); continue; }
      const ws = await upgrade(open, `/v1/sessions/${made.json.id}/ws`, { host });
      if (ws.status !== 101) failures.push(`upgrade ${host}: ${ws.status}`);
      const mcp = await rawRequest(open.url, { method: 'POST', path: '/mcp', headers: { host, ...MCP_HEADERS }, body: MCP_INIT });
      if (mcp.status !== 200 || mcp.json?.result?.serverInfo?.name !== 'termpool') failures.push(`mcp ${host}: ${mcp.status} ${mcp.text.slice(0, 80)}`);
      const del = await rawRequest(open.url, { method: 'DELETE', path: `/v1/sessions/${made.json.id}`, headers: { host } });
      if (del.status !== 200) failures.push(`DELETE ${host}: ${del.status}`);
    }
    expect(failures, failures.join('\n')).toEqual([]);
  });
});

describe('Browsers: the settings', () => {
  it('TERMPOOL_ALLOWED_HOSTS / _ORIGINS are lower-cased lists; wildcards, null, ports on hosts and paths on origins are refused', () => {
    const c = loadConfig({ TERMPOOL_ALLOWED_HOSTS: ' A.Example , b.example,[FD00::1]', TERMPOOL_ALLOWED_ORIGINS: 'HTTPS://X.Example:443, http://y.example:80, http://z:8080' });
    expect(c.allowedHosts).toEqual(['a.example', 'b.example', '[fd00::1]']);
    expect(c.allowedOrigins).toEqual(['https://x.example', 'http://y.example', 'http://z:8080']);
    expect(loadConfig({})).toMatchObject({ allowedHosts: [], allowedOrigins: [] });
    for (const bad of ['*', '*.example.com', 'a.example:8080', 'http://a.example', 'a b', 'a..example']) {
      expect(() => loadConfig({ TERMPOOL_ALLOWED_HOSTS: bad }), bad).toThrow(/TERMPOOL_ALLOWED_HOSTS/);
    }
    for (const bad of ['*', 'null', 'a.example', 'http://a.example/', 'http://a.example/path', 'http://*.example', 'http://a.example:8080?x']) {
      expect(() => loadConfig({ TERMPOOL_ALLOWED_ORIGINS: bad }), bad).toThrow(/TERMPOOL_ALLOWED_ORIGINS/);
    }
  });
});

describe('Browsers: the Host check with a token', () => {
  it('any Host is answered (the token protects), and the token is still needed', async () => {
    for (const host of ['evil.example', `0.0.0.0:${port}`, 'termpool.pod-3.svc.cluster.local:7681']) {
      const r = await rawRequest(tokened.url, { method: 'GET', path: '/v1/sessions', headers: { host, authorization: `Bearer ${TOKEN}` } });
      expect(r.status, host).toBe(200);
      expect((await rawRequest(tokened.url, { method: 'GET', path: '/v1/sessions', headers: { host } })).status, host).toBe(401);
    }
  });
});

describe('Browsers: the Origin check (cross-site requests, WebSocket hijacking)', () => {
  const FOREIGN = (p: string): string[] => [
    'http://evil.example', 'https://evil.example', 'null', `http://localhost:${p}`, `http://127.0.0.1:${Number(p) + 1}`,
    'http://127.0.0.1', `http://127.0.0.1:${p}.evil.example`, `ws://127.0.0.1:${p}`, `http://127.0.0.1:${p}/`, 'https://dash.example.evil',
    `HTTP://127.0.0.1:${p}`, // browsers write origins in lower case; compared exactly
  ];

  it('POST /v1/sessions from a foreign page is refused with 403 and runs nothing', async () => {
    const before = await sessionCount(open);
    const failures: string[] = [];
    for (const [i, origin] of FOREIGN(port).entries()) {
      const marker = join(dir, `origin-${i}`);
      const r = await rawRequest(open.url, { method: 'POST', path: '/v1/sessions', headers: { origin, 'content-type': 'application/json' }, body: spawnBody(marker) });
      if (r.status !== 403 || r.json?.error !== 'ORIGIN_NOT_ALLOWED') failures.push(`${origin}: ${r.status} ${r.text.slice(0, 100)}`);
      else if (!r.json.message.includes('TERMPOOL_ALLOWED_ORIGINS')) failures.push(`${origin}: message ${r.json.message}`);
    }
    expect(failures, failures.join('\n')).toEqual([]);
    expect(await sessionCount(open)).toBe(before);
    expect(FOREIGN(port).map((_, i) => join(dir, `origin-${i}`)).filter((m) => existsSync(m))).toEqual([]);
  });

  it('a foreign page cannot DELETE, type input, resize, open the WebSocket or call /mcp', async () => {
    const id = (await open.api('POST', '/v1/sessions', { command: 'cat' })).body.id as string;
    const origin = 'http://evil.example';
    const json = { 'content-type': 'application/json' };
    for (const q of [
      { method: 'DELETE', path: `/v1/sessions/${id}` },
      { method: 'POST', path: `/v1/sessions/${id}/input`, headers: json, body: '{"text":"pwned\\n"}' },
      { method: 'POST', path: `/v1/sessions/${id}/resize`, headers: json, body: '{"cols":20,"rows":5}' },
      { method: 'POST', path: '/mcp', headers: MCP_HEADERS, body: MCP_INIT },
      { method: 'GET', path: '/mcp' },
      { method: 'DELETE', path: '/mcp' },
    ]) {
      const r = await rawRequest(open.url, { ...q, headers: { ...q.headers, origin } });
      expect(r.status, `${q.method} ${q.path}`).toBe(403);
      expect(r.json, `${q.method} ${q.path}`).toMatchObject({ error: 'ORIGIN_NOT_ALLOWED' });
    }
    for (const o of [origin, 'null', `http://localhost:${Number(port) + 1}`]) {
      const ws = await upgrade(open, `/v1/sessions/${id}/ws`, { origin: o });
      expect(ws.status, o).toBe(403);
      expect(ws.body).toMatchObject({ error: 'ORIGIN_NOT_ALLOWED' });
    }
    expect(open.app.websocketServer.clients.size).toBe(0);
    const s = (await open.api('GET', `/v1/sessions/${id}`)).body;
    expect(s).toMatchObject({ state: 'running', cols: 80, rows: 24 });
    expect((await open.api('GET', `/v1/sessions/${id}/screen?format=text`)).body).not.toContain('pwned');
    await open.api('DELETE', `/v1/sessions/${id}`);
  });

  it('a browser request without Origin but marked Sec-Fetch-Site: cross-site / same-site is refused', async () => {
    for (const site of ['cross-site', 'same-site']) {
      const marker = join(dir, `site-${site}`);
      const r = await rawRequest(open.url, { method: 'POST', path: '/v1/sessions', headers: { 'sec-fetch-site': site, 'content-type': 'application/json' }, body: spawnBody(marker) });
      expect(r.status, site).toBe(403);
      expect(r.json).toMatchObject({ error: 'ORIGIN_NOT_ALLOWED' });
      expect(existsSync(marker)).toBe(false);
    }
    for (const site of ['same-origin', 'none']) {
      const r = await rawRequest(open.url, { method: 'POST', path: '/v1/sessions', headers: { 'sec-fetch-site': site, 'content-type': 'application/json' }, body: '{"command":"true"}' });
      expect(r.status, site).toBe(201);
    }
  });

  it('the server\'s own origin, https in front of it, and TERMPOOL_ALLOWED_ORIGINS are accepted; GETs and curl are untouched', async () => {
    for (const [host, origin] of [
      [`127.0.0.1:${port}`, `http://127.0.0.1:${port}`],
      [`localhost:${port}`, `http://localhost:${port}`],
      [`[::1]:${port}`, `http://[::1]:${port}`],
      ['termpool.test', 'https://termpool.test'],
      [`127.0.0.1:${port}`, ALLOWED_ORIGIN],
      [`127.0.0.1:${port}`, 'http://local.example'], // configured as HTTP://Local.Example:80
    ] as const) {
      const made = await rawRequest(open.url, { method: 'POST', path: '/v1/sessions', headers: { host, origin, 'content-type': 'application/json' }, body: '{"command":"sleep","args":["60"]}' });
      expect(made.status, `${host} ${origin}: ${made.text.slice(0, 100)}`).toBe(201);
      const ws = await upgrade(open, `/v1/sessions/${made.json.id}/ws`, { host, origin });
      expect(ws.status, `${host} ${origin}`).toBe(101);
      const mcp = await rawRequest(open.url, { method: 'POST', path: '/mcp', headers: { host, origin, ...MCP_HEADERS }, body: MCP_INIT });
      expect(mcp.status, `${host} ${origin}`).toBe(200);
      expect((await rawRequest(open.url, { method: 'DELETE', path: `/v1/sessions/${made.json.id}`, headers: { host, origin } })).status).toBe(200);
    }
    // Reads from any page: the answer is unreadable cross-site anyway (no CORS headers).
    const get = await rawRequest(open.url, { method: 'GET', path: '/v1/sessions', headers: { origin: 'http://evil.example' } });
    expect(get.status).toBe(200);
    expect(Object.keys(get.headers).filter((h) => h.startsWith('access-control-'))).toEqual([]);
    // curl: no Origin, no Sec-Fetch-Site.
    const curl = await rawRequest(open.url, { method: 'POST', path: '/v1/sessions', headers: { 'content-type': 'application/json' }, body: '{"command":"true"}' });
    expect(curl.status).toBe(201);
  });

  it('no CORS: a preflight from a foreign page gets no Access-Control-Allow-* header', async () => {
    for (const srv of [open, tokened]) {
      const r = await rawRequest(srv.url, {
        method: 'OPTIONS', path: '/v1/sessions',
        headers: { origin: 'http://evil.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type, authorization' },
      });
      expect(r.status).toBeGreaterThanOrEqual(400);
      expect(Object.keys(r.headers).filter((h) => h.startsWith('access-control-'))).toEqual([]);
    }
  });

  it('with a token, a foreign page holding the right token is still refused (POST, DELETE, WebSocket, /mcp)', async () => {
    const auth = { authorization: `Bearer ${TOKEN}` };
    const id = (await tokened.api('POST', '/v1/sessions', { command: 'sleep', args: ['60'] })).body.id as string;
    const origin = 'http://evil.example';
    const marker = join(dir, 'tokened');
    for (const q of [
      { method: 'POST', path: '/v1/sessions', headers: { 'content-type': 'application/json' }, body: spawnBody(marker) },
      { method: 'DELETE', path: `/v1/sessions/${id}` },
      { method: 'POST', path: '/mcp', headers: MCP_HEADERS, body: MCP_INIT },
    ]) {
      const r = await rawRequest(tokened.url, { ...q, headers: { ...q.headers, ...auth, origin } });
      expect(r.status, `${q.method} ${q.path}`).toBe(403);
      expect(r.json).toMatchObject({ error: 'ORIGIN_NOT_ALLOWED' });
    }
    expect(existsSync(marker)).toBe(false);
    const ws = await upgrade(tokened, `/v1/sessions/${id}/ws`, { ...auth, origin });
    expect(ws.status).toBe(403);
    // The server's own origin with the token is fine (the viewer).
    const own = await upgrade(tokened, `/v1/sessions/${id}/ws`, { ...auth, origin: tokened.url });
    expect(own.status).toBe(101);
    expect((await rawRequest(tokened.url, { method: 'DELETE', path: `/v1/sessions/${id}`, headers: { ...auth, origin: tokened.url } })).status).toBe(200);
  });
});

describe('Browsers: the MCP transport\'s own DNS-rebinding check (behind the guard)', () => {
  let bare: FastifyInstance;
  beforeAll(async () => {
    // /mcp alone, with the guard's rules but not its hook: what the SDK refuses by itself.
    bare = Fastify();
    bare.setValidatorCompiler(validatorCompiler);
    bare.setSerializerCompiler(serializerCompiler);
    await bare.register(errorsPlugin);
    await bare.register(registryPlugin, { config: loadConfig({ TERMPOOL_ARCHIVE: 'off' }) });
    bare.decorate('hostGuard', createHostGuard({ token: '', allowedHosts: [], allowedOrigins: [] }));
    await bare.register(mcpRoutes);
    await bare.listen({ host: '127.0.0.1', port: 0 });
  });
  afterAll(async () => { await bare?.close(); });

  it('refuses a rebinding Host and a foreign Origin; answers a loopback one', async () => {
    const addr = bare.server.address();
    const url = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
    const post = (headers: Record<string, string>): Promise<RawResponse> => rawRequest(url, { method: 'POST', path: '/mcp', headers: { ...MCP_HEADERS, ...headers }, body: MCP_INIT });
    const host = await post({ host: 'evil.example' });
    expect(host.status).toBe(403);
    expect(host.json).toMatchObject({ jsonrpc: '2.0', error: { message: expect.stringMatching(/Invalid Host/) } });
    const origin = await post({ origin: 'http://evil.example' });
    expect(origin.status).toBe(403);
    expect(origin.json).toMatchObject({ error: { message: expect.stringMatching(/Invalid Origin/) } });
    expect((await post({ origin: url })).status).toBe(200);
    expect((await post({})).status).toBe(200);
  });
});

describe('Browsers: headers on what a browser may open', () => {
  it('every answer says nosniff: JSON, text, errors, refusals, the viewer, /mcp', async () => {
    const id = (await open.api('POST', '/v1/sessions', { command: 'sleep', args: ['60'] })).body.id as string;
    for (const q of [
      { method: 'GET', path: '/healthz' },
      { method: 'GET', path: '/v1/sessions' },
      { method: 'GET', path: `/v1/sessions/${id}/screen?format=text` },
      { method: 'GET', path: `/v1/sessions/${id}/screen?format=ansi` },
      { method: 'GET', path: '/no/such/route' },
      { method: 'GET', path: '/v1/sessions/nope' },
      { method: 'GET', path: '/' },
      { method: 'POST', path: '/mcp', headers: MCP_HEADERS, body: MCP_INIT },
      { method: 'GET', path: '/v1/sessions', headers: { host: 'evil.example' } },
      { method: 'DELETE', path: `/v1/sessions/${id}`, headers: { origin: 'http://evil.example' } },
    ] as RawRequest[]) {
      const r = await rawRequest(open.url, q);
      expect(r.headers['x-content-type-options'], `${q.method} ${q.path} (${r.status})`).toBe('nosniff');
    }
    await open.api('DELETE', `/v1/sessions/${id}`);
  });

  it('HTML and SVG screens (and /v1/render) come with a CSP that allows no script, no load, and sandboxes the page', async () => {
    const id = (await open.api('POST', '/v1/sessions', { command: 'printf', args: ['\\033]8;;https://e.com/\\033\\\\site\\033]8;;\\033\\\\ <b>x</b>\\n'] })).body.id as string;
    await open.api('POST', `/v1/sessions/${id}/wait`, { exit: true, timeoutMs: 5000 });
    const cast = `{"version":2,"width":20,"height":2}\n[0.1,"o","hi"]\n`;
    for (const [what, r] of [
      ['screen html', await rawRequest(open.url, { method: 'GET', path: `/v1/sessions/${id}/screen?format=html` })],
      ['screen svg', await rawRequest(open.url, { method: 'GET', path: `/v1/sessions/${id}/screen?format=svg` })],
      ['render html', await rawRequest(open.url, { method: 'POST', path: '/v1/render?format=html', headers: { 'content-type': 'application/x-asciicast' }, body: cast })],
      ['render svg', await rawRequest(open.url, { method: 'POST', path: '/v1/render?format=svg', headers: { 'content-type': 'application/x-asciicast' }, body: cast })],
    ] as const) {
      expect(r.status, what).toBe(200);
      const csp = (r.headers['content-security-policy'] ?? '').split(';').map((d) => d.trim());
      expect(csp, what).toEqual(expect.arrayContaining(["default-src 'none'", "style-src 'unsafe-inline'", 'sandbox', "frame-ancestors 'none'"]));
      expect(csp.join(';'), what).not.toMatch(/script-src|unsafe-eval|\*/);
      expect(r.headers['referrer-policy'], what).toBe('no-referrer');
      expect(r.headers['x-content-type-options'], what).toBe('nosniff');
    }
    const html = await rawRequest(open.url, { method: 'GET', path: `/v1/sessions/${id}/screen?format=html` });
    expect(html.text).toContain('<a href="https://e.com/" rel="noopener noreferrer nofollow">site</a> &lt;b&gt;x&lt;/b&gt;');
    // The other formats carry no page policy (they are not pages).
    const text = await rawRequest(open.url, { method: 'GET', path: `/v1/sessions/${id}/screen?format=text` });
    expect(text.headers['content-security-policy']).toBeUndefined();
    await open.api('DELETE', `/v1/sessions/${id}`);
  });
});

describe('Browsers: renderings make no file: link live', () => {
  const snapOf = (bytes: string) => { const t = new Terminal({ cols: 40, rows: 2 }); t.write(bytes); return t.snapshot(); };
  const osc8 = (uri: string, text: string): string => `\x1b]8;;${uri}\x1b\\${text}\x1b]8;;\x1b\\`;

  it('file:, javascript:, data: and custom schemes stay text in HTML and SVG; http(s), mailto and ftp are links', () => {
    for (const uri of ['file:///etc/passwd', 'FILE://attacker/share/x', 'javascript:alert(1)', 'data:text/html,x', 'ftps://e/x', 'vscode://file/x', 'smb://attacker/x']) {
      const s = snapOf(osc8(uri, 'click') + ' me');
      for (const out of [renderHtml(s), renderSvg(s)]) {
        expect(out, uri).not.toContain('<a ');
        expect(out, uri).toContain('click');
      }
    }
    for (const uri of ['https://e.com/', 'http://e.com/', 'mailto:a@e.com', 'ftp://e.com/f']) {
      const s = snapOf(osc8(uri, 'click'));
      expect(renderHtml(s), uri).toContain(`<a href="${uri}"`);
      expect(renderSvg(s), uri).toContain(`<a href="${uri}"`);
    }
  });

  it('over HTTP too: a program printing a file: link gets text, not a link', async () => {
    const id = (await open.api('POST', '/v1/sessions', { command: 'printf', args: ['\\033]8;;file:///etc/passwd\\033\\\\secrets\\033]8;;\\033\\\\\\n'] })).body.id as string;
    await open.api('POST', `/v1/sessions/${id}/wait`, { exit: true, timeoutMs: 5000 });
    for (const format of ['html', 'svg']) {
      const r = await rawRequest(open.url, { method: 'GET', path: `/v1/sessions/${id}/screen?format=${format}` });
      expect(r.text, format).toContain('secrets');
      expect(r.text, format).not.toContain('file:');
    }
    // The JSON snapshot keeps the URI: it is data, not a link.
    expect((await open.api('GET', `/v1/sessions/${id}/screen?format=json`)).body.links).toEqual(['file:///etc/passwd']);
    await open.api('DELETE', `/v1/sessions/${id}`);
  });
});
