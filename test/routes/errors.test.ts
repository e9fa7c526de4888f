/**
 * Client mistakes get coded 4xx answers, never a 5xx: validation (400), unknown session (404),
 * exited session (409), body too large (413), session cap (429), auth (401).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startTestServer, type TestServer } from '../helpers/service.js';

/** HTTP status a WebSocket upgrade is refused with (101 if it was accepted). */
function upgradeStatus(url: string, authorization?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers: authorization ? { authorization } : {} });
    ws.on('unexpected-response', (_req, res) => { resolve(res.statusCode ?? 0); res.resume(); ws.terminate(); });
    ws.on('open', () => { resolve(101); ws.close(); });
    ws.on('error', (err) => reject(err));
  });
}

let srv: TestServer;
let dir: string;
beforeAll(async () => {
  srv = await startTestServer({ TERMPOOL_BODY_LIMIT: '65536', TERMPOOL_MAX_COLS: '300', TERMPOOL_MAX_ROWS: '100' });
  dir = mkdtempSync(join(tmpdir(), 'termpool-routes-'));
});
afterAll(async () => {
  await srv?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const sleeper = { command: 'sleep', args: ['30'] };

describe('Errors: 400 for bad requests', () => {
  it.each([
    ['missing command', {}, 'VALIDATION'],
    ['unknown field', { ...sleeper, colour: 'red' }, 'VALIDATION'],
    ['cols not an integer', { ...sleeper, cols: 'wide' }, 'VALIDATION'],
    ['cols over the configured limit', { ...sleeper, cols: 301 }, 'BAD_SIZE'],
    ['rows over the configured limit', { ...sleeper, rows: 101 }, 'BAD_SIZE'],
    ['scrollback over the limit', { ...sleeper, scrollback: 10_000_000 }, 'BAD_SIZE'],
    ['cwd missing', { ...sleeper, cwd: '/definitely/not/here' }, 'BAD_CWD'],
    ['cwd relative', { ...sleeper, cwd: 'tmp' }, 'BAD_CWD'],
    ['command not found', { command: 'no-such-program-xyz' }, 'SPAWN_FAILED'],
    ['bad env name', { ...sleeper, env: { 'A=B': 'x' } }, 'VALIDATION'],
  ])('POST /v1/sessions: %s', async (_name, body, code) => {
    const r = await srv.api('POST', '/v1/sessions', body);
    expect(r.status).toBe(400);
    expect(r.body.error).toBe(code);
    expect(r.body.message).toEqual(expect.any(String));
  });

  it('cwd that is a file', async () => {
    const file = join(dir, 'f');
    writeFileSync(file, 'x');
    const r = await srv.api('POST', '/v1/sessions', { ...sleeper, cwd: file });
    expect(r).toMatchObject({ status: 400, body: { error: 'BAD_CWD' } });
    expect(r.body.message).toContain('not a directory');
  });

  it('validation errors carry details', async () => {
    const r = await srv.api('POST', '/v1/sessions', { command: 'sleep', cols: -1 });
    expect(r.status).toBe(400);
    expect(r.body.details).toMatchObject({ context: 'body', issues: [expect.objectContaining({ path: '/cols' })] });
  });

  it('malformed JSON and wrong content type', async () => {
    expect((await srv.api('POST', '/v1/sessions', '{"command":', { 'content-type': 'application/json' })).status).toBe(400);
    const r = await srv.api('POST', '/v1/sessions', 'command=bash', { 'content-type': 'application/x-www-form-urlencoded' });
    expect(r.status).toBe(415);
  });

  it('input, wait, screen and resize validate their requests', async () => {
    const s = (await srv.api('POST', '/v1/sessions', { command: 'bash', args: ['-c', 'printf "%s!\\n" $(printf "x%.0s" {1..40}); sleep 30'], cwd: dir })).body;
    const bad = async (method: string, path: string, body?: unknown): Promise<string> => {
      const r = await srv.api(method, `/v1/sessions/${s.id}${path}`, body);
      expect(r.status, `${method} ${path} ${JSON.stringify(r.body)}`).toBe(400);
      return r.body.error;
    };
    expect(await bad('POST', '/input', { text: 'a', keys: ['Enter'] })).toBe('VALIDATION');
    expect(await bad('POST', '/input', {})).toBe('VALIDATION');
    expect(await bad('POST', '/input', { keys: ['Enter', 'NoSuchKey'] })).toBe('TP_BAD_KEY');
    expect(await bad('POST', '/wait', { timeoutMs: 10 })).toBe('VALIDATION');
    const re = await srv.api('POST', `/v1/sessions/${s.id}/wait`, { regex: 'a(b' });
    expect(re).toMatchObject({ status: 400, body: { error: 'BAD_REGEX' } });
    expect(re.body.message).toContain('"a(b"');
    expect(await bad('GET', '/screen?format=bmp')).toBe('VALIDATION');
    // A catastrophically backtracking regex fails its own request and nothing else.
    await srv.api('POST', `/v1/sessions/${s.id}/wait`, { stableMs: 1, timeoutMs: 1000 });
    const redos = await srv.api('POST', `/v1/sessions/${s.id}/wait`, { regex: '(x+)+$', timeoutMs: 5000 });
    expect(redos).toMatchObject({ status: 400, body: { error: 'BAD_REGEX' } });
    expect(redos.body.message).toMatch(/took over/);
    expect((await srv.api('GET', '/healthz')).status).toBe(200);
    expect(await bad('GET', '/screen?scrollback=-1')).toBe('VALIDATION');
    expect(await bad('POST', '/resize', { cols: 5000, rows: 10 })).toBe('VALIDATION');
    expect(await bad('POST', '/resize', { cols: 301, rows: 10 })).toBe('BAD_SIZE');
    // Mouse while the program has not enabled mouse tracking: a conflict, not a bad request.
    const m = await srv.api('POST', `/v1/sessions/${s.id}/input`, { mouse: { action: 'press', button: 'left', row: 0, col: 0 } });
    expect(m).toMatchObject({ status: 409, body: { error: 'TP_MOUSE_OFF' } });
    await srv.api('DELETE', `/v1/sessions/${s.id}`);
  });
});

describe('Errors: 404, 409, 413', () => {
  it('unknown session and unknown route', async () => {
    for (const [method, path, body] of [
      ['GET', '/v1/sessions/nope'], ['DELETE', '/v1/sessions/nope'], ['GET', '/v1/sessions/nope/screen'],
      ['POST', '/v1/sessions/nope/input', { text: 'x' }], ['POST', '/v1/sessions/nope/wait', { text: 'x' }],
      ['GET', '/v1/sessions/nope/scrollback'], ['POST', '/v1/sessions/nope/resize', { cols: 10, rows: 10 }],
    ] as const) {
      const r = await srv.api(method, path, body);
      expect(r.status, `${method} ${path}`).toBe(404);
      expect(r.body.error).toBe('SESSION_NOT_FOUND');
    }
    expect((await srv.api('GET', '/v2/nothing')).body.error).toBe('ROUTE_NOT_FOUND');
  });

  it('input to an exited session is 409', async () => {
    const s = (await srv.api('POST', '/v1/sessions', { command: 'true' })).body;
    await srv.api('POST', `/v1/sessions/${s.id}/wait`, { exit: true });
    const r = await srv.api('POST', `/v1/sessions/${s.id}/input`, { keys: ['Enter'] });
    expect(r).toMatchObject({ status: 409, body: { error: 'SESSION_EXITED' } });
  });

  it('a body over TERMPOOL_BODY_LIMIT is 413', async () => {
    const s = (await srv.api('POST', '/v1/sessions', sleeper)).body;
    const r = await srv.api('POST', `/v1/sessions/${s.id}/input`, { text: 'x'.repeat(70_000) });
    expect(r).toMatchObject({ status: 413, body: { error: 'BODY_TOO_LARGE' } });
    await srv.api('DELETE', `/v1/sessions/${s.id}`);
  });
});

describe('Errors: session cap', () => {
  it('over TERMPOOL_MAX_SESSIONS is 429; an exited session makes room', async () => {
    const small = await startTestServer({ TERMPOOL_MAX_SESSIONS: '2' });
    try {
      const a = await small.api('POST', '/v1/sessions', sleeper);
      const b = await small.api('POST', '/v1/sessions', { command: 'true' });
      expect([a.status, b.status]).toEqual([201, 201]);
      await small.api('POST', `/v1/sessions/${b.body.id}/wait`, { exit: true });
      // b has exited: it is dropped to make room for c.
      const c = await small.api('POST', '/v1/sessions', sleeper);
      expect(c.status).toBe(201);
      expect((await small.api('GET', `/v1/sessions/${b.body.id}`)).status).toBe(404);
      const d = await small.api('POST', '/v1/sessions', sleeper);
      expect(d).toMatchObject({ status: 429, body: { error: 'SESSION_LIMIT' } });
      expect(d.body.message).toMatch(/limit.*2/);
    } finally {
      await small.close();
    }
  });
});

describe('Errors: auth', () => {
  it('with a token every route but /healthz needs the bearer token', async () => {
    const auth = await startTestServer({ TERMPOOL_TOKEN: 's3cret' });
    try {
      const none = await auth.api('GET', '/v1/sessions', undefined, { authorization: '' });
      expect(none).toMatchObject({ status: 401, body: { error: 'UNAUTHORIZED' } });
      for (const h of ['Bearer wrong', 'Bearer s3cret2', 'Basic s3cret', 's3cret', 'Bearer ']) {
        expect((await auth.api('GET', '/v1/sessions', undefined, { authorization: h })).status, h).toBe(401);
      }
      expect((await auth.api('POST', '/v1/sessions', sleeper, { authorization: 'Bearer nope' })).status).toBe(401);
      expect((await auth.api('GET', '/v1/sessions/x/screen', undefined, { authorization: '' })).status).toBe(401);
      expect((await auth.api('GET', '/v2/unknown', undefined, { authorization: '' })).status).toBe(401);
      // A WebSocket upgrade is an ordinary GET to the hook: refused before any route runs.
      expect(await upgradeStatus(`${auth.url.replace('http', 'ws')}/v1/sessions/x/ws`)).toBe(401);
      expect(await upgradeStatus(`${auth.url.replace('http', 'ws')}/v1/sessions/x/ws`, 'Bearer wrong')).toBe(401);
      expect((await auth.api('GET', '/healthz', undefined, { authorization: '' })).status).toBe(200);
      expect((await auth.api('GET', '/v1/sessions')).status).toBe(200); // helper sends the right token
    } finally {
      await auth.close();
    }
  });
});
