/**
 * A large JSON history read (GET /screen?format=json&scrollback=10000, 80 columns: ~27 MB, within
 * DIRECT_JSON_CELLS) does not hold the server while it is written (issue 27): it is written from a
 * frozen copy of the rows a slice at a time, as the socket takes it, so other requests are answered
 * between slices. Shown with a client that takes the first bytes of the big answer and then stops
 * reading: GET /healthz and another session's screen are answered while less than half of the big
 * answer has left the route (counted server-side, in an onSend hook); the session then prints more,
 * and the big answer, read to its end, is the screen of the request, whole.
 * Before (one synchronous write of the whole body) the whole answer had left the route first.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request, type IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';

const LINES = 10_000;
const COLS = 80;

let app: FastifyInstance | undefined;
let dir = '';
let url = '';
let auth: Record<string, string> = {};
/** Bytes of the big answer that have left the route (through the onSend counter). */
let passed = 0;
/** `passed` when each small request's answer was done. */
const answeredAt: { url: string; passed: number }[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'termpool-slices-'));
  const lines: string[] = [];
  for (let i = 0; i < LINES + 30; i++) lines.push(`line ${i} \x1b[3${i % 8}m${'word '.repeat(i % 14)}\x1b[0m end`);
  writeFileSync(join(dir, 'history.txt'), lines.join('\r\n') + '\r\n');
  const config = loadConfig({ TERMPOOL_PORT: '0', TERMPOOL_ARCHIVE: 'off', TERMPOOL_DATA_DIR: dir });
  app = await buildApp(config);
  app.addHook('onSend', async (req, _reply, payload) => {
    if (req.headers['x-count-bytes'] === undefined || !(payload instanceof Readable)) return payload;
    const counter = new Transform({ transform(chunk: Buffer, _e, cb) { passed += chunk.length; cb(null, chunk); } });
    payload.on('error', (err) => counter.destroy(err));
    counter.on('close', () => { if (!payload.readableEnded) payload.destroy(); });
    return payload.pipe(counter);
  });
  app.addHook('onResponse', async (req) => { if (!req.url.includes('scrollback=')) answeredAt.push({ url: req.url, passed }); });
  // Only the read that asks is counted (a Transform between the answer and the response: its
  // chunks are then not recycled, see the second read below).
  await app.listen({ host: '127.0.0.1', port: 0 });
  const addr = app.server.address();
  url = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  auth = config.token ? { authorization: `Bearer ${config.token}` } : {};
}, 60_000);

afterAll(async () => {
  await app?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function createSession(args: string[], scrollback = LINES): Promise<string> {
  const res = await fetch(`${url}/v1/sessions`, {
    method: 'POST', headers: { ...auth, 'content-type': 'application/json' },
    body: JSON.stringify({ command: 'sh', args, cols: COLS, rows: 24, scrollback }),
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as { id: string }).id;
}

describe('GET /screen: a big history read is written in slices', () => {
  it('answers other requests while the big read is in progress, and the big answer is the request\'s screen', async () => {
    const file = join(dir, 'history.txt');
    // Prints the file, then one more line for each line typed (so the test can change it mid-read).
    const big = await createSession(['-c', `stty -onlcr -echo; cat '${file}'; while read l; do echo "typed $l"; done`]);
    const small = await createSession(['-c', 'echo small screen; exec sleep 3600'], 100);
    const session = app!.sessions.read(big);
    const deadline = Date.now() + 60_000;
    while (session.terminal.scrollbackLength < LINES || !session.terminal.screenLines().some((l) => l.includes(`line ${LINES + 29} `))) {
      if (Date.now() > deadline) throw new Error(`session reached ${session.terminal.scrollbackLength} lines`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const before = session.terminal.screenLines();

    // The big read: its first bytes taken, then no more read for now.
    const res = await new Promise<IncomingMessage>((resolve, reject) => {
      request(`${url}/v1/sessions/${big}/screen?format=json&scrollback=${LINES}`, { headers: { ...auth, 'x-count-bytes': '1' } }, resolve).on('error', reject).end();
    });
    expect(res.statusCode).toBe(200);
    // A failed test must not leave the answer paused: app.close would wait for it.
    onTestFinished(() => { res.destroy(); });
    const chunks: Buffer[] = [];
    await new Promise<void>((resolve) => res.once('data', (c: Buffer) => { chunks.push(c); res.pause(); resolve(); }));

    // Meanwhile: other requests, answered while the big one is in progress.
    expect((await fetch(`${url}/healthz`, { headers: auth })).status).toBe(200);
    const other = await fetch(`${url}/v1/sessions/${small}/screen?format=json`, { headers: auth });
    expect(other.status).toBe(200);
    expect(((await other.json()) as { lines: { text: string }[] }).lines[0]!.text).toBe('small screen');
    // And the big session prints more: not in the big answer.
    expect((await fetch(`${url}/v1/sessions/${big}/input`, {
      method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ text: 'more\n' }),
    })).status).toBeLessThan(300);
    while (!session.terminal.screenLines().some((l) => l === 'typed more')) {
      if (Date.now() > deadline) throw new Error('the typed line never showed');
      await new Promise((r) => setTimeout(r, 50));
    }

    // Then the rest of the big answer.
    res.on('data', (c: Buffer) => chunks.push(c));
    const ended = new Promise((r) => res.on('end', r));
    res.resume();
    await ended;
    const body = Buffer.concat(chunks);
    const snap = JSON.parse(body.toString('utf8')) as { lines: { text: string }[] };
    expect(snap.lines).toHaveLength(LINES + 24);
    expect(snap.lines.slice(-24).map((l) => l.text)).toEqual(before);
    expect(snap.lines.some((l) => l.text === 'typed more')).toBe(false);

    // Both small answers were done while less than half the big answer had left the route.
    const smalls = answeredAt.filter((a) => a.url === '/healthz' || a.url.includes(small));
    expect(smalls).toHaveLength(2);
    for (const a of smalls) expect(a.passed).toBeLessThan(body.length / 2);
    expect(passed).toBe(body.length);

    // A read piped straight into the response recycles its slices' buffers once the socket has
    // written them (render/stream.ts PartStream.pipe): read in bursts, it is still every byte.
    const want = JSON.stringify(session.terminal.snapshot(LINES));
    const again = await new Promise<Buffer>((resolve, reject) => {
      request(`${url}/v1/sessions/${big}/screen?format=json&scrollback=${LINES}`, { headers: auth }, (r) => {
        const parts: Buffer[] = [];
        let pauses = 0;
        r.on('data', (c: Buffer) => {
          parts.push(c);
          if (parts.length % 40 === 0 && pauses < 8) { pauses++; r.pause(); setTimeout(() => r.resume(), 20); }
        });
        r.on('end', () => resolve(Buffer.concat(parts)));
        r.on('error', reject);
      }).on('error', reject).end();
    });
    expect(again.length).toBe(Buffer.byteLength(want));
    expect(again.toString('utf8') === want).toBe(true);
  }, 120_000);
});
