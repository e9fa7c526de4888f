/**
 * Slow and stuck clients (issue 22): a request that never arrives in full — headers half sent, a
 * body half sent and abandoned, a body trickled a byte at a time, a connection that sends nothing
 * — is answered 408 REQUEST_TIMEOUT and closed once TERMPOOL_BODY_TIMEOUT_MS has passed, on every
 * route, /wait included; while a /wait whose body has arrived still answers on its own terms
 * however long past that bound it waits. And SIGTERM to a server process held open by such
 * clients (a half-sent body, a pending /wait, a WebSocket peer that never answers the close
 * frame) still exits 0 within TERMPOOL_SHUTDOWN_GRACE_MS, every session archived; a close that
 * hangs for good (a hook that never ends) is given up, status 1.
 *
 * The bounds are configured short (1 s, 2 s); the tests wait with deadlines several times longer
 * and assert what was answered, never how fast.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shutdown } from '../../src/server.js';
import { startTestServer, type TestServer } from '../helpers/service.js';
import { spawnServer, type ServerProcess } from '../helpers/server-process.js';

interface Outcome {
  /** Everything the server sent before it closed the connection (or the deadline passed). */
  text: string;
  /** The server closed the connection (false: still open at the deadline). */
  closed: boolean;
}

/**
 * Opens a connection, writes `head` (and `body`), then every `trickleMs` one more byte of `body`
 * if given, until the server closes the connection or `deadlineMs` passes.
 */
function stuckClient(url: string, head: string, opts: { body?: string; trickleMs?: number; deadlineMs?: number } = {}): { socket: net.Socket; received: () => string; done: Promise<Outcome> } {
  const { hostname, port } = new URL(url);
  const socket = net.connect(Number(port), hostname);
  const chunks: Buffer[] = [];
  const done = new Promise<Outcome>((resolve) => {
    let timer: NodeJS.Timeout | undefined;
    let trickle: NodeJS.Timeout | undefined;
    const finish = (closed: boolean): void => {
      clearTimeout(timer);
      clearInterval(trickle);
      socket.destroy();
      resolve({ text: Buffer.concat(chunks).toString('utf8'), closed });
    };
    timer = setTimeout(() => finish(false), opts.deadlineMs ?? 10_000);
    socket.on('data', (d: Buffer) => chunks.push(d));
    socket.on('close', () => finish(true));
    socket.on('error', () => { /* reset after the answer: 'close' follows */ });
    socket.write(head);
    if (opts.body !== undefined) socket.write(opts.body);
    if (opts.trickleMs !== undefined) trickle = setInterval(() => { if (!socket.destroyed) socket.write('x'); }, opts.trickleMs);
  });
  return { socket, received: () => Buffer.concat(chunks).toString('utf8'), done };
}

/** Status and JSON body of a raw HTTP answer ('' and undefined for none). */
function parse(text: string): { status: number; json: any } {
  const m = /^HTTP\/1\.1 (\d{3})/.exec(text);
  const body = text.slice(text.indexOf('\r\n\r\n') + 4);
  let json: any;
  try { json = JSON.parse(body); } catch { json = undefined; }
  return { status: m ? Number(m[1]) : 0, json };
}

const post = (p: string, host: string, contentLength: number): string =>
  `POST ${p} HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/json\r\nContent-Length: ${contentLength}\r\n\r\n`;

describe('slow clients: TERMPOOL_BODY_TIMEOUT_MS bounds receiving a request', () => {
  let srv: TestServer;
  let id = '';
  let host = '';
  beforeAll(async () => {
    srv = await startTestServer({ TERMPOOL_BODY_TIMEOUT_MS: '1000' });
    host = new URL(srv.url).host;
    const r = await srv.api('POST', '/v1/sessions', { command: 'bash', args: ['--norc', '--noprofile'] });
    expect(r.status).toBe(201);
    id = r.body.id;
  });
  afterAll(async () => { await srv?.close(); });

  const expectTimedOut = (o: Outcome): void => {
    expect(o.closed, `connection still open at the deadline; got ${JSON.stringify(o.text)}`).toBe(true);
    const r = parse(o.text);
    expect(r.status).toBe(408);
    expect(r.json).toMatchObject({ error: 'REQUEST_TIMEOUT' });
    expect(r.json.message).toContain('TERMPOOL_BODY_TIMEOUT_MS');
  };

  it('a body half sent and abandoned: 408 REQUEST_TIMEOUT, connection closed', async () => {
    const { done } = stuckClient(srv.url, post('/v1/sessions', host, 200), { body: '{"command":"ba' });
    expectTimedOut(await done);
  });

  it('a body trickled one byte every 200 ms (slowloris): 408 although bytes keep coming', async () => {
    const { done } = stuckClient(srv.url, post(`/v1/sessions/${id}/input`, host, 100_000), { body: '{"text":"', trickleMs: 200 });
    expectTimedOut(await done);
  });

  it('headers half sent: 408', async () => {
    const { done } = stuckClient(srv.url, `GET /v1/sessions HTTP/1.1\r\nHost: ${host}\r\nX-Slow: 1\r\n`);
    expectTimedOut(await done);
  });

  it('headers trickled one byte every 200 ms: 408', async () => {
    const { done } = stuckClient(srv.url, `GET /v1/sessions HTTP/1.1\r\nHost: ${host}\r\nX-Slow: `, { trickleMs: 200 });
    expectTimedOut(await done);
  });

  it('a connection that sends nothing is closed', async () => {
    const { done } = stuckClient(srv.url, '');
    const o = await done;
    expect(o.closed).toBe(true);
  });

  it('a /wait body half sent is cut like any other', async () => {
    const { done } = stuckClient(srv.url, post(`/v1/sessions/${id}/wait`, host, 100), { body: '{"text":"never' });
    expectTimedOut(await done);
  });

  it('a /wait whose body arrived answers on its own terms, long past the body timeout', async () => {
    const t0 = Date.now();
    const w = await srv.api('POST', `/v1/sessions/${id}/wait`, { text: 'never-printed-marker', timeoutMs: 3500 });
    expect(w.status).toBe(408);
    expect(w.body).toMatchObject({ satisfied: false, reason: 'timeout' });
    expect(w.body.elapsedMs).toBeGreaterThanOrEqual(3500);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(3500);
    // And one satisfied after the bound: the marker is printed 2.5 s into the wait.
    await srv.api('POST', `/v1/sessions/${id}/input`, { text: 'sleep 2.5; echo late-$((6*7))\r' });
    const ok = await srv.api('POST', `/v1/sessions/${id}/wait`, { text: 'late-42', timeoutMs: 20_000 });
    expect(ok.status).toBe(200);
    expect(ok.body.satisfied).toBe(true);
  });

  it('a kept-alive connection carries a second request after the first (the bound is per request)', async () => {
    const { hostname, port } = new URL(srv.url);
    const sock = net.connect(Number(port), hostname);
    let text = '';
    sock.on('data', (d: Buffer) => { text += d.toString('utf8'); });
    const get = `GET /healthz HTTP/1.1\r\nHost: ${host}\r\n\r\n`;
    sock.write(get);
    await new Promise((r) => setTimeout(r, 1500));
    sock.write(get);
    for (const end = Date.now() + 10_000; (text.match(/HTTP\/1\.1 200/g) ?? []).length < 2 && Date.now() < end;) {
      await new Promise((r) => setTimeout(r, 50));
    }
    sock.destroy();
    expect((text.match(/HTTP\/1\.1 200/g) ?? []).length).toBe(2);
  });
});

describe('unreadable requests are answered in the coded error shape, and closed', () => {
  let srv: TestServer;
  beforeAll(async () => { srv = await startTestServer(); });
  afterAll(async () => { await srv?.close(); });

  it('a head over Node\'s 16 KiB limit: 431 HEADERS_TOO_LARGE', async () => {
    const { done } = stuckClient(srv.url, `GET /healthz HTTP/1.1\r\nHost: ${new URL(srv.url).host}\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`);
    const o = await done;
    expect(o.closed).toBe(true);
    expect(parse(o.text)).toMatchObject({ status: 431, json: { error: 'HEADERS_TOO_LARGE' } });
  });

  it('bytes that are not HTTP: 400 BAD_INPUT', async () => {
    const { done } = stuckClient(srv.url, 'HELLO THERE\r\n\r\n');
    const o = await done;
    expect(o.closed).toBe(true);
    expect(parse(o.text)).toMatchObject({ status: 400, json: { error: 'BAD_INPUT' } });
  });
});

describe('shutdown(): closing that hangs is abandoned after the grace', () => {
  it('a preClose hook that never ends: status 1 once the grace and the forced-exit delay have passed, its stuck client closed', async () => {
    // pluginTimeout 0: fastify's own 10 s bound on a hook would otherwise end the close itself.
    const app = Fastify({ pluginTimeout: 0 });
    app.post('/x', async () => ({}));
    app.addHook('preClose', () => new Promise<void>(() => { /* never */ }));
    await app.listen({ host: '127.0.0.1', port: 0 });
    const addr = app.server.address();
    const url = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
    const stuck = stuckClient(url, post('/x', new URL(url).host, 100), { body: '{', deadlineMs: 30_000 });
    await new Promise((r) => setTimeout(r, 200));
    try {
      expect(await shutdown(app, 500)).toBe(1);
      expect((await stuck.done).closed).toBe(true);
    } finally {
      stuck.socket.destroy();
      app.server.close();
    }
  }, 30_000);
});

describe('slow clients: SIGTERM with stuck clients exits within TERMPOOL_SHUTDOWN_GRACE_MS', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'termpool-shutdown-'));
  let server: ServerProcess | undefined;
  const sockets: net.Socket[] = [];
  afterAll(async () => {
    for (const s of sockets) s.destroy();
    if (server) await server.stop('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('a half-sent body, a pending /wait and a silent WebSocket peer: exit 0, sessions archived', async () => {
    const file = path.join(dir, 'archive.sqlite');
    // The body timeout is far longer than the grace: only the grace can end the stuck body.
    server = await spawnServer({
      TERMPOOL_ARCHIVE: 'on', TERMPOOL_ARCHIVE_PATH: file,
      TERMPOOL_SHUTDOWN_GRACE_MS: '2000', TERMPOOL_BODY_TIMEOUT_MS: '120000', TERMPOOL_LOG_LEVEL: 'warn',
    });
    const s = server;
    const host = new URL(s.url).host;
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const r = await s.api('POST', '/v1/sessions', { command: 'bash', args: ['--norc', '--noprofile'] });
      expect(r.status).toBe(201);
      ids.push(r.body.id);
    }
    // 1. A body half sent, never finished.
    const body = stuckClient(s.url, post('/v1/sessions', host, 500), { body: '{"command":"bash"', deadlineMs: 60_000 });
    sockets.push(body.socket);
    // 2. A WebSocket peer that upgrades and then never reads nor answers a close frame.
    const ws = stuckClient(s.url,
      `GET /v1/sessions/${ids[0]}/ws HTTP/1.1\r\nHost: ${host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
      `Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\n\r\n`, { deadlineMs: 60_000 });
    sockets.push(ws.socket);
    // 3. A /wait for ten minutes.
    const wait = s.api('POST', `/v1/sessions/${ids[1]}/wait`, { text: 'never-printed-marker', timeoutMs: 600_000 });
    // Let all three reach the server: the upgrade answered, the wait (most likely) registered.
    for (const end = Date.now() + 10_000; !ws.received().includes('101 Switching Protocols') && Date.now() < end;) {
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(ws.received()).toContain('101 Switching Protocols');
    await new Promise((r) => setTimeout(r, 500));

    const stopped = await Promise.race([
      s.stop('SIGTERM'),
      new Promise<null>((r) => setTimeout(() => r(null), 20_000)),
    ]);
    expect(stopped, `server still running 20 s after SIGTERM; log: ${s.log().slice(-2000)}`).not.toBeNull();
    expect(stopped).toMatchObject({ code: 0, signal: null });
    // The wait was answered: its session ended under it.
    expect(await wait).toMatchObject({ status: 408, body: { satisfied: false, reason: 'exited' } });
    expect((await body.done).closed).toBe(true);
    expect((await ws.done).closed).toBe(true);
    expect(s.log()).toContain('TERMPOOL_SHUTDOWN_GRACE_MS');

    const db = new Database(file, { readonly: true });
    try {
      const archived = (db.prepare('SELECT id FROM archived_sessions').all() as { id: string }[]).map((r) => r.id).sort();
      expect(archived).toEqual([...ids].sort());
    } finally {
      db.close();
    }
  }, 60_000);
});
