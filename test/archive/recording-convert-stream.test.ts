/**
 * An archived recording downloaded in the other asciicast version is converted as it is
 * inflated, never inflated whole: six downloads of a 16 MiB cast (v2 → v3) left stalled after
 * their first bytes grow the real server's RSS by far less than one cast (the whole-inflation
 * code took ~6 × 16 MiB of strings, held until each download ended), and other clients are
 * served meanwhile. (That a converted download is the conversion byte for byte:
 * test/cast/convert-stream.test.ts for any chunking, test/archive/recording-archive.test.ts
 * through the route.)
 *
 * The big recording is put in the store directly (a session recorded and archived by a first
 * server, its recording attachment replaced): 16 MiB through a pty would take this test far
 * longer than the streaming it checks. Over 5 s (10-16 s at load 18 on 2 cores): two server
 * processes (the archive is read at the second one's start) and a 16 MiB cast made and compressed;
 * RSS of a separate process is the only honest measure of what the downloads hold.
 * Measured (this test, at load ~18): RSS +3.0 MiB streamed; +266 MiB with whole inflation (24 MiB cast).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { request, type ClientRequest, type IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { ArchiveStore } from '../../src/archive/store.js';
import { spawnServer, type ServerProcess } from '../helpers/server-process.js';

const dir = mkdtempSync(path.join(tmpdir(), 'termpool-rec-convert-'));
const servers: ServerProcess[] = [];
const stalled: ClientRequest[] = [];
afterAll(async () => {
  for (const r of stalled) r.destroy();
  await Promise.all(servers.map((s) => s.stop('SIGKILL')));
  rmSync(dir, { recursive: true, force: true });
});

const MiB = 1 << 20;

/** A v2 cast of about `bytes`: 4 KiB output events, distinct enough that gzip keeps it small but not trivial. */
function bigCast(bytes: number): string {
  const parts = ['{"version": 2, "width": 80, "height": 24}\n'];
  let n = parts[0]!.length;
  for (let i = 0; n < bytes; i++) {
    const line = `[${(i / 100).toFixed(6)}, "o", "${`line ${i} `.padEnd(4000, 'x')}\\r\\n"]\n`;
    parts.push(line);
    n += line.length;
  }
  return parts.join('');
}

/** GET `url`; resolves at the response's first body chunk, then stops reading (the socket stays open). */
function firstChunk(url: string): Promise<{ status: number; res: IncomingMessage }> {
  return new Promise((resolve, reject) => {
    const req = request(url, (res) => {
      res.once('data', () => { res.pause(); resolve({ status: res.statusCode!, res }); });
      res.once('error', reject);
    });
    req.once('error', reject);
    stalled.push(req);
    req.end();
  });
}

describe('archived recording converted v2 → v3: streamed, memory bounded', { timeout: 120_000 }, () => {
  it('six stalled 16 MiB conversions cost far less than one cast; other clients are served', async () => {
    const file = path.join(dir, 'archive.sqlite');
    const a = await spawnServer({ TERMPOOL_ARCHIVE: 'on', TERMPOOL_ARCHIVE_PATH: file });
    servers.push(a);
    const s = (await a.api('POST', '/v1/sessions', { command: 'bash', args: ['-c', 'echo small'], record: true })).body;
    expect((await a.api('POST', `/v1/sessions/${s.id}/wait`, { exit: true, timeoutMs: 20_000 })).status).toBe(200);
    expect((await a.stop('SIGTERM')).code).toBe(0);

    const cast = bigCast(16 * MiB);
    const store = new ArchiveStore(file);
    try {
      const row = store.load().rows.find((r) => r.id === s.id)!;
      const info = JSON.parse(row.info);
      info.recording = { format: 'v2', truncated: false, bytes: Buffer.byteLength(cast) };
      store.put(s.id, row.exitedAt, JSON.stringify(info), store.blob(s.id)!, [{ kind: 'recording', data: gzipSync(cast, { level: 1 }) }]);
    } finally { store.close(); }

    const b = await spawnServer({ TERMPOOL_ARCHIVE: 'on', TERMPOOL_ARCHIVE_PATH: file });
    servers.push(b);
    const url = `${b.url}/v1/sessions/${s.id}/recording?format=v3`;
    // Warm the route and the store up (the first read of the row, the code paths), as recorded.
    expect((await fetch(`${b.url}/v1/sessions/${s.id}/recording`)).status).toBe(200);
    const before = b.rss();
    const downloads = await Promise.all(Array.from({ length: 6 }, () => firstChunk(url)));
    expect(downloads.map((d) => d.status)).toEqual([200, 200, 200, 200, 200, 200]);
    // Other clients while the six hang: the list, health, a screen.
    expect((await b.api('GET', '/v1/sessions')).status).toBe(200);
    expect((await fetch(`${b.url}/healthz`)).status).toBe(200);
    expect((await b.api('GET', `/v1/sessions/${s.id}/screen`)).body).toContain('small');
    const grown = b.rss() - before;
    // Whole inflation: each download holds its 16 MiB cast as a string (~170 MiB of RSS for six, measured).
    expect(grown, `RSS grew ${(grown / MiB).toFixed(1)} MiB for six stalled conversions`).toBeLessThan(64 * MiB);
  });
});
