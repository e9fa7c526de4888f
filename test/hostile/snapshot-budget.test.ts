/**
 * Screen reads that cannot eat memory (issue 23): a read past TERMPOOL_SNAPSHOT_MAX_CELLS is
 * refused before any work (422 SNAPSHOT_TOO_LARGE, src/routes/snapshot-budget.ts); a big read is
 * streamed from a frozen copy a piece at a time, only as fast as the client reads, with the very
 * bytes of the built answer (src/render/stream.ts). Before: a 500×200 session with 10,000 lines
 * of scrollback gave a 174 MB JSON built in one 15.8 s stall, and six clients that did not read
 * held 3.4 GB.
 */
import type net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { archiveTerminal, PagePool, Terminal } from '../../src/engine/index.js';
import { screenBody } from '../../src/render/screen-body.js';
import { spawnServer, type ServerProcess } from '../helpers/server-process.js';
import { startTestServer, type TestServer } from '../helpers/service.js';
import { readFileSync } from 'node:fs';
import { bigSession, fillerArgs, holdingReaders, nonReaders, scrollbackFilled, type SnapshotTarget } from '../helpers/hostile-snapshots.js';
import { mainThreadCpuMs } from '../helpers/main-thread-cpu.js';

const MiB = 1 << 20;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** A TestServer as the helpers' target (its api has extra arguments). */
const target = (srv: TestServer): SnapshotTarget => ({ url: srv.url, api: (m, p, b) => srv.api(m, p, b) });

describe('hostile: screen reads are budgeted (in-process)', () => {
  let srv: TestServer | undefined;
  let id = '';
  beforeAll(async () => {
    srv = await startTestServer({ TERMPOOL_SNAPSHOT_MAX_CELLS: '700000' });
    // Colour, a link and a wide char on the last lines, under 3,000 lines of random text.
    const tail = '\\033[1;31mred\\033[0m \\033[44m  \\033[0m \\033]8;;https://example.com/?a=1&b=2\\033\\\\link\\033]8;;\\033\\\\ 中 e\\314\\201';
    const r = await srv.api('POST', '/v1/sessions', { command: 'sh', args: fillerArgs(200, 3000, tail), cols: 200, rows: 50 });
    id = r.body.id;
    await scrollbackFilled(target(srv), id, 2950);
  }, 120_000);
  afterAll(async () => { await srv?.close(); });

  for (const format of ['json', 'text', 'ansi', 'html', 'svg'] as const) {
    it(`a big ${format} read is streamed (chunked), with exactly the bytes of the built answer`, async () => {
      const res = await fetch(`${srv!.url}/v1/sessions/${id}/screen?format=${format}&scrollback=100000`);
      expect(res.status).toBe(200);
      expect(res.headers.get('transfer-encoding')).toBe('chunked');
      const got = Buffer.from(await res.arrayBuffer());
      const built = await screenBody(srv!.app.sessions.read(id).snapshot(100000), format);
      expect(got.length).toBe(Buffer.byteLength(built as string));
      expect(got.equals(Buffer.from(built as string))).toBe(true);
      if (format === 'json') {
        const snap = JSON.parse(got.toString('utf8')) as { styles: unknown[]; links: string[]; lines: unknown[] };
        expect(snap.lines.length).toBe(50 + srv!.app.sessions.read(id).terminal.scrollbackLength);
        expect(snap.styles.length).toBeGreaterThan(2);
        expect(snap.links).toEqual(['https://example.com/?a=1&b=2']);
      }
    });
  }
});

describe('hostile: the cells cap (in-process)', () => {
  let srv: TestServer | undefined;
  let id = '';
  beforeAll(async () => {
    srv = await startTestServer({ TERMPOOL_SNAPSHOT_MAX_CELLS: '100000' });
    const r = await srv.api('POST', '/v1/sessions', { command: 'sh', args: fillerArgs(200, 1000), cols: 200, rows: 50 });
    id = r.body.id;
    await scrollbackFilled(target(srv), id, 950);
  }, 120_000);
  afterAll(async () => { await srv?.close(); });

  it('reads up to the cap answer; one line more is 422 SNAPSHOT_TOO_LARGE in every format, with the figures', async () => {
    for (const format of ['json', 'text', 'ansi', 'html', 'svg', 'png']) {
      // 200 × (50 + 450) = 100,000 cells: at the cap.
      expect((await srv!.api('GET', `/v1/sessions/${id}/screen?format=${format}&scrollback=450`)).status).toBe(200);
      const r = await srv!.api('GET', `/v1/sessions/${id}/screen?format=${format}&scrollback=451`);
      expect(r.status).toBe(422);
      expect(r.body).toMatchObject({ error: 'SNAPSHOT_TOO_LARGE', details: { cells: 100_200, max: 100_000, maxScrollback: 450 } });
      expect(r.body.message).toContain('TERMPOOL_SNAPSHOT_MAX_CELLS');
    }
  });

  it('asking for more scrollback than there is counts only the lines there are', async () => {
    const small = await srv!.api('POST', '/v1/sessions', { command: 'sh', args: fillerArgs(100, 10), cols: 100, rows: 20 });
    await scrollbackFilled(target(srv!), small.body.id, 0);
    expect((await srv!.api('GET', `/v1/sessions/${small.body.id}/screen?format=json&scrollback=1000000`)).status).toBe(200);
  });
});

describe('hostile: a large read during a synchronized update (in-process)', () => {
  let srv: TestServer | undefined;
  let id = '';
  beforeAll(async () => {
    srv = await startTestServer();
    // Output, then a sync update that never ends: each turn ends it and opens the next in one write.
    const r = await srv.api('POST', '/v1/sessions', {
      command: 'sh', cols: 200, rows: 50,
      args: ['-c', "base64 -w 200 /dev/urandom | head -n 1200; while :; do printf '\\033[?2026l\\033[?2026h'; sleep 0.2; done"],
    });
    id = r.body.id;
    await scrollbackFilled(target(srv), id, 1150);
  }, 120_000);
  afterAll(async () => { await srv?.close(); });

  it('is streamed too (never built whole): it waits out the frame, then copies the live screen', async () => {
    const s = srv!.app.sessions.get(id);
    expect(s.inFrame).toBe(true);
    const res = await fetch(`${srv!.url}/v1/sessions/${id}/screen?format=json&scrollback=100000`);
    expect(res.status).toBe(200);
    expect(res.headers.get('transfer-encoding')).toBe('chunked');
    const got = await res.text();
    const snap = JSON.parse(got) as { lines: unknown[]; modes: { synchronizedOutput: boolean } };
    expect(snap.lines.length).toBe(50 + s.terminal.scrollbackLength);
    expect(got).toBe(await screenBody(s.terminal.snapshot(100000), 'json'));
  });
});

describe('hostile: a streamed read gives its copy back (in-process, own pool)', () => {
  const pool = new PagePool();
  let srv: TestServer | undefined;
  let id = '';
  beforeAll(async () => {
    srv = await startTestServer({}, pool);
    const r = await srv.api('POST', '/v1/sessions', { command: 'sh', args: fillerArgs(200, 1200), cols: 200, rows: 50 });
    id = r.body.id;
    await scrollbackFilled(target(srv), id, 1150);
  }, 120_000);
  afterAll(async () => { await srv?.close(); });

  /** Polls until the pool has `n` owners (page lists: a terminal has one or two). */
  async function owners(n: (k: number) => boolean): Promise<number> {
    for (let i = 0; i < 200; i++) {
      const k = pool.stats().owners;
      if (n(k)) return k;
      await sleep(25);
    }
    return pool.stats().owners;
  }

  it('each streamed read holds a copy until it ends or its client goes away; then the pool has only the sessions', async () => {
    const before = pool.stats().owners;
    // ansi: a JSON read of this size (250,000 cells) is written at once without a copy (DIRECT_JSON_CELLS).
    const path = `/v1/sessions/${id}/screen?format=ansi&scrollback=100000`;
    const socks = nonReaders(srv!.url, path, 3);
    try {
      // Three copies (at least one page list each) while the clients do not read.
      expect(await owners((k) => k >= before + 3)).toBeGreaterThanOrEqual(before + 3);
    } finally {
      for (const s of socks) s.destroy();
    }
    expect(await owners((k) => k === before)).toBe(before);
    // A client that reads to the end gives the copy back too.
    const r = await fetch(srv!.url + path);
    expect((await r.arrayBuffer()).byteLength).toBeGreaterThan(200 * 1200);
    expect(await owners((k) => k === before)).toBe(before);
  });
});

describe('hostile: the copies of streamed reads are budgeted together (in-process)', () => {
  let srv: TestServer | undefined;
  let id = '';
  let copy = 0;
  beforeAll(async () => {
    // The size of one copy, from a terminal of the same shape and kind of content.
    const t = new Terminal({ cols: 200, rows: 50, scrollback: 10_000, pool: new PagePool() });
    for (let i = 0; i < 1200; i++) t.write(randomBytes(150).toString('base64') + '\r\n');
    t.compressColdPages();
    copy = archiveTerminal(t).byteLength;
    t.dispose();
    // Room for two copies, not three.
    srv = await startTestServer({ TERMPOOL_SNAPSHOT_COPY_BYTES: String(Math.floor(copy * 2.5)) });
    const r = await srv.api('POST', '/v1/sessions', { command: 'sh', args: fillerArgs(200, 1200), cols: 200, rows: 50 });
    id = r.body.id;
    await scrollbackFilled(target(srv), id, 1150);
  }, 120_000);
  afterAll(async () => { await srv?.close(); });

  // NOTE: this was flaky under the full suite's load (2 of 5 runs never saw the 429). The two
  // non-readers were opened at once and the third read retried in a loop: when the server, busy,
  // served a third read before the second non-reader, that one got the 429 and held nothing, and
  // every later third read fit. Now each holder is opened only once the one before is answered
  // (holdingReaders), and there is a single third read.
  it('reads that hold copies past TERMPOOL_SNAPSHOT_COPY_BYTES are 429 SNAPSHOT_BUSY until those are read or dropped', { timeout: 180_000 }, async () => {
    const path = `/v1/sessions/${id}/screen?format=json&scrollback=100000`;
    // A held read keeps its copy only while its answer has not all been generated: the answer
    // must be larger than what the kernel takes for a client that does not read (the server's
    // send buffer, at most tcp_wmem's max, plus the client's initial receive buffer).
    const size = (await (await fetch(srv!.url + path)).arrayBuffer()).byteLength;
    const [wmemMax, rmemInitial] = [readSysctl('tcp_wmem', 2), readSysctl('tcp_rmem', 1)];
    expect(size, `the answer (${size} bytes) must be larger than the socket buffers (${wmemMax} + ${rmemInitial})`).toBeGreaterThan(1.5 * (wmemMax + rmemInitial));
    const socks = await holdingReaders(srv!.url, path, 2);
    try {
      const third = await srv!.api('GET', path);
      expect(third.status).toBe(429);
      expect(third!.body).toMatchObject({ error: 'SNAPSHOT_BUSY', details: { max: Math.floor(copy * 2.5) } });
      expect(third!.body.details.held).toBeGreaterThan(copy * 1.5);
      expect(third!.body.message).toContain('TERMPOOL_SNAPSHOT_COPY_BYTES');
    } finally {
      for (const s of socks) s.destroy();
    }
    // Their copies given back, reads are answered again.
    let ok = 0;
    for (let i = 0; i < 100 && ok === 0; i++) {
      await sleep(50);
      const r = await fetch(srv!.url + path);
      await r.arrayBuffer();
      if (r.status === 200) ok++;
    }
    expect(ok).toBe(1);
  });
});

describe('hostile: clients that do not read a big snapshot (real server)', () => {
  const LINES = Number(process.env['TERMPOOL_TEST_SNAPSHOT_LINES'] ?? 4000);
  let srv: ServerProcess | undefined;
  let id = '';
  let bystander = '';
  const socks: net.Socket[] = [];
  beforeAll(async () => {
    srv = await spawnServer();
    bystander = (await srv.api('POST', '/v1/sessions', { command: 'sh', args: ['-c', 'echo hi; exec sleep 1000'], cols: 80, rows: 24 })).body.id;
    id = await bigSession(srv, LINES);
  }, 180_000);
  afterAll(async () => {
    for (const s of socks) s.destroy();
    await srv?.stop();
  });

  it('six clients that never read hold the server to +200 MiB; a bystander is answered throughout', async () => {
    const base = srv!.rss();
    let peak = base;
    const sampler = setInterval(() => { peak = Math.max(peak, srv!.rss()); }, 50);
    let answered = 0;
    let slow = 0;
    let stop = false;
    let late = 0;
    const poll = (async () => {
      while (!stop) {
        const t0 = performance.now();
        const cpu0 = mainThreadCpuMs(srv!.pid);
        const r = await fetch(`${srv!.url}/v1/sessions/${bystander}/screen`);
        await r.text();
        if (r.status === 200) answered++;
        // A generous bound (the pieces are ~10 ms): only a stall of the whole answer's build shows.
        // Slow only when the server's event loop thread also worked most of that second: on a
        // loaded 2-core machine the server is descheduled for seconds, which is not a stall.
        if (performance.now() - t0 > 1000) {
          if (mainThreadCpuMs(srv!.pid) - cpu0 >= 800) slow++; else late++;
        }
      }
    })();
    try {
      socks.push(...nonReaders(srv!.url, `/v1/sessions/${id}/screen?format=json&scrollback=1000000`, 6));
      await sleep(8000);
    } finally {
      stop = true;
      await poll;
      clearInterval(sampler);
    }
    const growth = peak - base;
    console.log(`snapshot non-readers: 6 × ${LINES} lines of 500 columns: RSS ${base >> 20} -> peak ${peak >> 20} MiB (+${growth >> 20}); bystander ${answered} screens, ${slow} over 1 s of the server's CPU (${late} more over 1 s while it was descheduled)`);
    expect(growth).toBeLessThan(200 * MiB);
    expect(slow).toBe(0);
    // Built whole, the six answers held the loop for seconds each: a bystander got one or two.
    expect(answered).toBeGreaterThan(5);
    // And the server still answers the whole thing to a client that reads.
    const full = await fetch(`${srv!.url}/v1/sessions/${id}/screen?format=json&scrollback=1000000`);
    const j = await full.json() as { lines: unknown[] };
    expect(j.lines.length).toBe(LINES + 1);
  }, 120_000);
});

/** Field `i` of /proc/sys/net/ipv4/<name> (min, default, max), in bytes. */
function readSysctl(name: string, i: number): number {
  return Number(readFileSync(`/proc/sys/net/ipv4/${name}`, 'utf8').trim().split(/\s+/)[i]);
}

