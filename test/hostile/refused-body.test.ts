/**
 * A body over TERMPOOL_BODY_LIMIT is answered 413 BODY_TOO_LARGE to every client, including those
 * that send the whole body before reading (Node's fetch, and so the typed client): the server
 * reads and discards the rest of a refused body, up to TERMPOOL_BODY_DRAIN_BYTES, before it
 * answers (src/plugins/json-body.ts). Before, it closed while the client was still sending and
 * fetch threw EPIPE / "other side closed" instead of returning the 413. On a real server process:
 * in-process, client and server share one event loop and the race hardly ever shows.
 */
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TermpoolApiError } from '../../src/client/index.js';
import { spawnServer, type ServerProcess } from '../helpers/server-process.js';

const LIMIT = 1 << 20;
const MiB = 1 << 20;

/** A chunked (no Content-Length) body of `bytes`, sent as 64 KiB pieces. */
function chunked(bytes: number): ReadableStream<Uint8Array> {
  const piece = new TextEncoder().encode('x'.repeat(64 * 1024));
  let left = bytes;
  return new ReadableStream({
    pull(c) {
      if (left <= 0) { c.close(); return; }
      c.enqueue(piece.subarray(0, Math.min(piece.length, left)));
      left -= piece.length;
    },
  });
}

/** Writes `head` (and `body`) on a raw socket and resolves with everything read until the server closes. */
function rawExchange(url: string, head: string, body?: Buffer): Promise<string> {
  const { port } = new URL(url);
  return new Promise((resolve, reject) => {
    const sock = net.connect(Number(port), '127.0.0.1');
    const got: Buffer[] = [];
    const timer = setTimeout(() => { sock.destroy(); reject(new Error(`no close in 20 s; got ${Buffer.concat(got).toString().slice(0, 200)}`)); }, 20_000);
    sock.on('data', (d: Buffer) => got.push(d));
    sock.on('error', () => { /* reset after the answer: keep what arrived */ });
    sock.on('close', () => { clearTimeout(timer); resolve(Buffer.concat(got).toString('utf8')); });
    sock.write(head);
    if (body) sock.write(body);
  });
}

describe('hostile: a refused body still gets its answer (real server)', () => {
  let srv: ServerProcess | undefined;
  beforeAll(async () => {
    srv = await spawnServer({ TERMPOOL_BODY_LIMIT: String(LIMIT), TERMPOOL_BODY_TIMEOUT_MS: '2000' });
  }, 30_000);
  afterAll(async () => { await srv?.stop(); });

  const post = (body: any, extra: RequestInit = {}): Promise<Response> =>
    fetch(`${srv!.url}/v1/sessions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body, ...extra });

  for (const mb of [2, 8]) {
    it(`Node's fetch sending ${mb} MiB with a Content-Length to a 1 MiB limit gets 413 and its JSON error`, async () => {
      const body = JSON.stringify({ command: 'true', args: ['x'.repeat(mb * MiB)] });
      for (let i = 0; i < 4; i++) {
        const r = await post(body);
        expect(r.status).toBe(413);
        expect(await r.json()).toEqual({ error: 'BODY_TOO_LARGE', message: `request body is too large: the limit is ${LIMIT} bytes (TERMPOOL_BODY_LIMIT)` });
      }
    });

    it(`Node's fetch streaming ${mb} MiB chunked (no length) gets 413 and its JSON error`, async () => {
      for (let i = 0; i < 4; i++) {
        const r = await post(chunked(mb * MiB) as any, { duplex: 'half' } as RequestInit);
        expect(r.status).toBe(413);
        expect((await r.json() as { error: string }).error).toBe('BODY_TOO_LARGE');
      }
    });
  }

  it('the typed client gets a TermpoolApiError 413 BODY_TOO_LARGE, not a network error', async () => {
    for (let i = 0; i < 4; i++) {
      const err = await srv!.client.createSession({ command: 'true', args: ['x'.repeat(8 * MiB)] }).then(() => null, (e: unknown) => e);
      expect(err).toBeInstanceOf(TermpoolApiError);
      expect((err as TermpoolApiError).status).toBe(413);
      expect((err as TermpoolApiError).code).toBe('BODY_TOO_LARGE');
    }
  });

  it('the connection still serves the next request after a drained 413 (keep-alive)', async () => {
    const body = JSON.stringify({ command: 'true', args: ['x'.repeat(2 * MiB)] });
    const out = await rawExchange(srv!.url,
      `POST /v1/sessions HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n`,
      Buffer.concat([Buffer.from(body), Buffer.from('GET /healthz HTTP/1.1\r\nhost: 127.0.0.1\r\nconnection: close\r\n\r\n')]));
    expect(out).toMatch(/^HTTP\/1\.1 413 /);
    expect(out).toContain('"error":"BODY_TOO_LARGE"');
    expect(out).toMatch(/HTTP\/1\.1 200 [\s\S]*"status"/);
  });

  it('a declared 1 GB body that never comes is answered 413 at once (the drain is skipped: it is past TERMPOOL_BODY_DRAIN_BYTES)', async () => {
    const out = await rawExchange(srv!.url, `POST /v1/sessions HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\ncontent-length: ${2 ** 30}\r\n\r\n`);
    expect(out).toMatch(/^HTTP\/1\.1 413 /);
    expect(out).toContain('"error":"BODY_TOO_LARGE"');
  });

  it('a refused body that stops arriving is cut by TERMPOOL_BODY_TIMEOUT_MS (408), not drained forever', async () => {
    const out = await rawExchange(srv!.url,
      `POST /v1/sessions HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\ncontent-length: ${4 * MiB}\r\n\r\n`, Buffer.alloc(2 * MiB, 0x20));
    expect(out).toMatch(/^HTTP\/1\.1 408 /);
    expect(out).toContain('"error":"REQUEST_TIMEOUT"');
  });

  it('a chunked body over the drain bound is refused with 413 without reading it all', async () => {
    // 40 MiB > 16 MiB: the server answers after 16 MiB; the client may see the 413 or a reset,
    // but the server reads no more than the bound (it stays up and answers).
    await post(chunked(40 * MiB) as any, { duplex: 'half' } as RequestInit).then((r) => r.text(), () => null);
    expect((await fetch(`${srv!.url}/healthz`)).status).toBe(200);
  });
});
