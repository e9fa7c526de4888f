/**
 * POST /v1/render replays a client's bytes on render workers, within a budget (issue 23): a cast
 * of resizes that costs seconds of CPU, or a REP flood, no longer stops the server. Measured in
 * the server's own process (startTestServer listens in this one): an interval timer counts the
 * event-loop stalls over 250 ms (ones the main thread's own CPU time accounts for) while a
 * bystander polls a live bash session's screen.
 * Past TERMPOOL_RENDER_TIMEOUT_MS the worker is ended and the client gets 422 RENDER_BUDGET;
 * with every worker busy and the queue full, 429 RENDER_BUSY. Figures, never times, are asserted.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repFlood, resizeCast } from '../helpers/hostile-renders.js';
import { startTestServer, type TestServer } from '../helpers/service.js';
import { mainThreadCpuMs } from '../helpers/main-thread-cpu.js';

const BASH = { command: 'bash', args: ['--norc', '--noprofile'], env: { PS1: '$ ' } };
/** A gap this long between two ticks of a 20 ms timer is a stall. */
const STALL_MS = 250;
// The attack of issue 23 four times over (16,000 reflows of 1,200 lines at 500 and 250 columns,
// 520 KB): issue 23's 4,000 take 5 s of one idle core now (`termpool render`), right at the
// 5 s budget below (a CI run once finished one: 200); 16,000 are about 19 s, far past it.
const HEAVY_CAST = resizeCast({ resizes: 16_000 });
/**
 * The budget of the first server: the heavy cast is far past it, the REP flood well within (~0.5 s
 * of CPU; at 2 s it was over the budget once on a 2-core machine at load 10, where the worker's
 * share of a core is a fraction).
 */
const BUDGET_MS = 5000;

/**
 * Counts the event loop's stalls over STALL_MS until stopped. A late tick is a stall only when
 * the main thread also burnt most of that time itself: on a loaded 2-core machine the process is
 * also descheduled for hundreds of ms, which is not the server holding its loop (`descheduled`).
 */
function stallCounter(): { stop(): { stalls: number; worstMs: number; descheduled: number } } {
  let last = performance.now();
  let cpu = mainThreadCpuMs();
  let stalls = 0;
  let worst = 0;
  let descheduled = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    const gap = now - last;
    const used = mainThreadCpuMs() - cpu;
    last = now;
    cpu += used;
    if (gap <= STALL_MS) return;
    // 0.8: the clock-tick resolution (10 ms) and the tick's own lateness.
    if (used >= 0.8 * STALL_MS) { stalls++; worst = Math.max(worst, gap); } else descheduled++;
  }, 20);
  return { stop: () => { clearInterval(timer); return { stalls, worstMs: Math.round(worst), descheduled }; } };
}

/** Polls a session's screen one request at a time until stopped: how many answered, how many failed. */
function bystander(srv: TestServer, id: string): { stop(): Promise<{ ok: number; failed: number }> } {
  let running = true;
  let ok = 0;
  let failed = 0;
  const loop = (async () => {
    while (running) {
      const r = await fetch(`${srv.url}/v1/sessions/${id}/screen?format=text`);
      await r.arrayBuffer();
      if (r.status === 200) ok++; else failed++;
    }
  })();
  return { stop: async () => { running = false; await loop; return { ok, failed }; } };
}

async function render(srv: TestServer, body: string | Uint8Array, query = '', type = 'application/x-asciicast'): Promise<{ status: number; body: any; text: string; headers: Headers }> {
  const r = await fetch(`${srv.url}/v1/render${query}`, { method: 'POST', headers: { 'content-type': type }, body });
  const text = await r.text();
  let parsed: any = text;
  try { parsed = JSON.parse(text); } catch { /* text */ }
  return { status: r.status, body: parsed, text, headers: r.headers };
}

async function bashSession(srv: TestServer): Promise<string> {
  const c = await srv.api('POST', '/v1/sessions', BASH);
  expect(c.status, JSON.stringify(c.body)).toBe(201);
  const w = await srv.api('POST', `/v1/sessions/${c.body.id}/wait`, { text: '$', timeoutMs: 10_000 });
  expect(w.status).toBe(200);
  return c.body.id as string;
}

describe('POST /v1/render: hostile replays do not stop the server', () => {
  let srv: TestServer | undefined;
  let id: string;
  beforeAll(async () => {
    srv = await startTestServer({ TERMPOOL_RENDER_TIMEOUT_MS: String(BUDGET_MS), TERMPOOL_BODY_LIMIT: String(1 << 20) });
    id = await bashSession(srv);
  });
  afterAll(async () => { await srv?.close(); });

  it('a cast of 16,000 width-changing resizes at 500x200 is stopped at the budget (422 RENDER_BUDGET), three times over, with no stall', async () => {
    const s = srv!;
    const by = bystander(s, id);
    const loop = stallCounter();
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) {
      const r = await render(s, HEAVY_CAST);
      statuses.push(r.status);
      if (r.status === 422) {
        expect(r.body.error).toBe('RENDER_BUDGET');
        expect(r.body.message).toContain('TERMPOOL_RENDER_TIMEOUT_MS');
        expect(r.body.details).toEqual({ budget: 'time', limitMs: BUDGET_MS });
      }
    }
    const { stalls, worstMs, descheduled } = loop.stop();
    const seen = await by.stop();
    console.log(`resize cast x3: statuses ${statuses.join(',')}, stalls ${stalls} (worst ${worstMs} ms; ${descheduled} late ticks while descheduled), bystander ${seen.ok} ok / ${seen.failed} failed`);
    expect(statuses).toEqual([422, 422, 422]);
    // In-process (no pool) these are 3 stalls as long as the replays; allow one for a loaded machine.
    expect(stalls).toBeLessThanOrEqual(1);
    expect(seen.failed).toBe(0);
    expect(seen.ok).toBeGreaterThanOrEqual(3);
    // The bash session still answers.
    expect((await s.api('POST', `/v1/sessions/${id}/input`, { text: 'echo still-here\r' })).status).toBe(200);
    expect((await s.api('POST', `/v1/sessions/${id}/wait`, { text: 'still-here\n', timeoutMs: 10_000 })).status).toBe(200);
  });

  it('40 KB of `x ESC[100000b` at 500x200 renders (the REP budget) with no stall', async () => {
    const s = srv!;
    const by = bystander(s, id);
    const loop = stallCounter();
    const r = await render(s, repFlood(), '?cols=500&rows=200&format=json', 'application/octet-stream');
    const { stalls, worstMs, descheduled } = loop.stop();
    const seen = await by.stop();
    console.log(`REP flood: status ${r.status}, stalls ${stalls} (worst ${worstMs} ms; ${descheduled} late ticks while descheduled), bystander ${seen.ok} ok / ${seen.failed} failed`);
    // Without the REP budget the replay alone is 3.4 s: 422 at this budget.
    expect(r.status).toBe(200);
    expect(r.body.lines).toHaveLength(200);
    expect(r.body.lines[0].text).toBe('x'.repeat(500));
    expect(stalls).toBeLessThanOrEqual(1);
    expect(seen.failed).toBe(0);
  });

  it('after a worker was ended, the next render is answered as before', async () => {
    const cast = ['{"version": 2, "width": 12, "height": 3}', '[0.1, "o", "first\\r\\n"]', '[1.2, "o", "second\\r\\n"]', '[2.0, "r", "8x2"]', ''].join('\n');
    expect((await render(srv!, cast, '?at=1.5')).text).toBe('first\nsecond\n\n');
    const bad = await render(srv!, '{"version": 2, "width": 12, "height": 3}\n[0.1, "o" "b"]\n');
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ error: 'BAD_CAST', details: { line: 2 } });
  });
});

describe('POST /v1/render: admission', () => {
  let srv: TestServer | undefined;
  beforeAll(async () => {
    srv = await startTestServer({ TERMPOOL_RENDER_TIMEOUT_MS: '1000', TERMPOOL_RENDER_CONCURRENCY: '1', TERMPOOL_RENDER_QUEUE: '1' });
  });
  afterAll(async () => { await srv?.close(); });

  it('one running, one waiting: a third render at once is 429 RENDER_BUSY; the first two end at the budget', async () => {
    const s = srv!;
    const rs = await Promise.all([render(s, HEAVY_CAST), render(s, HEAVY_CAST), render(s, HEAVY_CAST)]);
    const statuses = rs.map((r) => r.status).sort();
    expect(statuses).toEqual([422, 422, 429]);
    const busy = rs.find((r) => r.status === 429)!;
    expect(busy.body.error).toBe('RENDER_BUSY');
    expect(busy.body.message).toContain('TERMPOOL_RENDER_QUEUE');
    expect(busy.body.details).toEqual({ running: 1, queued: 1 });
    expect(busy.headers.get('retry-after')).toBe('1');
    expect(s.app.renders.active).toBe(0);
    expect(s.app.renders.queued).toBe(0);
  });

  it('a client that goes away gives up its worker at once, not at the budget', async () => {
    // A budget far longer than the replay: only the client leaving ends it early.
    const s = await startTestServer({ TERMPOOL_RENDER_TIMEOUT_MS: '60000', TERMPOOL_RENDER_CONCURRENCY: '1' });
    try {
      const gone = new AbortController();
      const first = fetch(`${s.url}/v1/render`, { method: 'POST', headers: { 'content-type': 'application/x-asciicast' }, body: HEAVY_CAST, signal: gone.signal }).catch(() => null);
      for (let i = 0; i < 300 && s.app.renders.active === 0; i++) await new Promise((r) => setTimeout(r, 10));
      expect(s.app.renders.active).toBe(1);
      gone.abort();
      await first;
      for (let i = 0; i < 300 && s.app.renders.active !== 0; i++) await new Promise((r) => setTimeout(r, 10));
      expect(s.app.renders.active).toBe(0);
      expect((await render(s, Buffer.from('hi'), '?cols=4&rows=1', 'application/octet-stream')).text).toBe('hi\n');
    } finally {
      await s.close();
    }
  });

  it('closing the app ends every worker thread', async () => {
    const s = await startTestServer();
    try {
      expect((await render(s, Buffer.from('hi'), '?cols=4&rows=1', 'application/octet-stream')).text).toBe('hi\n');
      expect(s.app.renders.threads).toBe(1);
    } finally {
      await s.close();
    }
    expect(s.app.renders.threads).toBe(0);
  });
});

describe('POST /v1/render: the memory budget', () => {
  it('a rendering that needs more than TERMPOOL_RENDER_HEAP_MB ends its worker: 422 RENDER_BUDGET (memory); the next render is answered', async () => {
    const s = await startTestServer({ TERMPOOL_RENDER_HEAP_MB: '32', TERMPOOL_BODY_LIMIT: String(2 << 20) });
    try {
      // 500x200 cells, each in its own colour: the SVG of it takes a worker ~100 MB of heap.
      let raw = '';
      for (let i = 0; i < 100_000; i++) raw += `\x1b[38;5;${i % 256}m${String.fromCharCode(33 + (i % 90))}`;
      const r = await render(s, Buffer.from(raw), '?cols=500&rows=200&format=svg', 'application/octet-stream');
      expect(r.status).toBe(422);
      expect(r.body.error).toBe('RENDER_BUDGET');
      expect(r.body.message).toContain('TERMPOOL_RENDER_HEAP_MB');
      expect(r.body.details).toEqual({ budget: 'memory', limitMb: 32 });
      expect((await render(s, Buffer.from('hi'), '?cols=4&rows=1', 'application/octet-stream')).text).toBe('hi\n');
    } finally {
      await s.close();
    }
  });
});

