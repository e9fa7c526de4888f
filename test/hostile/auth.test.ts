/**
 * Auth with a token set: every route openapi.yaml documents, except the ones it marks public
 * (`security: []`, i.e. /healthz), refuses missing, wrong, prefix-of, overlong and otherwise
 * mangled tokens with 401 — over HTTP and on the WebSocket upgrade — before looking at the body;
 * the right token works. Browsers' WebSocket upgrades carry it as a subprotocol
 * (`termpool.bearer.<base64url>`), refused the same way and never echoed back. The comparison is constant-time (SHA-256 digests + timingSafeEqual,
 * checked by reading src/plugins/auth.ts and by calling it), and the token never reaches the
 * server's log, even at trace level.
 */
import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { parse as parseYaml } from 'yaml';
import { bearerMatches, subprotocolMatches } from '../../src/plugins/auth.js';
import { createHash } from 'node:crypto';
import { startTestServer, type TestServer } from '../helpers/service.js';
import { spawnServer } from '../helpers/server-process.js';
import { rawRequest } from './raw-http.js';

const TOKEN = `tp-${randomBytes(24).toString('hex')}`;

const doc = parseYaml(readFileSync(new URL('../../openapi.yaml', import.meta.url), 'utf8')) as {
  paths: Record<string, Record<string, { security?: unknown[] }>>;
};
const ROUTES = Object.entries(doc.paths).flatMap(([path, ops]) =>
  Object.entries(ops)
    .filter(([m]) => ['get', 'post', 'put', 'patch', 'delete'].includes(m))
    .map(([m, op]) => ({ method: m.toUpperCase(), path, public: Array.isArray(op.security) && op.security.length === 0 })),
);

/** A body the route accepts, so the right token gets a 2xx. */
const BODIES: Record<string, unknown> = {
  'POST /v1/sessions': { command: 'true' },
  'POST /v1/sessions/{id}/resize': { cols: 80, rows: 24 },
  'POST /v1/sessions/{id}/input': { text: '' },
  'POST /v1/sessions/{id}/wait': { stableMs: 1, timeoutMs: 2000 },
  'POST /v1/sessions/{id}/run': { command: 'true', timeoutMs: 1000 },
  'POST /v1/sessions/{id}/signal': { signal: 'SIGWINCH' },
  'POST /v1/sessions/{id}/marker': { label: 'auth' },
  // An asciicast of just its header line is a JSON object too.
  'POST /v1/render': { version: 2, width: 10, height: 2 },
  'POST /mcp': { jsonrpc: '2.0', id: 1, method: 'ping' },
};
/** Headers a route needs besides auth to answer 2xx (MCP: the Accept the transport requires). */
const HEADERS: Record<string, Record<string, string>> = {
  'POST /mcp': { accept: 'application/json, text/event-stream' },
};
/**
 * Routes whose answer past auth is not a 2xx: the stateless MCP endpoint has no GET or DELETE;
 * the test's session runs no shell integration, so /run and /commands refuse it (409) — past auth.
 */
const STATUS: Record<string, number> = {
  'GET /mcp': 405, 'DELETE /mcp': 405,
  'POST /v1/sessions/{id}/run': 409, 'GET /v1/sessions/{id}/commands': 409,
  // A WebSocket endpoint: a plain GET with the token gets past auth to the 426 (test/routes/alis.test.ts upgrades).
  'GET /v1/sessions/{id}/alis': 426,
};

/** Authorization headers that must all be refused (undefined = no header at all). */
const WRONG: [string, string | undefined][] = [
  ['missing', undefined],
  ['empty', ''],
  ['scheme only', 'Bearer'],
  ['scheme and space', 'Bearer '],
  ['wrong token', 'Bearer wrong'],
  ['prefix of the token', `Bearer ${TOKEN.slice(0, -1)}`],
  ['first byte only', `Bearer ${TOKEN[0]}`],
  ['overlong (token + x)', `Bearer ${TOKEN}x`],
  ['token twice', `Bearer ${TOKEN}${TOKEN}`],
  ['token with a changed last byte', `Bearer ${TOKEN.slice(0, -1)}${TOKEN.endsWith('0') ? '1' : '0'}`],
  ['upper-cased token', `Bearer ${TOKEN.toUpperCase()}`],
  ['token without the scheme', TOKEN],
  ['Basic scheme', `Basic ${Buffer.from(`user:${TOKEN}`).toString('base64')}`],
  ['Token scheme', `Token ${TOKEN}`],
  ['two tokens', `Bearer wrong ${TOKEN}`],
  ['10 KB token', `Bearer ${'a'.repeat(10_000)}`],
  ['non-ASCII token', 'Bearer tökén'],
  ['NUL-padded', `Bearer ${TOKEN}%00`],
];

let srv: TestServer;
let id: string;
beforeAll(async () => {
  srv = await startTestServer({ TERMPOOL_TOKEN: TOKEN });
  // Recorded, so that GET .../recording has something to serve.
  const r = await srv.api('POST', '/v1/sessions', { command: 'bash', args: ['--norc', '--noprofile'], record: true });
  expect(r.status).toBe(201);
  id = r.body.id;
});
afterAll(async () => { await srv?.close(); });

const concrete = (path: string): string => path.replace('{id}', id);

describe('Auth: every route but /healthz needs the token', () => {
  it('openapi.yaml marks exactly /healthz and the web viewer\'s files public', () => {
    expect(ROUTES.filter((r) => r.public).map((r) => r.path).sort()).toEqual(['/', '/healthz', '/ui/{file}']);
    expect(ROUTES.length).toBeGreaterThanOrEqual(11);
  });

  it.each(ROUTES.filter((r) => !r.public).map((r) => [`${r.method} ${r.path}`, r] as const))('%s refuses every wrong token with 401', async (key, r) => {
    const body = BODIES[key];
    const failures: string[] = [];
    for (const [name, auth] of WRONG) {
      const res = await rawRequest(srv.url, {
        method: r.method,
        path: concrete(r.path),
        headers: { ...(auth !== undefined && { authorization: auth }), ...(body !== undefined && { 'content-type': 'application/json' }) },
        ...(body !== undefined && { body: JSON.stringify(body) }),
      });
      if (res.status !== 401) failures.push(`${name}: ${res.status} ${res.text.slice(0, 100)}`);
      else if (res.json?.error !== 'UNAUTHORIZED' || !/token/.test(res.json?.message)) failures.push(`${name}: body ${res.text.slice(0, 100)}`);
      else if (!/^Bearer/.test(res.headers['www-authenticate'] ?? '')) failures.push(`${name}: no WWW-Authenticate`);
      else if (res.text.includes(TOKEN)) failures.push(`${name}: the answer contains the token`);
    }
    expect(failures, failures.join('\n')).toEqual([]);
  });

  it('auth comes before everything else: no 400/404/413 leaks to a client without the token', async () => {
    for (const req of [
      { method: 'POST', path: '/v1/sessions', headers: { 'content-type': 'application/json' }, body: '{"broken":' },
      { method: 'POST', path: '/v1/sessions', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ command: 'x'.repeat(2 << 20) }) },
      { method: 'GET', path: '/v1/sessions/no-such-session' },
      { method: 'GET', path: `/v1/sessions/${id}/screen?format=bogus` },
      { method: 'POST', path: `/v1/sessions/${id}/input`, headers: { 'content-type': 'text/plain' }, body: 'x' },
    ]) {
      const r = await rawRequest(srv.url, req);
      expect(r.status, `${req.method} ${req.path}`).toBe(401);
    }
  });

  it('the right token works on every route; /healthz and the viewer\'s files need none', async () => {
    for (const r of ROUTES) {
      if (r.path.endsWith('/ws')) continue; // below
      const key = `${r.method} ${r.path}`;
      const path = concrete(r.path).replace('/docs/{file}', '/docs/docs.js').replace('{file}', 'term.html');
      // DELETE last, on a session of its own.
      const target = r.method === 'DELETE' ? path.replace(id, (await srv.api('POST', '/v1/sessions', { command: 'sleep', args: ['60'] })).body.id) : path;
      const headers: Record<string, string> = r.public ? {} : { authorization: `Bearer ${TOKEN}` };
      const body = BODIES[key];
      const res = await rawRequest(srv.url, {
        method: r.method, path: target,
        headers: { ...headers, ...HEADERS[key], ...(body !== undefined && { 'content-type': 'application/json' }) },
        ...(body !== undefined && { body: JSON.stringify(body) }),
      });
      if (STATUS[key] !== undefined) {
        expect(res.status, `${key}: ${res.text.slice(0, 200)}`).toBe(STATUS[key]);
        continue;
      }
      expect(res.status, `${key}: ${res.text.slice(0, 200)}`).toBeGreaterThanOrEqual(200);
      expect(res.status, `${key}: ${res.text.slice(0, 200)}`).toBeLessThan(300);
    }
    // Scheme case and surrounding spaces do not matter (RFC 7235: the scheme is case-insensitive).
    for (const auth of [`bearer ${TOKEN}`, `BEARER  ${TOKEN}`, `Bearer ${TOKEN} `]) {
      expect((await rawRequest(srv.url, { method: 'GET', path: '/v1/sessions', headers: { authorization: auth } })).status, auth.slice(0, 8)).toBe(200);
    }
  });
});

/** The status a WebSocket upgrade gets (101 when accepted). */
function upgrade(url: string, auth: string | undefined): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers: auth === undefined ? {} : { authorization: auth } });
    ws.on('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (d: Buffer) => { body += d.toString(); });
      res.on('end', () => { ws.terminate(); resolve({ status: res.statusCode ?? 0, body }); });
    });
    ws.on('open', () => { ws.close(); resolve({ status: 101, body: '' }); });
    ws.on('error', reject);
  });
}

describe('Auth: the WebSocket upgrade', () => {
  it('refuses every wrong token with 401 before the upgrade; the right one connects', async () => {
    const url = `${srv.url.replace('http', 'ws')}/v1/sessions/${id}/ws`;
    for (const [name, auth] of WRONG) {
      if (auth?.includes('ö')) continue; // not a valid header value for the ws client
      const r = await upgrade(url, auth);
      expect(r.status, name).toBe(401);
      expect(JSON.parse(r.body)).toMatchObject({ error: 'UNAUTHORIZED' });
    }
    // An unknown session without the token is 401 too (nothing about sessions leaks).
    expect((await upgrade(`${srv.url.replace('http', 'ws')}/v1/sessions/nope/ws`, undefined)).status).toBe(401);
    expect((await upgrade(url, `Bearer ${TOKEN}`)).status).toBe(101);
    // Refused upgrades left no socket open on the server.
    await new Promise((r) => setTimeout(r, 100));
    expect(srv.app.websocketServer.clients.size).toBe(0);
  });
});

/** An upgrade offering `protocols`: its status and the subprotocol the server selected. */
function upgradeWith(url: string, protocols: string[]): Promise<{ status: number; protocol: string | undefined; body: string }> {
  return new Promise((resolve, reject) => {
    // As a raw header: ws's own check would refuse the malformed lists tested here.
    const ws = new WebSocket(url, { headers: { 'sec-websocket-protocol': protocols.join(', ') } });
    ws.on('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (d: Buffer) => { body += d.toString(); });
      res.on('end', () => { ws.terminate(); resolve({ status: res.statusCode ?? 0, protocol: undefined, body }); });
    });
    // ws checks the selected protocol itself; read it from the raw 101 first.
    ws.on('upgrade', (res) => {
      const p = res.headers['sec-websocket-protocol'];
      resolve({ status: 101, protocol: Array.isArray(p) ? p.join(',') : p, body: '' });
    });
    ws.on('open', () => ws.close());
    ws.on('error', (err) => { if (!/subprotocol/i.test(err.message)) reject(err); });
  });
}

const b64url = (s: string): string => Buffer.from(s, 'utf8').toString('base64url');

describe('Auth: the token as a WebSocket subprotocol (browsers cannot set Authorization)', () => {
  it('the right token connects; the selected protocol is termpool.v1, never the bearer entry', async () => {
    const url = `${srv.url.replace('http', 'ws')}/v1/sessions/${id}/ws`;
    const ok = await upgradeWith(url, ['termpool.v1', `termpool.bearer.${b64url(TOKEN)}`]);
    expect(ok).toMatchObject({ status: 101, protocol: 'termpool.v1' });
    // Offered alone, the bearer entry is still not echoed: no protocol is selected.
    const alone = await upgradeWith(url, [`termpool.bearer.${b64url(TOKEN)}`]);
    expect(alone.status).toBe(101);
    expect(alone.protocol).toBeUndefined();
  });

  it('refuses wrong, mangled and misplaced subprotocol tokens with 401', async () => {
    const url = `${srv.url.replace('http', 'ws')}/v1/sessions/${id}/ws`;
    const wrong: [string, string[]][] = [
      ['no bearer entry', ['termpool.v1']],
      ['wrong token', ['termpool.v1', `termpool.bearer.${b64url('wrong')}`]],
      ['prefix of the token', ['termpool.v1', `termpool.bearer.${b64url(TOKEN.slice(0, -1))}`]],
      ['overlong', ['termpool.v1', `termpool.bearer.${b64url(TOKEN + 'x')}`]],
      ['token not base64url-encoded', ['termpool.v1', `termpool.bearer.${TOKEN.replace(/-/g, '')}`]],
      ['standard base64 with padding', ['termpool.v1', `termpool.bearer.${Buffer.from(TOKEN + 'ab').toString('base64')}`]],
      ['other prefix', ['termpool.v1', `bearer.${b64url(TOKEN)}`]],
      ['empty token', ['termpool.v1', 'termpool.bearer.']],
    ];
    for (const [name, protocols] of wrong) {
      const r = await upgradeWith(url, protocols);
      expect(r.status, name).toBe(401);
      expect(JSON.parse(r.body), name).toMatchObject({ error: 'UNAUTHORIZED' });
    }
    // Not an upgrade: the subprotocol header is no substitute for Authorization.
    const plain = await rawRequest(srv.url, {
      method: 'GET', path: '/v1/sessions', headers: { 'sec-websocket-protocol': `termpool.v1, termpool.bearer.${b64url(TOKEN)}` },
    });
    expect(plain.status).toBe(401);
    await new Promise((r) => setTimeout(r, 100));
    expect(srv.app.websocketServer.clients.size).toBe(0);
  });

  it('subprotocolMatches compares in constant time and never throws', () => {
    const expected = createHash('sha256').update(TOKEN).digest();
    for (const h of [undefined, '', 'termpool.bearer.', 'termpool.bearer.!!', `termpool.bearer.${'A'.repeat(1 << 20)}`, 'a, b, c']) {
      expect(() => subprotocolMatches(h, expected)).not.toThrow();
      expect(subprotocolMatches(h, expected)).toBe(false);
    }
    expect(subprotocolMatches(`termpool.v1, termpool.bearer.${b64url(TOKEN)}`, expected)).toBe(true);
    expect(subprotocolMatches(`termpool.bearer.${b64url(TOKEN)},termpool.v1`, expected)).toBe(true);
    expect(subprotocolMatches(`xtermpool.bearer.${b64url(TOKEN)}`, expected)).toBe(false);
  });
});

describe('Auth: constant-time comparison', () => {
  const src = readFileSync(new URL('../../src/plugins/auth.ts', import.meta.url), 'utf8');
  const code = src.replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');

  it('compares SHA-256 digests (equal lengths) with crypto.timingSafeEqual, never the strings', () => {
    expect(code).toMatch(/import\s*{[^}]*timingSafeEqual[^}]*}\s*from\s*'node:crypto'/);
    expect(code).toMatch(/createHash\('sha256'\)/);
    expect(code).toMatch(/timingSafeEqual\(\s*given\s*,\s*expected\s*\)/);
    // No early-exit comparison of the token or header anywhere.
    const comparisons = [...code.matchAll(/([\w.?[\]]+)\s*([!=]==?)\s*([\w.'"]+)/g)].map((m) => m[0].replace(/\s+/g, ' '));
    const allowed = new Set(["opts.token === ''", 'req.headers.upgrade !== undefined']);
    expect(comparisons.filter((c) => /token|header|given|expected|authorization/i.test(c) && !allowed.has(c))).toEqual([]);
    expect(code).not.toMatch(/\.startsWith\(|\.localeCompare\(|Buffer\.compare\(/);
  });

  it('tokens of any length, or none, are compared without throwing', () => {
    const expected = createHash('sha256').update(TOKEN).digest();
    for (const h of [undefined, '', 'Bearer', 'Bearer x', `Bearer ${TOKEN.slice(0, 1)}`, `Bearer ${TOKEN}x`, `Bearer ${'z'.repeat(1 << 20)}`, 'Bearer \u0000', `Bearer ${TOKEN}`]) {
      expect(() => bearerMatches(h, expected)).not.toThrow();
    }
    expect(bearerMatches(`Bearer ${TOKEN}`, expected)).toBe(true);
    expect(bearerMatches(`Bearer ${TOKEN}x`, expected)).toBe(false);
    expect(bearerMatches(`Bearer ${TOKEN.slice(0, -1)}`, expected)).toBe(false);
    expect(bearerMatches(undefined, createHash('sha256').update('').digest())).toBe(false);
  });
});

describe('Auth: the token is never logged', () => {
  it('a trace-level server log of failing and succeeding requests does not contain it', async () => {
    const server = await spawnServer({ TERMPOOL_TOKEN: TOKEN, TERMPOOL_LOG_LEVEL: 'trace' });
    try {
      const good = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };
      for (const [, auth] of WRONG) {
        await rawRequest(server.url, { method: 'GET', path: '/v1/sessions', headers: auth === undefined ? {} : { authorization: auth } });
      }
      const created = await rawRequest(server.url, { method: 'POST', path: '/v1/sessions', headers: good, body: JSON.stringify({ command: 'bash', args: ['--norc', '--noprofile'] }) });
      expect(created.status).toBe(201);
      const sid = created.json.id as string;
      for (const req of [
        { method: 'POST', path: `/v1/sessions/${sid}/input`, body: JSON.stringify({ text: 'echo hi\r' }) },
        { method: 'POST', path: `/v1/sessions/${sid}/wait`, body: JSON.stringify({ regex: '^hi$' }) },
        { method: 'GET', path: `/v1/sessions/${sid}/screen?format=json` },
        { method: 'GET', path: '/metrics' },
        { method: 'POST', path: '/v1/sessions', body: '{"broken":' },
        { method: 'POST', path: '/v1/sessions', body: JSON.stringify({ command: 'no-such-program' }) },
        { method: 'GET', path: '/v1/sessions/nope' },
        { method: 'POST', path: `/v1/sessions/${sid}/wait`, body: JSON.stringify({ regex: '(x+)+y', timeoutMs: 100 }) },
      ]) {
        await rawRequest(server.url, { ...req, headers: good });
      }
      const wsUrl = `${server.url.replace('http', 'ws')}/v1/sessions/${sid}/ws`;
      expect((await upgrade(wsUrl, `Bearer ${TOKEN}`)).status).toBe(101);
      expect((await upgrade(wsUrl, `Bearer ${TOKEN}x`)).status).toBe(401);
      expect((await upgrade(wsUrl, undefined)).status).toBe(401);
      expect((await upgradeWith(wsUrl, ['termpool.v1', `termpool.bearer.${b64url(TOKEN)}`])).status).toBe(101);
      expect((await upgradeWith(wsUrl, ['termpool.v1', `termpool.bearer.${b64url(TOKEN + 'x')}`])).status).toBe(401);
      const stop = await server.stop('SIGTERM');
      expect(stop.code).toBe(0);
      const log = server.log();
      // The log is real: it recorded the requests (so a token in it would have been caught).
      expect(log).toMatch(/"reqId"/);
      expect(log).toMatch(/"statusCode":401/);
      expect(log).toMatch(/\/v1\/sessions\/[0-9a-f]+\/ws/);
      expect(log.includes(TOKEN), 'the token appears in the log').toBe(false);
      expect(log.includes(TOKEN.slice(3)), 'the token (without prefix) appears in the log').toBe(false);
      expect(log.includes(Buffer.from(TOKEN).toString('base64').slice(0, 40))).toBe(false);
      expect(log.includes(b64url(TOKEN).slice(0, 40)), 'the subprotocol token appears in the log').toBe(false);
      expect(log).not.toMatch(/termpool\.bearer/);
      expect(log).not.toMatch(/authorization/i);
    } finally {
      await server.stop('SIGKILL');
    }
  });
});
