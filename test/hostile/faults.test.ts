/**
 * Faults: a program that crashes or is killed (the session reports the signal and keeps its
 * screen); SIGTERM to a server process holding 50 live sessions, some ignoring SIGHUP (exit 0,
 * nothing left in the process table); a WebSocket viewer that stops reading during a flood and
 * ~100 MB of output into one session (the server's RSS stays bounded: the scrollback cap, not the
 * output size, decides); the session cap under concurrent creation (429, others unaffected).
 *
 * Memory is measured on a real server process (/proc/<pid>/status VmRSS), not the test runner.
 * The 1 GB flood of issue 6 is `npm run flood` (bench/flood.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { runFlood, formatFlood } from '../../bench/flood.js';
import { gone, startTestServer, type TestServer } from '../helpers/service.js';
import { processTable, spawnServer, type ServerProcess } from '../helpers/server-process.js';

const MiB = 2 ** 20;

describe('Faults: the program crashes or is killed', () => {
  let srv: TestServer;
  beforeAll(async () => { srv = await startTestServer(); });
  afterAll(async () => { await srv?.close(); });

  const bash = async (args: string[] = ['--norc', '--noprofile']): Promise<{ id: string; pid: number }> => {
    const r = await srv.api('POST', '/v1/sessions', { command: 'bash', args });
    expect(r.status).toBe(201);
    return r.body;
  };

  it.each(['SIGSEGV', 'SIGKILL', 'SIGABRT', 'SIGBUS'] as const)('kill -%s of the program: signal reported, screen and scrollback kept, 409 for input', async (sig) => {
    const s = await bash();
    await srv.api('POST', `/v1/sessions/${s.id}/input`, { text: 'for i in $(seq 1 40); do echo line-$i; done; echo before-crash\r' });
    expect((await srv.api('POST', `/v1/sessions/${s.id}/wait`, { regex: '^before-crash$', timeoutMs: 10_000 })).status).toBe(200);
    process.kill(s.pid, sig);
    const w = await srv.api('POST', `/v1/sessions/${s.id}/wait`, { exit: true, timeoutMs: 10_000 });
    expect(w.status).toBe(200);
    expect(w.body.session).toMatchObject({ state: 'exited', signal: sig, exitCode: null });
    const info = await srv.api('GET', `/v1/sessions/${s.id}`);
    expect(info.body).toMatchObject({ state: 'exited', signal: sig });
    expect(info.body.pageCount).toBeGreaterThan(0);
    const screen = await srv.api('GET', `/v1/sessions/${s.id}/screen`);
    expect(screen.body).toContain('before-crash');
    const sb = await srv.api('GET', `/v1/sessions/${s.id}/scrollback?q=line-1`);
    expect(sb.body.matches.length).toBeGreaterThan(0);
    expect((await srv.api('POST', `/v1/sessions/${s.id}/input`, { text: 'x' })).status).toBe(409);
    await srv.api('DELETE', `/v1/sessions/${s.id}`);
  });

  it('a program that crashes itself (SIGSEGV, abort, exit 139) is reported the same way', async () => {
    for (const [args, want] of [
      [['-c', 'echo about-to-segv; kill -SEGV $$'], { signal: 'SIGSEGV', exitCode: null }],
      [['-c', 'echo about-to-abort; kill -ABRT $$'], { signal: 'SIGABRT', exitCode: null }],
      [['-c', 'echo about-to-exit; exit 139'], { signal: null, exitCode: 139 }],
    ] as const) {
      const s = await bash([...args]);
      const w = await srv.api('POST', `/v1/sessions/${s.id}/wait`, { exit: true, timeoutMs: 10_000 });
      expect(w.body.session, args[1]).toMatchObject({ state: 'exited', ...want });
      expect(w.body.lines[0]).toMatch(/^about-to-/);
      await srv.api('DELETE', `/v1/sessions/${s.id}`);
    }
    expect((await srv.api('GET', '/healthz')).status).toBe(200);
  });
});

describe('Faults: SIGTERM with 50 live sessions', () => {
  it('exits 0 and leaves no process of any session\'s group behind', async () => {
    const server = await spawnServer({ TERMPOOL_MAX_SESSIONS: '100', TERMPOOL_LOG_LEVEL: 'warn' });
    const pgids = new Set<number>();
    try {
      const kinds: [string, string[]][] = [
        ['bash', ['--norc', '--noprofile']],
        ['sleep', ['600']],
        // The leader and its children ignore SIGHUP: only the SIGKILL after the grace period ends them.
        ['bash', ['-c', "trap '' HUP; sleep 600 & sleep 600 & wait"]],
        // A background child that ignores HUP and TERM, leader exec'd into sleep.
        ['bash', ['-c', "(trap '' HUP TERM; exec sleep 601) & exec sleep 602"]],
        // A pipeline: several processes in the group.
        ['bash', ['-c', 'sleep 603 | cat | cat']],
      ];
      const created = await Promise.all(Array.from({ length: 50 }, (_, i) => {
        const [command, args] = kinds[i % kinds.length]!;
        return server.api('POST', '/v1/sessions', { command, args });
      }));
      for (const r of created) expect(r.status).toBe(201);
      for (const r of created) pgids.add(r.body.pid as number);
      // Let every group start its children.
      const members = async (): Promise<number> => processTable().filter((p) => pgids.has(p.pgid) && !p.stat.startsWith('Z')).length;
      // 10 of each kind: 1 + 1 + 3 + 2 + 4 processes.
      const expected = 10 * (1 + 1 + 3 + 2 + 4);
      for (const end = Date.now() + 15_000; (await members()) < expected && Date.now() < end;) await new Promise((r) => setTimeout(r, 100));
      const before = await members();
      expect(before).toBeGreaterThanOrEqual(expected);

      const stop = await server.stop('SIGTERM');
      expect(stop.code).toBe(0);
      // Done before the grace (TERMPOOL_SHUTDOWN_GRACE_MS, 10 s) was over: it would have logged so.
      expect(server.log(), `stopped in ${stop.ms} ms`).not.toMatch(/shutdown grace .* is over|exiting anyway/);
      const left = processTable().filter((p) => pgids.has(p.pgid));
      const running = left.filter((p) => !p.stat.startsWith('Z'));
      expect(running, JSON.stringify(running)).toEqual([]);
      // Nothing the server started outlived it under another group either.
      expect(processTable().filter((p) => p.ppid === server.pid)).toEqual([]);
      console.log(`SIGTERM: ${created.length} sessions, ${before} processes in their groups → exit ${stop.code} in ${stop.ms} ms; ${running.length} left running, ${left.length - running.length} zombies awaiting init`);
    } finally {
      // A failed assertion must not leave 50 process groups running: the server's own shutdown
      // first, then the groups directly.
      await server.stop('SIGTERM');
      for (const g of pgids) { try { process.kill(-g, 'SIGKILL'); } catch { /* gone */ } }
    }
  }, 60_000);
});

/** A ws viewer; `pause()` stops reading from the socket (the server's send buffer then fills). */
async function viewer(server: ServerProcess, id: string): Promise<{ ws: WebSocket; bytes: () => number; messages: { type: string; [k: string]: unknown }[]; pause(): void; resume(): void }> {
  const ws = new WebSocket(`${server.url.replace('http', 'ws')}/v1/sessions/${id}/ws`);
  let bytes = 0;
  const messages: { type: string; [k: string]: unknown }[] = [];
  ws.on('message', (d) => {
    const m = JSON.parse(d.toString()) as { type: string; data?: string };
    if (m.type === 'output') bytes += Buffer.byteLength(m.data!);
    else messages.push(m);
  });
  await new Promise<void>((resolve, reject) => { ws.once('open', () => resolve()); ws.once('error', reject); });
  const sock = (ws as unknown as { _socket: { pause(): void; resume(): void } })._socket;
  return { ws, bytes: () => bytes, messages, pause: () => sock.pause(), resume: () => sock.resume() };
}

describe('Faults: floods and memory', () => {
  let server: ServerProcess;
  beforeAll(async () => { server = await spawnServer({ TERMPOOL_LOG_LEVEL: 'warn' }); });
  afterAll(async () => { await server?.stop('SIGTERM'); });

  /** A 21 MB flood into a new bash session with two viewers, one of them paused when `pause`. */
  async function viewedFlood(pause: boolean): Promise<{ rssGrowth: number; externalGrowth: number; healthMax: number; seconds: number; fastBytes: number; dropped: number }> {
    const s = (await server.api('POST', '/v1/sessions', { command: 'bash', args: ['--norc', '--noprofile'] })).body;
    const slow = await viewer(server, s.id);
    const fast = await viewer(server, s.id);
    // Warm up (first screen, JIT, engine pages) before the baseline.
    await server.api('POST', `/v1/sessions/${s.id}/input`, { text: 'seq 1 20000 | tail -1\r' });
    await server.api('POST', `/v1/sessions/${s.id}/wait`, { regex: '^20000$', timeoutMs: 20_000 });
    if (pause) slow.pause();
    const external = async (): Promise<number> => {
      const m = /^nodejs_external_memory_bytes (\d+)/m.exec((await server.api('GET', '/metrics')).body as string);
      return Number(m![1]);
    };
    const rss0 = server.rss();
    const ext0 = await external();
    // seq 1 3000000: 20.9 MB of output.
    const total = 20_888_897;
    await server.api('POST', `/v1/sessions/${s.id}/input`, { text: 'seq 1 3000000; echo flood-done\r' });
    let rssPeak = rss0;
    let extPeak = ext0;
    let healthMax = 0;
    const t0 = Date.now();
    for (;;) {
      rssPeak = Math.max(rssPeak, server.rss());
      extPeak = Math.max(extPeak, await external());
      const h0 = Date.now();
      expect((await server.api('GET', '/healthz')).status).toBe(200);
      healthMax = Math.max(healthMax, Date.now() - h0);
      const w = await server.api('POST', `/v1/sessions/${s.id}/wait`, { regex: '^flood-done$', timeoutMs: 100 });
      if (w.status === 200) break;
      if (Date.now() - t0 > 90_000) throw new Error('flood did not finish in 90 s');
    }
    const seconds = (Date.now() - t0) / 1000;
    rssPeak = Math.max(rssPeak, server.rss());
    // The reading viewer got every byte.
    for (const end = Date.now() + 10_000; fast.bytes() < total && Date.now() < end;) await new Promise((r) => setTimeout(r, 50));
    expect(fast.bytes()).toBeGreaterThanOrEqual(total);
    let dropped = 0;
    if (pause) {
      // The paused viewer resumes: a dropped notice and a fresh screen.
      slow.resume();
      for (const end = Date.now() + 10_000; !slow.messages.some((m) => m.type === 'dropped') && Date.now() < end;) await new Promise((r) => setTimeout(r, 50));
      dropped = (slow.messages.find((m) => m.type === 'dropped') as { bytes: number } | undefined)?.bytes ?? 0;
      expect(dropped).toBeGreaterThan(total / 2);
      const screens = slow.messages.filter((m) => m.type === 'screen');
      expect(screens.length).toBeGreaterThanOrEqual(2);
    }
    slow.ws.close();
    fast.ws.close();
    await server.api('DELETE', `/v1/sessions/${s.id}`);
    return { rssGrowth: rssPeak - rss0, externalGrowth: extPeak - ext0, healthMax, seconds, fastBytes: fast.bytes(), dropped };
  }

  it('a WebSocket viewer that stops reading during a flood: server memory bounded, other viewer and HTTP unaffected', async () => {
    // Control: the same flood with both viewers reading, so GC growth from the flood itself is
    // not mistaken for buffering.
    const control = await viewedFlood(false);
    const paused = await viewedFlood(true);
    const f = (n: number): string => `${(n / MiB).toFixed(1)} MiB`;
    console.log(`slow viewer: 21 MB flood; both reading: RSS +${f(control.rssGrowth)}, external +${f(control.externalGrowth)} (${control.seconds.toFixed(1)} s); ` +
      `one paused: RSS +${f(paused.rssGrowth)}, external +${f(paused.externalGrowth)} (${paused.seconds.toFixed(1)} s), dropped ${(paused.dropped / 1e6).toFixed(1)} MB for it; ` +
      `/healthz max ${Math.max(control.healthMax, paused.healthMax)} ms`);
    // Buffers queued for a socket are external memory: the paused viewer may hold about the
    // 1 MiB high-water mark plus what was in flight, never the 21 MB (~25 MB as JSON frames).
    expect(paused.externalGrowth).toBeLessThan(control.externalGrowth + 8 * MiB);
    expect(paused.rssGrowth).toBeLessThan(control.rssGrowth + 24 * MiB);
  }, 180_000);
  it('~100 MB into one session: page count flat once the scrollback is full, RSS bounded', async () => {
    const r = await runFlood(server, 100e6);
    console.log(formatFlood(r));
    expect(r.bytes).toBeGreaterThanOrEqual(100e6);
    expect(r.scrollbackLength).toBe(10_000);
    expect(r.pagesWhenFull).toBeGreaterThan(0);
    // After the scrollback filled, at most one page more than then (the one being rotated in).
    expect(r.pagesMaxAfterFull).toBeLessThanOrEqual(r.pagesWhenFull + 1);
    expect(r.pagesFinal).toBeLessThanOrEqual(r.pagesWhenFull + 1);
    // 10,000 lines x 80 columns is ~5 MiB of pages; RSS must not follow the 100 MB of output.
    expect(r.rssPeak - r.rssStart).toBeLessThan(80 * MiB);
    expect((await server.api('GET', '/healthz')).status).toBe(200);
  }, 120_000);
});

describe('Faults: the session cap', () => {
  it('concurrent creation past TERMPOOL_MAX_SESSIONS: exactly the cap succeeds, the rest get 429; existing sessions fine', async () => {
    const srv = await startTestServer({ TERMPOOL_MAX_SESSIONS: '6' });
    try {
      const first = (await srv.api('POST', '/v1/sessions', { command: 'bash', args: ['--norc', '--noprofile'] })).body;
      const rs = await Promise.all(Array.from({ length: 25 }, () => srv.api('POST', '/v1/sessions', { command: 'sleep', args: ['60'] })));
      const by = (st: number): number => rs.filter((r) => r.status === st).length;
      expect(by(201)).toBe(5);
      expect(by(429)).toBe(20);
      for (const r of rs.filter((x) => x.status === 429)) {
        expect(r.body).toMatchObject({ error: 'SESSION_LIMIT' });
        expect(r.body.message).toMatch(/TERMPOOL_MAX_SESSIONS/);
      }
      expect((await srv.api('GET', '/v1/sessions')).body.sessions).toHaveLength(6);
      await srv.api('POST', `/v1/sessions/${first.id}/input`, { text: 'echo still-$((2+3))\r' });
      expect((await srv.api('POST', `/v1/sessions/${first.id}/wait`, { regex: '^still-5$', timeoutMs: 5000 })).status).toBe(200);
      // Room again once one is deleted; the refused requests spawned nothing.
      const one = rs.find((r) => r.status === 201)!.body;
      await srv.api('DELETE', `/v1/sessions/${one.id}`);
      expect(await gone(one.pid)).toBe(true);
      expect((await srv.api('POST', '/v1/sessions', { command: 'sleep', args: ['60'] })).status).toBe(201);
      expect((await srv.api('POST', '/v1/sessions', { command: 'sleep', args: ['60'] })).status).toBe(429);
      const sleepers = processTable().filter((p) => p.comm === 'sleep' && p.ppid === process.pid);
      expect(sleepers.length).toBeLessThanOrEqual(5);
    } finally {
      await srv.close();
    }
  });
});
