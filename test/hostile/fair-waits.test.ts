/**
 * Waits, regexes and reflows that share the CPU (issue 23), on a real server in this process
 * (so the counters can be read) with a bystander polling another session's screen throughout.
 * Figures, not times: how often the event loop was blocked for a quarter of a second (each
 * full 250 ms of a stall counts once), condition evaluations per update, reflows per burst,
 * and the answers' codes.
 *
 *   - 2,000 concurrent waits: 64 pending on the session, the rest 429 WAIT_LIMIT; the server's
 *     cap (TERMPOOL_MAX_WAITS) holds across sessions; one evaluation per distinct condition per
 *     update, however many wait on it.
 *   - 40 concurrent scrollback searches with a catastrophic regex: each 400 BAD_REGEX or 429
 *     REGEX_BUSY, and the loop is never held for the 40 x 100 ms they burn together.
 *   - 20 resizes of a 500x200 session with 10,000 styled lines in one burst: one reflow, to the
 *     last size, with the screen a single resize gives; readers in between see the new size.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Terminal } from '../../src/engine/index.js';
import { localBackend } from '../../src/mcp/local-backend.js';
import { burst, waitRequests, type Answer } from '../helpers/hostile-fair.js';
import { startTestServer, type TestServer } from '../helpers/service.js';
import { mainThreadCpuMs } from '../helpers/main-thread-cpu.js';

let srv: TestServer;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'termpool-fair-'));
  srv = await startTestServer({ TERMPOOL_MAX_WAITS: '100', TERMPOOL_MAX_SESSIONS: '16' });
});
afterAll(async () => {
  await srv?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Counts the quarter-seconds the event loop was held by this process's own work: a drift counter
 * ticking every 10 ms, where a late tick counts when the main thread also burnt that much CPU
 * meanwhile. On the shared machine (load 5-15 on 2 cores) a process is also descheduled for
 * hundreds of ms at a time; that is not the server holding its loop, and is left out (`idle`).
 */
function blockage() {
  const h = monitorEventLoopDelay({ resolution: 10 });
  h.enable();
  let last = performance.now();
  let cpu = mainThreadCpuMs();
  let quarters = 0;
  let stalls = 0;
  let idle = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    const late = now - last - 10;
    // The main thread's own CPU time: 2,000 requests' GC runs on V8's helper threads, which
    // process.cpuUsage() would count although they never hold the loop.
    const busyMs = mainThreadCpuMs() - cpu;
    last = now;
    cpu += busyMs;
    if (late <= 250) return;
    if (busyMs >= 250) { stalls++; quarters += Math.floor(Math.min(late, busyMs) / 250); } else idle++;
  }, 10);
  return {
    stop() {
      clearInterval(timer);
      h.disable();
      return { stalls, quarters, descheduled: idle, maxDelayMs: Math.round(h.max / 1e6) };
    },
  };
}

/** Polls a bash session's screen, one request at a time, until stopped. */
function bystander(id: string) {
  let on = true;
  let answers = 0;
  let failed = 0;
  const done = (async () => {
    while (on) {
      try {
        const r = await fetch(`${srv.url}/v1/sessions/${id}/screen?format=text`);
        await r.arrayBuffer();
        if (r.status === 200) answers++; else failed++;
      } catch { failed++; }
    }
  })();
  return { async stop() { on = false; await done; return { answers, failed }; } };
}

async function bash(): Promise<string> {
  const r = await srv.api('POST', '/v1/sessions', { command: 'bash', args: ['--norc', '--noprofile'], env: { PS1: '$ ' } });
  await srv.api('POST', `/v1/sessions/${r.body.id}/wait`, { text: '$', timeoutMs: 10_000 });
  return r.body.id as string;
}

async function post(p: string, body: unknown): Promise<{ status: number; body: any }> {
  const r = await fetch(srv.url + p, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: r.status, body: await r.json() };
}

const count = (xs: ({ status: number; body: any } | Answer)[]) => {
  const c: Record<string, number> = {};
  for (const x of xs) {
    const error = 'body' in x ? x.body?.error : x.error;
    const k = `${x.status}${error ? ` ${error}` : ''}`;
    c[k] = (c[k] ?? 0) + 1;
  }
  return c;
};

describe('Fair waits: 2,000 concurrent waits on a session printing every 10 ms', () => {
  it('64 pending on the session, the rest 429 WAIT_LIMIT; one evaluation per condition per update; the server cap holds', async () => {
    const by = await bash();
    const ticker = (await srv.api('POST', '/v1/sessions', { command: 'bash', args: ['-c', 'i=0; while :; do i=$((i+1)); echo tick $i; sleep 0.01; done'] })).body.id as string;
    const other = (await srv.api('POST', '/v1/sessions', { command: 'bash', args: ['-c', 'while :; do echo other; sleep 0.05; done'] })).body.id as string;
    await srv.api('POST', `/v1/sessions/${ticker}/wait`, { text: 'tick 5', timeoutMs: 10_000 });
    const session = srv.app.sessions.get(ticker);
    const waits = srv.app.sessions.waits;

    const block = blockage();
    const poll = bystander(by);
    // The 2,000 clients are another process, so that this one's event loop is the server's:
    // 1,936 refusals come back at once, 64 waits stay pending (until the session is deleted).
    const refused: Answer[] = [];
    const storm = burst(waitRequests(`${srv.url}/v1/sessions/${ticker}/wait`, 2000, 120_000), { batch: 100, pauseMs: 100, onAnswer: (a) => refused.push(a) });
    await expect.poll(() => refused.length, { timeout: 60_000, interval: 50 }).toBe(2000 - 64);
    const hub = waits.hub(session)!;
    expect(hub.size).toBe(64);
    expect(hub.conditions).toBe(2);
    expect(count(refused)).toEqual({ '429 WAIT_LIMIT': 1936 });
    const one = await post(`/v1/sessions/${ticker}/wait`, { text: 'NEVER', timeoutMs: 1000 });
    expect(one).toMatchObject({ status: 429, body: { error: 'WAIT_LIMIT', details: { pending: 64, limit: 64 } } });
    expect(one.body.message).toContain('TERMPOOL_MAX_WAITS_PER_SESSION');

    // Over a second of ticks: at most one evaluation per condition per update.
    const v0 = session.version;
    const e0 = hub.evaluations;
    await sleep(1000);
    const updates = session.version - v0;
    const evaluations = hub.evaluations - e0;
    expect(updates).toBeGreaterThan(10);
    expect(evaluations).toBeLessThanOrEqual(2 * updates + 2);

    // The server's cap (100 here) counts every session's waits: 36 more fit, on another session.
    const more = await Promise.all(Array.from({ length: 60 }, (_, i) => {
      const p = post(`/v1/sessions/${other}/wait`, { text: `NEVER${i}`, timeoutMs: 1500 });
      return Promise.race([p, sleep(1000).then(() => ({ status: 0, body: {} }))]);
    }));
    expect(count(more)).toEqual({ '0': 36, '429 WAIT_LIMIT': 24 });
    expect(more.find((r) => r.status === 429)!.body.message).toContain('TERMPOOL_MAX_WAITS)');

    const by2 = await poll.stop();
    const b = block.stop();
    // Deleting the session ends its pending waits: the program is gone and their text never came (408, reason exited).
    await srv.api('DELETE', `/v1/sessions/${ticker}`);
    const waited = await storm;
    console.log(`2,000 waits: ${JSON.stringify(count(waited))}; ${evaluations} evaluations for ${updates} updates (2 conditions x 64 waits); ` +
      `bystander ${by2.answers} screens (${by2.failed} failed); event loop held ${b.stalls} times over 250 ms (${b.quarters} quarter-seconds; ${b.descheduled} late ticks while descheduled), max delay ${b.maxDelayMs} ms`);
    expect(count(waited)).toEqual({ '408': 64, '429 WAIT_LIMIT': 1936 });
    expect(by2.failed).toBe(0);
    expect(by2.answers).toBeGreaterThan(20);
    expect(b.quarters).toBeLessThanOrEqual(1);
    expect(waits.hub(session)).toBeUndefined();
    for (const id of [by, other]) await srv.api('DELETE', `/v1/sessions/${id}`);
    await expect.poll(() => waits.size).toBe(0);
  }, 90_000);
});

describe('Fair waits: MCP wait_for counts too', () => {
  it('REST /wait and MCP wait_for share the per-session cap', async () => {
    const own = await startTestServer({ TERMPOOL_MAX_WAITS_PER_SESSION: '2' });
    try {
      const id = (await own.api('POST', '/v1/sessions', { command: 'bash', args: ['-c', 'echo ready; exec sleep 600'] })).body.id as string;
      await own.api('POST', `/v1/sessions/${id}/wait`, { text: 'ready', timeoutMs: 10_000 });
      const mcp = localBackend(own.app.sessions);
      const first = mcp.wait(id, { text: 'NEVER', timeoutMs: 1500 });
      const second = own.api('POST', `/v1/sessions/${id}/wait`, { regex: '^NEVER$', timeoutMs: 1500 });
      await expect.poll(() => own.app.sessions.waits.size).toBe(2);
      await expect(mcp.wait(id, { text: 'NEVER', timeoutMs: 1500 })).rejects.toMatchObject({ code: 'WAIT_LIMIT' });
      expect(await own.api('POST', `/v1/sessions/${id}/wait`, { text: 'ready', timeoutMs: 1500 })).toMatchObject({ status: 429, body: { error: 'WAIT_LIMIT' } });
      expect(await first).toMatchObject({ satisfied: false, reason: 'timeout' });
      expect((await second).status).toBe(408);
      // Places are given back: a wait fits again.
      expect((await own.api('POST', `/v1/sessions/${id}/wait`, { text: 'ready', timeoutMs: 1500 })).status).toBe(200);
    } finally {
      await own.close();
    }
  }, 30_000);
});

describe('Fair regexes: 40 concurrent catastrophic scrollback searches', () => {
  it('each 400 BAD_REGEX or 429 REGEX_BUSY, and the event loop is never held for their sum', async () => {
    const by = await bash();
    const a = 'a'.repeat(40);
    const victim = (await srv.api('POST', '/v1/sessions', { command: 'bash', args: ['-c', `for i in $(seq 50); do echo ${a}!; done; echo READY; exec sleep 600`] })).body.id as string;
    await srv.api('POST', `/v1/sessions/${victim}/wait`, { text: 'READY', timeoutMs: 10_000 });
    const budget = srv.app.sessions.regexBudget;
    const steps0 = budget.steps;

    const block = blockage();
    const poll = bystander(by);
    const url = `${srv.url}/v1/sessions/${victim}/scrollback?regex=${encodeURIComponent('(a+)+$')}`;
    const answers = await burst(Array.from({ length: 40 }, () => ({ method: 'GET' as const, url })), { warm: 40 });
    const by2 = await poll.stop();
    const b = block.stop();
    const c = count(answers);
    console.log(`40 catastrophic searches: ${JSON.stringify(c)}; ${budget.steps - steps0} budget steps; bystander ${by2.answers} screens (${by2.failed} failed); ` +
      `event loop held ${b.stalls} times over 250 ms (${b.quarters} quarter-seconds; ${b.descheduled} late ticks while descheduled), max delay ${b.maxDelayMs} ms`);
    expect(Object.keys(c).every((k) => k === '400 BAD_REGEX' || k === '429 REGEX_BUSY')).toBe(true);
    expect(c['400 BAD_REGEX']).toBeGreaterThanOrEqual(1);
    expect(c['400 BAD_REGEX']! + (c['429 REGEX_BUSY'] ?? 0)).toBe(40);
    expect(b.quarters).toBeLessThanOrEqual(2);
    expect(by2.failed).toBe(0);
    expect(budget.searches).toBe(0);
    // A plain search still works afterwards, and finds every line.
    const ok = await srv.api('GET', `/v1/sessions/${victim}/scrollback?regex=${encodeURIComponent('^a+!$')}`);
    expect(ok.status).toBe(200);
    expect(ok.body.matches).toHaveLength(50);
    for (const id of [by, victim]) await srv.api('DELETE', `/v1/sessions/${id}`);
  }, 90_000);
});

describe('Coalesced resizes: a burst on a 500x200 session with 10,000 styled lines', () => {
  /** 10,000 styled lines of 300 columns, then END. */
  function styledFile(): { file: string; bytes: string } {
    const pad = 'x'.repeat(280);
    let out = '';
    for (let i = 1; i <= 10_000; i++) out += `\x1b[3${i % 8};4${(i + 3) % 8}m line ${i} ${pad}\x1b[0m\n`;
    out += 'END\n';
    const file = path.join(dir, 'styled.txt');
    writeFileSync(file, out);
    return { file, bytes: out };
  }

  it('20 resizes over one WebSocket: one reflow, to the last size, the screen a single resize gives', async () => {
    const { file, bytes } = styledFile();
    const by = await bash();
    const id = (await srv.api('POST', '/v1/sessions', { command: 'bash', args: ['-c', `cat '${file}'; exec sleep 600`], cols: 500, rows: 200, scrollback: 10_000 })).body.id as string;
    await srv.api('POST', `/v1/sessions/${id}/wait`, { regex: '^END$', stableMs: 300, timeoutMs: 30_000 });
    const s = srv.app.sessions.get(id);
    const r0 = s.reflows;

    // No compression: deflating would send the frames over several turns, not in one write each.
    const ws = new WebSocket(`${srv.url.replace('http', 'ws')}/v1/sessions/${id}/ws`, { perMessageDeflate: false });
    await new Promise((res, rej) => { ws.once('open', res); ws.once('error', rej); });
    const sizes = Array.from({ length: 20 }, (_, i) => ({ cols: i % 2 === 0 ? 250 + i : 499 - i, rows: 100 + i }));
    const last = sizes[sizes.length - 1]!;
    const block = blockage();
    const poll = bystander(by);
    for (const z of sizes) ws.send(JSON.stringify({ type: 'resize', ...z }));
    await expect.poll(() => `${s.spec.cols}x${s.spec.rows}`, { timeout: 10_000 }).toBe(`${last.cols}x${last.rows}`);
    await s.resized();
    await sleep(300);
    const by2 = await poll.stop();
    const b = block.stop();
    const reflows = s.reflows - r0;
    console.log(`20 resizes in a burst: ${reflows} reflow(s); bystander ${by2.answers} screens; event loop held ${b.stalls} times over 250 ms (${b.quarters} quarter-seconds; ${b.descheduled} late ticks while descheduled), max delay ${b.maxDelayMs} ms`);
    expect(reflows).toBe(1);
    // One reflow of this session is itself 150-600 ms (machine load); twenty were 3-12 s.
    expect(b.quarters).toBeLessThanOrEqual(3);
    const info = (await srv.api('GET', `/v1/sessions/${id}`)).body;
    expect([info.cols, info.rows]).toEqual([last.cols, last.rows]);

    // The same bytes in a terminal of our own, resized once.
    const t = new Terminal({ cols: 500, rows: 200, scrollback: 10_000 });
    try {
      t.write(bytes.replace(/\n/g, '\r\n'));
      t.resize(last.cols, last.rows);
      expect(s.screenLines()).toEqual(t.screenLines());
      expect(s.terminal.scrollbackLength).toBe(t.scrollbackLength);
      expect(s.terminal.scrollbackLines(0, 3)).toEqual(t.scrollbackLines(0, 3));
    } finally { t.dispose(); }
    ws.close();

    // 20 POSTs at once, on 20 connections that arrive over several turns of the loop: the
    // reflow waits RESIZE_SETTLE_MS (or as long as the last reflow took) for the rest. Every
    // answer has the size of the session after the reflow that followed it.
    const r1 = s.reflows;
    const others = sizes.map((z) => ({ cols: z.cols + 1, rows: z.rows }));
    const answers = await Promise.all(others.map((z) => srv.api('POST', `/v1/sessions/${id}/resize`, z)));
    expect(answers.every((a) => a.status === 200)).toBe(true);
    console.log(`20 concurrent POST /resize: ${s.reflows - r1} reflow(s)`);
    expect(s.reflows - r1).toBeGreaterThanOrEqual(1);
    expect(s.reflows - r1).toBeLessThanOrEqual(3);
    for (const a of answers) expect(others).toContainEqual({ cols: a.body.cols, rows: a.body.rows });
    for (const x of [by, id]) await srv.api('DELETE', `/v1/sessions/${x}`);
  }, 120_000);

  it('a reader between the resize and its turn sees the new size; output is parsed at it; the recording has the size applied', async () => {
    const r = await srv.api('POST', '/v1/sessions', { command: 'bash', args: ['--norc', '--noprofile'], env: { PS1: '$ ' }, cols: 40, rows: 10, record: true });
    const id = r.body.id as string;
    await srv.api('POST', `/v1/sessions/${id}/wait`, { text: '$', timeoutMs: 10_000 });
    const s = srv.app.sessions.get(id);
    const r0 = s.reflows;
    s.resize(60, 12);
    s.resize(30, 8);
    // Before the turn: the reader applies it (once), and sees it.
    expect(s.screenLines()).toHaveLength(8);
    expect(s.terminal.cols).toBe(30);
    expect(s.reflows - r0).toBe(1);
    await s.resized();
    expect(s.reflows - r0).toBe(1);
    await srv.api('POST', `/v1/sessions/${id}/input`, { text: 'stty size\r' });
    expect((await srv.api('POST', `/v1/sessions/${id}/wait`, { regex: '^8 30$', timeoutMs: 5000 })).status).toBe(200);
    const cast = await (await fetch(`${srv.url}/v1/sessions/${id}/recording`)).text();
    const resizes = cast.split('\n').filter((l) => l.includes('"r"')).map((l) => JSON.parse(l)[2]);
    expect(resizes).toEqual(['30x8']);
    await srv.api('DELETE', `/v1/sessions/${id}`);
  }, 30_000);
});
