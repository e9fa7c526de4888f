/**
 * GET /v1/sessions/{id}/alis: a live session as asciinema's ALiS v1 stream, over the real HTTP
 * server and a real pty. (1) A ws client decodes the frames: the init carries the size and the
 * current screen (replayed into a fresh engine it gives the session's screen), then output,
 * resize, exit and EOT. Auth: the stream key from /alis-key opens this stream only, the Origin
 * rule holds, and request logs never show the key. (2) The real asciinema-player (3.18, from
 * node_modules) in headless Chromium, embedded in a page of another origin, attaches to a live
 * session: what was on the screen before it joined and what is typed after both show in its DOM,
 * and a marker added meanwhile fires its `marker` event. (3) Markers: POST /marker sends an "m"
 * frame to every stream, as asciinema's server encodes one.
 */
import { createServer, type Server } from 'node:http';
import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { AlisDecoder, ALIS_MAGIC, type AlisFrame } from '../../src/cast/alis.js';
import { Terminal } from '../../src/engine/index.js';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { startTestServer, type TestServer } from '../helpers/service.js';
import { teardown } from '../helpers/suite.js';
import { launch, newPage } from '../viewer/browser.js';
import { HARD_LIMIT_BYTES } from '../../src/sessions/viewers.js';

const POLL = { timeout: 15_000, interval: 50 };
const token = `tp-${randomBytes(16).toString('hex')}`;

/** A stream's frames as they arrive, decoded; the magic checked first. */
interface Stream { ws: WebSocket; frames: AlisFrame[]; protocol: () => string; closed: Promise<number> }

function openStream(base: string, path: string, headers: Record<string, string> = {}): Promise<Stream> {
  const ws = new WebSocket(base.replace('http', 'ws') + path, ['v1.alis'], { headers });
  const frames: AlisFrame[] = [];
  const dec = new AlisDecoder();
  let first = true;
  ws.on('message', (d: Buffer, isBinary: boolean) => {
    expect(isBinary).toBe(true);
    if (first) { expect(d.equals(ALIS_MAGIC)).toBe(true); first = false; return; }
    frames.push(dec.decode(d));
  });
  const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve({ ws, frames, protocol: () => ws.protocol, closed }));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.once('error', reject);
  });
}

/** The HTTP status an upgrade is refused with (or 101). */
function upgradeStatus(base: string, path: string, headers: Record<string, string> = {}, protocols = ['v1.alis']): Promise<number> {
  const ws = new WebSocket(base.replace('http', 'ws') + path, protocols, { headers });
  return new Promise((resolve) => {
    ws.once('open', () => { ws.close(); resolve(101); });
    ws.once('unexpected-response', (_req, res) => { res.resume(); resolve(res.statusCode ?? 0); ws.terminate(); });
    ws.once('error', () => resolve(0));
  });
}

const outputText = (frames: AlisFrame[]): string =>
  frames.filter((f) => f.type === 'output').map((f) => (f as { data: Buffer }).data.toString('utf8')).join('');

describe('ALiS: the stream as a client decodes it', () => {
  let srv: TestServer;
  beforeAll(async () => { srv = await startTestServer({ TERMPOOL_TOKEN: token }); });
  afterAll(async () => { await teardown(() => srv?.close()); });

  it('init = size + current screen (replayed equals the session\'s), then output, resize, exit, EOT', async () => {
    const created = await srv.api('POST', '/v1/sessions', {
      command: 'sh', args: ['-c', 'printf "\\033[1;31mred\\033[0m plain \\033[44mblue bg\\033[0m\\n\\033[7mrev\\033[0m wide:\\344\\275\\240\\n"; exec cat'],
      cols: 40, rows: 8,
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const id = created.body.id as string;
    expect((await srv.api('POST', `/v1/sessions/${id}/wait`, { regex: 'wide', timeoutMs: 10_000 })).status).toBe(200);

    const link = await srv.api('GET', `/v1/sessions/${id}/alis-key`);
    expect(link.status).toBe(200);
    expect(link.body.path).toBe(`/v1/sessions/${id}/alis?key=${link.body.key}`);
    expect(link.body.key).not.toContain(token);
    // No Authorization header: the key alone opens it, as it must for a browser.
    const s = await openStream(srv.url, link.body.path);
    expect(s.protocol()).toBe('v1.alis');
    await expect.poll(() => s.frames.length, POLL).toBeGreaterThan(0);
    const init = s.frames[0]!;
    expect(init.type).toBe('init');
    if (init.type !== 'init') return;
    expect([init.cols, init.rows]).toEqual([40, 8]);
    const fresh = new Terminal({ cols: init.cols, rows: init.rows, scrollback: 0 });
    fresh.write(init.data);
    const want = srv.app.sessions.get(id).snapshot(0);
    const got = fresh.snapshot(0);
    expect(got.lines.map((l) => l.cells)).toEqual(want.lines.map((l) => l.cells));
    expect(got.styles).toEqual(want.styles);
    expect(got.cursor).toEqual(want.cursor);
    expect(init.data.toString('utf8')).toContain('\x1b[');
    fresh.dispose();

    // Output: typed text comes back as output events (cat echoes it), times never going back.
    expect((await srv.api('POST', `/v1/sessions/${id}/input`, { text: 'héllo live\n' })).status).toBe(200);
    await expect.poll(() => outputText(s.frames), POLL).toContain('héllo live');
    // Resize: an 'r' event with the new size.
    expect((await srv.api('POST', `/v1/sessions/${id}/resize`, { cols: 50, rows: 12 })).status).toBe(200);
    await expect.poll(() => s.frames.filter((f) => f.type === 'resize'), POLL).toEqual([expect.objectContaining({ cols: 50, rows: 12 })]);
    // Exit: cat ends on EOF, sh with it; status 0, then EOT and a normal close.
    expect((await srv.api('POST', `/v1/sessions/${id}/input`, { keys: ['C-d'] })).status).toBe(200);
    expect(await s.closed).toBe(1000);
    const tail = s.frames.slice(-2);
    expect(tail).toEqual([expect.objectContaining({ type: 'exit', status: 0 }), { type: 'eot' }]);
    const times = s.frames.flatMap((f) => ('time' in f ? [f.time] : []));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    const ids = s.frames.flatMap((f) => ('id' in f ? [f.id] : []));
    expect(ids.slice(1)).toEqual(ids.slice(1).map((_, i) => ids[1]! + i));

    // A late joiner of an exited session gets its last screen, the exit and EOT.
    const late = await openStream(srv.url, link.body.path);
    expect(await late.closed).toBe(1000);
    expect(late.frames.map((f) => f.type)).toEqual(['init', 'exit', 'eot']);
  });

  it('markers (POST /marker on a recorded session) are sent live as "m" frames, as asciinema\'s server encodes them', async () => {
    const id = (await srv.api('POST', '/v1/sessions', { command: 'sh', args: ['-c', 'exec cat'], record: { format: 'v3' } })).body.id as string;
    const path = (await srv.api('GET', `/v1/sessions/${id}/alis-key`)).body.path as string;
    const s = await openStream(srv.url, path);
    const raw: Buffer[] = [];
    s.ws.on('message', (d: Buffer) => raw.push(d));
    await expect.poll(() => s.frames.length, POLL).toBeGreaterThan(0);
    const labels = ['chapter 1', '', 'étape 2 ✓'];
    for (const label of labels) {
      expect((await srv.api('POST', `/v1/sessions/${id}/marker`, { label })).status).toBe(200);
      if (label === '') {
        expect((await srv.api('POST', `/v1/sessions/${id}/input`, { text: 'between\n' })).status).toBe(200);
        await expect.poll(() => outputText(s.frames), POLL).toContain('between');
      }
    }
    await expect.poll(() => s.frames.filter((f) => f.type === 'marker').length, POLL).toBe(3);
    const markers = s.frames.filter((f) => f.type === 'marker');
    expect(markers.map((m) => (m as { label: string }).label)).toEqual(labels);
    // In order with the output: the empty marker came before the output typed after it.
    const kinds = s.frames.map((f) => (f.type === 'marker' ? `m:${f.label}` : f.type));
    expect(kinds.indexOf('m:')).toBeLessThan(kinds.indexOf('output'));
    expect(kinds.indexOf('output')).toBeLessThan(kinds.indexOf('m:étape 2 ✓'));
    // The bytes, read without our decoder: 'm', LEB128 id and time delta, LEB128 byte length, UTF-8 label
    // (asciinema server's serialize_marker, asciinema-player 3.18's parseMarkerFrame).
    const frames = raw.filter((b) => b[0] === 0x6d);
    expect(frames).toHaveLength(3);
    frames.forEach((b, i) => {
      const label = Buffer.from(labels[i]!, 'utf8');
      let at = 1;
      for (let k = 0; k < 2; k++) while (b[at++]! & 0x80) { /* id, then the time delta */ }
      expect(b[at]).toBe(label.length); // < 128: one LEB128 byte
      expect(b.subarray(at + 1)).toEqual(label);
    });
    // Each is in the recording too, as v3 "m" events.
    const cast = (await srv.api('GET', `/v1/sessions/${id}/recording`)).body as string;
    expect(cast.trim().split('\n').slice(1).map((l) => JSON.parse(l)).filter((e) => e[1] === 'm').map((e) => e[2])).toEqual(labels);
    s.ws.close();
    await s.closed;
  });

  it('a viewer that reads nothing is closed (1013) once markers pass the hard limit, not sent them without end', async () => {
    const id = (await srv.api('POST', '/v1/sessions', { command: 'sh', args: ['-c', 'exec cat'], record: { format: 'v3' } })).body.id as string;
    const path = (await srv.api('GET', `/v1/sessions/${id}/alis-key`)).body.path as string;
    const s = await openStream(srv.url, path);
    await expect.poll(() => s.frames.length, POLL).toBeGreaterThan(0);
    // The attack: stop reading (the kernel's buffers fill, then the server's), then post markers.
    (s.ws as unknown as { _socket: { pause(): void } })._socket.pause();
    const server = [...srv.app.websocketServer.clients].find((c) => c.protocol === 'v1.alis' && c.readyState === 1)!;
    expect(server).toBeDefined();
    const label = 'x'.repeat(4096);
    let posted = 0, maxBuffered = 0;
    // 16 MiB of markers at most: four times the hard limit, more than any loopback socket buffers.
    while (server.readyState === 1 && posted < 4096) {
      await Promise.all(Array.from({ length: 16 }, () => srv.api('POST', `/v1/sessions/${id}/marker`, { label })));
      posted += 16;
      maxBuffered = Math.max(maxBuffered, server.bufferedAmount);
    }
    expect(server.readyState).not.toBe(1);
    expect(posted).toBeLessThan(4096);
    // Closed at the first marker past 4 MiB buffered: at most one marker (and the close frame) over it.
    expect(maxBuffered).toBeLessThanOrEqual(HARD_LIMIT_BYTES + 2 * 4200);
    // Other streams of the session are not disturbed, and the session goes on.
    const other = await openStream(srv.url, path);
    expect((await srv.api('POST', `/v1/sessions/${id}/marker`, { label: 'after' })).status).toBe(200);
    await expect.poll(() => other.frames.some((f) => f.type === 'marker' && f.label === 'after'), POLL).toBe(true);
    other.ws.close();
    await other.closed;
    s.ws.terminate();
  });

  it('auth: the key opens only its own stream; no key, a wrong key or a foreign Origin is refused', async () => {
    const a = (await srv.api('POST', '/v1/sessions', { command: 'sleep', args: ['30'] })).body.id as string;
    const b = (await srv.api('POST', '/v1/sessions', { command: 'sleep', args: ['30'] })).body.id as string;
    const keyA = (await srv.api('GET', `/v1/sessions/${a}/alis-key`)).body.key as string;
    const keyB = (await srv.api('GET', `/v1/sessions/${b}/alis-key`)).body.key as string;
    expect(keyA).not.toBe(keyB);
    expect(await upgradeStatus(srv.url, `/v1/sessions/${a}/alis?key=${keyA}`)).toBe(101);
    expect(await upgradeStatus(srv.url, `/v1/sessions/${a}/alis`)).toBe(401);
    expect(await upgradeStatus(srv.url, `/v1/sessions/${a}/alis?key=${keyB}`)).toBe(401);
    expect(await upgradeStatus(srv.url, `/v1/sessions/${a}/alis?key=${keyA.slice(0, -1)}x`)).toBe(401);
    // The key is no token: not for the read-write JSON socket, nor any other route.
    expect(await upgradeStatus(srv.url, `/v1/sessions/${a}/ws?key=${keyA}`, {}, ['termpool.v1'])).toBe(401);
    expect((await fetch(`${srv.url}/v1/sessions/${a}/screen?key=${keyA}`)).status).toBe(401);
    expect((await fetch(`${srv.url}/v1/sessions/${a}/alis-key?key=${keyA}`)).status).toBe(401);
    // The Origin rule of every WebSocket: a page elsewhere is refused, key or not.
    expect(await upgradeStatus(srv.url, `/v1/sessions/${a}/alis?key=${keyA}`, { origin: 'https://evil.example' })).toBe(403);
    // The token works as on /ws (a header), and the endpoint speaks only v1.alis.
    expect(await upgradeStatus(srv.url, `/v1/sessions/${a}/alis`, { authorization: `Bearer ${token}` })).toBe(101);
    expect(await upgradeStatus(srv.url, `/v1/sessions/${a}/alis?key=${keyA}`, {}, ['raw'])).toBe(400);
    expect((await srv.api('GET', `/v1/sessions/${a}/alis`)).status).toBe(426);
  });
});

describe('ALiS: request logs', () => {
  it('never show a stream key', async () => {
    let log = '';
    const stream = new Writable({ write(chunk, _e, cb) { log += String(chunk); cb(); } });
    const config = loadConfig({ TERMPOOL_PORT: '0', TERMPOOL_ARCHIVE: 'off', TERMPOOL_TOKEN: token });
    const app = await buildApp(config, { logger: { level: 'info', stream } as never, requestLogs: true });
    try {
      await app.listen({ host: '127.0.0.1', port: 0 });
      const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
      const id = app.sessions.create({ command: 'sleep', args: ['30'] } as never).id;
      const reply = await fetch(`${url}/v1/sessions/${id}/alis-key`, { headers: { authorization: `Bearer ${token}` } });
      const key = ((await reply.json()) as { key: string }).key;
      const s = await openStream(url, `/v1/sessions/${id}/alis?key=${key}`);
      s.ws.close();
      await s.closed;
      expect(log).toContain(`/v1/sessions/${id}/alis?key=[redacted]`);
      expect(log).not.toContain(key);
      expect(log).not.toContain(token);
    } finally {
      await app.close();
    }
  });
});

describe('ALiS: asciinema-player in headless Chromium', () => {
  let srv: TestServer;
  let page: Server;
  let browser: Browser;
  const errors: string[] = [];
  beforeAll(async () => {
    // The embedding page lives on another origin, as an embed does; the server lists it.
    page = createServer((req, res) => {
      const files: Record<string, [string, string]> = {
        '/player.js': ['node_modules/asciinema-player/dist/bundle/asciinema-player.min.js', 'text/javascript'],
        '/player.css': ['node_modules/asciinema-player/dist/bundle/asciinema-player.css', 'text/css'],
      };
      const f = files[req.url ?? ''];
      if (f) { res.writeHead(200, { 'content-type': f[1] }); res.end(readFileSync(new URL(`../../${f[0]}`, import.meta.url))); return; }
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<!doctype html><link rel="stylesheet" href="/player.css"><script src="/player.js"></script><div id="player"></div>');
    });
    await new Promise<void>((r) => page.listen(0, '127.0.0.1', r));
    const origin = `http://127.0.0.1:${(page.address() as AddressInfo).port}`;
    const [s, b] = await Promise.allSettled([
      startTestServer({ TERMPOOL_TOKEN: token, TERMPOOL_ALLOWED_ORIGINS: origin }).then((v) => (srv = v)),
      launch().then((v) => (browser = v)),
    ]);
    for (const r of [s, b]) if (r.status === 'rejected') throw r.reason;
  });
  afterAll(async () => {
    await teardown(() => browser?.close(), () => srv?.close(), () => new Promise((r) => page?.close(r)));
    expect(errors).toEqual([]);
  });

  it('attaches to a live session: the screen before it joined, what is typed after, a marker added live', async () => {
    const id = (await srv.api('POST', '/v1/sessions', { command: 'sh', args: ['-c', 'echo before-join; exec cat'], cols: 60, rows: 10, record: true })).body.id as string;
    expect((await srv.api('POST', `/v1/sessions/${id}/wait`, { regex: 'before-join', timeoutMs: 10_000 })).status).toBe(200);
    const path = (await srv.api('GET', `/v1/sessions/${id}/alis-key`)).body.path as string;
    const tab = await newPage(browser, errors);
    await tab.goto(`http://127.0.0.1:${(page.address() as AddressInfo).port}/`);
    await tab.evaluate((src) => {
      const g = globalThis as any;
      const player = g.AsciinemaPlayer.create(src, g.document.getElementById('player'), { autoPlay: true, bufferTime: 0 });
      g.markers = [];
      player.addEventListener('marker', (m: { index: number; label: string }) => g.markers.push(`${m.index}:${m.label}`));
    }, srv.url.replace('http', 'ws') + path);
    const text = (): Promise<string> => tab.locator('#player').evaluate((el) => (el.textContent ?? '').replace(/\u00a0/g, ' '));
    await expect.poll(text, POLL).toContain('before-join');
    expect((await srv.api('POST', `/v1/sessions/${id}/input`, { text: 'typed-after-join\n' })).status).toBe(200);
    await expect.poll(text, POLL).toContain('typed-after-join');
    // The player's own decoder reads the marker frame and fires its marker event with the label.
    expect((await srv.api('POST', `/v1/sessions/${id}/marker`, { label: 'live chapter' })).status).toBe(200);
    await expect.poll(() => tab.evaluate(() => (globalThis as any).markers), POLL).toEqual(['0:live chapter']);
    expect(await tab.locator('#player .ap-term').count()).toBeGreaterThan(0);
    await tab.context().close();
  });
});
