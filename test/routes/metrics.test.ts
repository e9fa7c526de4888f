/**
 * GET /metrics over real HTTP with real ptys: a bash session's series appear with figures that
 * agree with the session and the pool, and disappear when the session is deleted or reaped;
 * TERMPOOL_METRICS_SESSIONS bounds which sessions get series; requests are counted and timed by
 * route pattern (refusals and hung-up clients included), WebSocket viewers and MCP exchanges
 * by gauges; and `promtool check metrics` (the real one) finds nothing to say about a scrape.
 */
import { spawnSync } from 'node:child_process';
import http from 'node:http';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { ConfigError, loadConfig } from '../../src/config.js';
import { STANDARD_PAGE_BYTES } from '../../src/engine/index.js';
import { SMALL_PAGE_BYTES, standardCapacity } from '../../src/engine/page/capacity.js';
import { DURATION_BUCKETS } from '../../src/metrics/request-metrics.js';
import { API_VERSION } from '../../src/version.js';
import { NO_PROMTOOL, promtool } from '../deploy/promtool.js';
import { parseExposition, type Exposition } from '../helpers/prom.js';
import { startTestServer, type TestServer } from '../helpers/service.js';

let srv: TestServer;
beforeAll(async () => { srv = await startTestServer({ TERMPOOL_EXITED_RETENTION_MS: '300', TERMPOOL_MAX_WAITS_PER_SESSION: '1' }); });
afterAll(async () => { await srv?.close(); });

async function scrape(server = srv): Promise<Exposition> {
  const r = await server.api('GET', '/metrics');
  expect(r.status).toBe(200);
  expect(r.contentType).toBe('text/plain; version=0.0.4; charset=utf-8');
  return parseExposition(r.body as string);
}

const bash = { command: 'bash', args: ['--norc', '--noprofile'], env: { PS1: '$ ' }, cols: 80, rows: 24 };

describe('Metrics: exposition', () => {
  it('names follow Prometheus conventions and include the process metrics', async () => {
    const m = await scrape();
    for (const [name, type] of m.types) {
      if (!name.startsWith('termpool_')) continue;
      // Counters end in _total, nothing else does; units are suffixes.
      expect(name.endsWith('_total'), name).toBe(type === 'counter');
    }
    expect(m.types.get('termpool_sessions')).toBe('gauge');
    expect(m.types.get('termpool_parsed_bytes_total')).toBe('counter');
    expect(m.types.get('termpool_sessions_created_total')).toBe('counter');
    expect(m.value('process_resident_memory_bytes')).toBeGreaterThan(0);
    expect(m.value('nodejs_heap_size_used_bytes')).toBeGreaterThan(0);
    expect(m.find('termpool_pool_bytes').map((s) => s.labels['state']).sort()).toEqual(['compressed', 'free', 'lent', 'oversized']);
  });
});

describe('Metrics: a session\'s series', () => {
  it('are present and consistent while it runs and gone once it is deleted', async () => {
    const before = await scrape();
    const createdBefore = before.value('termpool_sessions_created_total');

    const s = (await srv.api('POST', '/v1/sessions', bash)).body as { id: string };
    expect((await srv.api('POST', `/v1/sessions/${s.id}/wait`, { text: '$', timeoutMs: 5000 })).status).toBe(200);
    // 3000 lines of output: 3000 ÷ a standard page's rows at 80 columns (377) ≈ 8 pages of scrollback.
    await srv.api('POST', `/v1/sessions/${s.id}/input`, { text: 'seq 1 3000\r' });
    expect((await srv.api('POST', `/v1/sessions/${s.id}/wait`, { regex: '^3000$', timeoutMs: 10_000 })).status).toBe(200);
    const info = (await srv.api('GET', `/v1/sessions/${s.id}`)).body as { pageCount: number; bytesParsed: number };

    const m = await scrape();
    const pages = m.value('termpool_session_pages', { session: s.id });
    expect(pages).toBe(info.pageCount);
    expect(pages).toBeGreaterThanOrEqual(Math.floor(3000 / standardCapacity(80)!.rows));
    expect(pages).toBeGreaterThanOrEqual(7);
    expect(m.value('termpool_session_leaked_bytes_estimate', { session: s.id })).toBe(0);
    expect(m.value('termpool_session_stranded_bytes', { session: s.id })).toBe(0);
    expect(m.value('termpool_sessions', { state: 'running' })).toBe(1);
    expect(m.value('termpool_sessions', { state: 'exited' })).toBe(0);
    expect(m.value('termpool_sessions_created_total')).toBe(createdBefore + 1);

    const lent = m.value('termpool_pool_bytes', { state: 'lent' });
    expect(lent).toBeGreaterThanOrEqual(pages * 128 * 1024);
    // Standard pages, and the small page a quiet sweep may have moved the screen onto (PageList.compactScreen).
    const byClass = (state: string): number => m.value('termpool_pool_pages', { kind: 'standard', state }) * STANDARD_PAGE_BYTES +
      m.value('termpool_pool_pages', { kind: 'small', state }) * SMALL_PAGE_BYTES;
    expect(lent).toBe(byClass('lent'));
    expect(m.value('termpool_pool_bytes', { state: 'free' })).toBe(byClass('free'));
    expect(m.value('termpool_pool_leaked_bytes_estimate')).toBe(0);
    expect(m.value('termpool_pool_stranded_bytes')).toBe(0);
    const parsed = m.value('termpool_parsed_bytes_total');
    expect(parsed).toBeGreaterThanOrEqual(info.bytesParsed);
    expect(info.bytesParsed).toBeGreaterThan(3000 * 4);

    expect((await srv.api('DELETE', `/v1/sessions/${s.id}`)).status).toBe(200);
    const after = await scrape();
    expect(after.samples.filter((x) => x.labels['session'] === s.id)).toEqual([]);
    expect(after.value('termpool_sessions', { state: 'running' })).toBe(0);
    expect(after.value('termpool_pool_leaked_bytes_estimate')).toBe(0);
    expect(after.value('termpool_pool_stranded_bytes')).toBe(0);
    // Its pages went back: lent down by at least its pages, free (or dropped) up.
    expect(after.value('termpool_pool_bytes', { state: 'lent' })).toBeLessThanOrEqual(lent - pages * STANDARD_PAGE_BYTES);
    // The counter keeps the bytes of the session that is gone.
    expect(after.value('termpool_parsed_bytes_total')).toBeGreaterThanOrEqual(parsed);
    expect(after.value('termpool_sessions_created_total')).toBe(createdBefore + 1);
  });

  it('an exited session counts as exited, then its series go when it is reaped', async () => {
    const s = (await srv.api('POST', '/v1/sessions', { command: 'bash', args: ['-c', 'echo done; exit 3'] })).body as { id: string };
    const exited = await srv.api('POST', `/v1/sessions/${s.id}/wait`, { exit: true, timeoutMs: 5000 });
    expect(exited.status).toBe(200);
    const m = await scrape();
    // Reaping may already have happened (300 ms retention); either it is exited or gone.
    if (m.find('termpool_session_pages', { session: s.id }).length === 1) {
      expect(m.value('termpool_sessions', { state: 'exited' })).toBe(1);
    }
    const deadline = Date.now() + 5000;
    let last = m;
    while (last.find('termpool_session_pages', { session: s.id }).length > 0 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      last = await scrape();
    }
    expect(last.samples.filter((x) => x.labels['session'] === s.id)).toEqual([]);
    expect(last.value('termpool_sessions', { state: 'exited' })).toBe(0);
    expect(last.value('termpool_pool_leaked_bytes_estimate')).toBe(0);
  });

  it('needs the bearer token when one is set; refusals are counted by the route refused', async () => {
    const auth = await startTestServer({ TERMPOOL_TOKEN: 'tok' });
    try {
      expect((await auth.api('GET', '/metrics', undefined, { authorization: '' })).status).toBe(401);
      expect((await auth.api('GET', '/v1/sessions/abc123', undefined, { authorization: 'Bearer wrong' })).status).toBe(401);
      const m = await scrape(auth);
      expect(m.value('termpool_sessions', { state: 'running' })).toBe(0);
      expect(m.value('termpool_http_requests_total', { route: '/metrics', method: 'GET', status: '401' })).toBe(1);
      expect(m.value('termpool_http_requests_total', { route: '/v1/sessions/:id', method: 'GET', status: '401' })).toBe(1);
    } finally {
      await auth.close();
    }
  });
});

describe('Metrics: cold scrollback compression', () => {
  it('a session that goes quiet has its cold scrollback compressed, and reads it back intact', async () => {
    const s = (await srv.api('POST', '/v1/sessions', { command: 'bash', args: ['-c', 'seq 1 3000; sleep 30'], cols: 80, rows: 24 })).body;
    // The sweep runs once the output has been quiet for 1 s.
    const w = await srv.api('POST', `/v1/sessions/${s.id}/wait`, { regex: '^3000$', timeoutMs: 10_000 });
    expect(w.status).toBe(200);
    let compressed = 0;
    for (let k = 0; k < 40 && compressed === 0; k++) {
      await new Promise((r) => setTimeout(r, 100));
      compressed = (await scrape()).value('termpool_pool_bytes', { state: 'compressed' }) ?? 0;
    }
    expect(compressed).toBeGreaterThan(0);
    const sb = await srv.api('GET', `/v1/sessions/${s.id}/scrollback?start=0&count=3`);
    expect(sb.status).toBe(200);
    expect(JSON.stringify(sb.body)).toContain('"1"');
    expect(JSON.stringify(sb.body)).toContain('"3"');
    await srv.api('DELETE', `/v1/sessions/${s.id}`);
  });
});

/** Every label value of every sample (to check no raw URL or id leaks into one). */
const labelValues = (m: Exposition): string[] => m.samples.flatMap((x) => Object.values(x.labels));

describe('Metrics: requests (RED) and connections', () => {
  it('counts and times answers by route pattern, method and status; never the raw URL', async () => {
    const s = (await srv.api('POST', '/v1/sessions', { command: 'sleep', args: ['60'] })).body as { id: string };
    const before = await scrape();
    const count = (m: Exposition, labels: Record<string, string>): number => m.find('termpool_http_requests_total', labels)[0]?.value ?? 0;
    for (let i = 0; i < 3; i++) expect((await srv.api('GET', `/v1/sessions/${s.id}`)).status).toBe(200);
    expect((await srv.api('GET', '/v1/sessions/nosuchsession7')).status).toBe(404);
    expect((await srv.api('GET', '/no/such/route/xyzzy42')).status).toBe(404);
    expect((await srv.api('POST', '/v1/sessions', { command: 42 })).status).toBe(400);
    const m = await scrape();
    const route = '/v1/sessions/:id';
    expect(count(m, { route, method: 'GET', status: '200' }) - count(before, { route, method: 'GET', status: '200' })).toBe(3);
    expect(count(m, { route, method: 'GET', status: '404' }) - count(before, { route, method: 'GET', status: '404' })).toBe(1);
    expect(count(m, { route: 'unmatched', method: 'GET', status: '404' }) - count(before, { route: 'unmatched', method: 'GET', status: '404' })).toBe(1);
    expect(count(m, { route: '/v1/sessions', method: 'POST', status: '400' }) - count(before, { route: '/v1/sessions', method: 'POST', status: '400' })).toBe(1);
    // Ids and URLs are never label values: the series stay bounded by the routes.
    for (const v of labelValues(m)) {
      expect(v).not.toContain('nosuchsession7');
      expect(v).not.toContain('xyzzy42');
    }
    expect(m.find('termpool_http_requests_total').filter((x) => x.labels['route']!.includes(s.id))).toEqual([]);
    // The histogram: one observation per answer, cumulative buckets ending at +Inf = count.
    const answered = m.find('termpool_http_requests_total', { route, method: 'GET' }).reduce((a, x) => a + x.value, 0);
    expect(m.value('termpool_http_request_duration_seconds_count', { route, method: 'GET' })).toBe(answered);
    const buckets = m.find('termpool_http_request_duration_seconds_bucket', { route, method: 'GET' });
    expect(buckets.map((b) => b.labels['le'])).toEqual([...DURATION_BUCKETS.map(String), '+Inf']);
    expect(buckets.at(-1)!.value).toBe(answered);
    for (let i = 1; i < buckets.length; i++) expect(buckets[i]!.value).toBeGreaterThanOrEqual(buckets[i - 1]!.value);
    expect(m.types.get('termpool_http_request_duration_seconds')).toBe('histogram');
    await srv.api('DELETE', `/v1/sessions/${s.id}`);
  });

  it('a client that hangs up before the answer is counted as 499', async () => {
    const s = (await srv.api('POST', '/v1/sessions', { command: 'sleep', args: ['60'] })).body as { id: string };
    const route = '/v1/sessions/:id/wait';
    const before = (await scrape()).find('termpool_http_requests_total', { route, status: '499' })[0]?.value ?? 0;
    const body = JSON.stringify({ text: 'never shown', timeoutMs: 60_000 });
    const req = http.request(`${srv.url}/v1/sessions/${s.id}/wait`, { method: 'POST', headers: { 'content-type': 'application/json' } });
    req.on('error', () => {});
    req.end(body);
    // This server allows one wait a session: a second one is refused once the first is pending.
    let refused = 0;
    for (let k = 0; k < 100 && refused !== 429; k++) {
      refused = (await srv.api('POST', `/v1/sessions/${s.id}/wait`, { text: 'x', timeoutMs: 0 })).status;
      if (refused !== 429) await new Promise((r) => setTimeout(r, 50));
    }
    expect(refused).toBe(429);
    req.destroy();
    let after = before;
    for (let k = 0; k < 100 && after === before; k++) {
      await new Promise((r) => setTimeout(r, 50));
      after = (await scrape()).find('termpool_http_requests_total', { route, status: '499' })[0]?.value ?? 0;
    }
    expect(after - before).toBe(1);
    await srv.api('DELETE', `/v1/sessions/${s.id}`);
  });

  it('WebSocket viewers and MCP exchanges: gauges while open, 101 for an accepted upgrade', async () => {
    const s = (await srv.api('POST', '/v1/sessions', { command: 'sleep', args: ['60'] })).body as { id: string };
    const upgrades = (m: Exposition): number => m.find('termpool_http_requests_total', { route: '/v1/sessions/:id/ws', status: '101' })[0]?.value ?? 0;
    const before = await scrape();
    expect(before.value('termpool_websocket_connections')).toBe(0);
    const sockets = await Promise.all([0, 1].map(() => new Promise<WebSocket>((resolve, reject) => {
      const ws = new WebSocket(`${srv.url.replace('http', 'ws')}/v1/sessions/${s.id}/ws`);
      ws.once('open', () => resolve(ws));
      ws.once('error', reject);
    })));
    const open = await scrape();
    expect(open.value('termpool_websocket_connections')).toBe(2);
    expect(upgrades(open) - upgrades(before)).toBe(2);
    await Promise.all(sockets.map((ws) => new Promise((r) => { ws.once('close', r); ws.close(); })));
    let closed = open;
    for (let k = 0; k < 100 && closed.value('termpool_websocket_connections') !== 0; k++) {
      await new Promise((r) => setTimeout(r, 50));
      closed = await scrape();
    }
    expect(closed.value('termpool_websocket_connections')).toBe(0);
    expect(upgrades(closed)).toBe(upgrades(open));

    // An MCP exchange kept open by a wait_for that does not end until its session writes.
    const mcpCount = (m: Exposition): number => m.find('termpool_http_requests_total', { route: '/mcp', method: 'POST', status: '200' })[0]?.value ?? 0;
    const shell = (await srv.api('POST', '/v1/sessions', { command: 'bash', args: ['--norc', '--noprofile'], env: { PS1: '$ ' } })).body as { id: string };
    const call = { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'wait_for', arguments: { id: shell.id, text: 'mcp-done', timeoutMs: 30_000 } } };
    const pending = srv.api('POST', '/mcp', call, { accept: 'application/json, text/event-stream' });
    let during = await scrape();
    for (let k = 0; k < 100 && during.value('termpool_mcp_connections') !== 1; k++) {
      await new Promise((r) => setTimeout(r, 50));
      during = await scrape();
    }
    expect(during.value('termpool_mcp_connections')).toBe(1);
    await srv.api('POST', `/v1/sessions/${shell.id}/input`, { text: 'echo mcp-done\r' });
    expect((await pending).status).toBe(200);
    const done = await scrape();
    expect(done.value('termpool_mcp_connections')).toBe(0);
    expect(mcpCount(done) - mcpCount(during)).toBe(1);
    for (const id of [s.id, shell.id]) await srv.api('DELETE', `/v1/sessions/${id}`);
  });

  it('termpool_build_info names the version and the Node.js runtime; the session cap is exported', async () => {
    const m = await scrape();
    expect(m.find('termpool_build_info')).toEqual([{ name: 'termpool_build_info', labels: { version: API_VERSION, node: process.version }, value: 1 }]);
    expect(m.value('termpool_sessions_max')).toBe(srv.config.maxSessions);
    expect(m.value('termpool_memory_limit_bytes')).toBeGreaterThan(0);
  });
});

/** Sessions with 0, ~1,000, ~2,000 and ~3,000 lines of scrollback (so different page counts). */
async function sessionsOfSizes(server: TestServer): Promise<{ id: string; pages: number }[]> {
  const out: { id: string; pages: number }[] = [];
  for (const lines of [0, 1000, 2000, 3000]) {
    const s = (await server.api('POST', '/v1/sessions', { command: 'bash', args: ['-c', `seq 1 ${lines}; echo end; sleep 60`], cols: 80, rows: 24 })).body as { id: string };
    expect((await server.api('POST', `/v1/sessions/${s.id}/wait`, { regex: '^end$', timeoutMs: 10_000 })).status).toBe(200);
    out.push({ id: s.id, pages: (await server.api('GET', `/v1/sessions/${s.id}`)).body.pageCount as number });
  }
  return out;
}

const sessionLabels = (m: Exposition, family: string): string[] => m.find(family).map((x) => x.labels['session']!).sort();
const FAMILIES = ['termpool_session_pages', 'termpool_session_leaked_bytes_estimate', 'termpool_session_stranded_bytes'];

describe('Metrics: TERMPOOL_METRICS_SESSIONS bounds the per-session series', () => {
  it('top:2 keeps the two sessions holding the most pages, and follows deletions', async () => {
    const server = await startTestServer({ TERMPOOL_METRICS_SESSIONS: 'top:2' });
    try {
      const made = await sessionsOfSizes(server);
      const pages = made.map((x) => x.pages);
      expect(new Set(pages).size, `page counts ${pages}`).toBe(4);
      const ranked = [...made].sort((a, b) => b.pages - a.pages);
      const m = parseExposition((await server.api('GET', '/metrics')).body as string);
      for (const f of FAMILIES) expect(sessionLabels(m, f), f).toEqual([ranked[0]!.id, ranked[1]!.id].sort());
      expect(m.value('termpool_session_pages', { session: ranked[0]!.id })).toBe(ranked[0]!.pages);
      expect(m.value('termpool_sessions', { state: 'running' })).toBe(4);
      // The biggest goes: the next one in line takes its place; nothing of the deleted one is left.
      expect((await server.api('DELETE', `/v1/sessions/${ranked[0]!.id}`)).status).toBe(200);
      const after = parseExposition((await server.api('GET', '/metrics')).body as string);
      for (const f of FAMILIES) expect(sessionLabels(after, f), f).toEqual([ranked[1]!.id, ranked[2]!.id].sort());
      expect(labelValues(after)).not.toContain(ranked[0]!.id);
    } finally {
      await server.close();
    }
  });

  it('all: every live session, and none of the deleted ones; off: no per-session series', async () => {
    const all = await startTestServer({ TERMPOOL_METRICS_SESSIONS: 'all' });
    try {
      const made = await sessionsOfSizes(all);
      const m = parseExposition((await all.api('GET', '/metrics')).body as string);
      for (const f of FAMILIES) expect(sessionLabels(m, f), f).toEqual(made.map((x) => x.id).sort());
      for (const x of made.slice(0, 3)) expect((await all.api('DELETE', `/v1/sessions/${x.id}`)).status).toBe(200);
      const after = parseExposition((await all.api('GET', '/metrics')).body as string);
      for (const f of FAMILIES) expect(sessionLabels(after, f), f).toEqual([made[3]!.id]);
      for (const x of made.slice(0, 3)) expect(labelValues(after)).not.toContain(x.id);
    } finally {
      await all.close();
    }
    const off = await startTestServer({ TERMPOOL_METRICS_SESSIONS: 'off' });
    try {
      const s = (await off.api('POST', '/v1/sessions', { command: 'sleep', args: ['60'] })).body as { id: string };
      const m = parseExposition((await off.api('GET', '/metrics')).body as string);
      for (const f of FAMILIES) expect(m.find(f), f).toEqual([]);
      expect(m.types.get('termpool_session_pages')).toBe('gauge');
      expect(m.value('termpool_sessions', { state: 'running' })).toBe(1);
      await off.api('DELETE', `/v1/sessions/${s.id}`);
    } finally {
      await off.close();
    }
  });

  it('defaults to top:10; a bad value is refused naming the setting, and the server exits 2', () => {
    expect(loadConfig({}).metricsSessions).toEqual({ mode: 'top', n: 10 });
    expect(loadConfig({ TERMPOOL_METRICS_SESSIONS: 'ALL' }).metricsSessions).toEqual({ mode: 'all' });
    expect(loadConfig({ TERMPOOL_METRICS_SESSIONS: 'top:100000' }).metricsSessions).toEqual({ mode: 'top', n: 100_000 });
    for (const bad of ['top:0', 'top:', 'top:-1', 'top:1.5', 'top:100001', 'top', 'some', '10', 'top:1e3']) {
      expect(() => loadConfig({ TERMPOOL_METRICS_SESSIONS: bad }), bad).toThrow(ConfigError);
      expect(() => loadConfig({ TERMPOOL_METRICS_SESSIONS: bad }), bad).toThrow(/TERMPOOL_METRICS_SESSIONS=.*all, off or top:N/);
    }
    const bin = fileURLToPath(new URL('../../bin/termpool.js', import.meta.url));
    const r = spawnSync(process.execPath, [bin, 'serve'], { env: { ...process.env, TERMPOOL_PORT: '0', TERMPOOL_METRICS_SESSIONS: 'top:zero' }, encoding: 'utf8', timeout: 30_000 });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('TERMPOOL_METRICS_SESSIONS="top:zero"');
  });
});

// promtool comes with Debian's prometheus, which the pretest installs: missing, it is a failure, not a skip.
describe('Metrics: promtool check metrics', () => {
  it('promtool is installed', () => { expect(NO_PROMTOOL).toBeNull(); });

  it('finds nothing to report in a scrape with sessions, requests of every kind, a viewer and MCP', async () => {
    const s = (await srv.api('POST', '/v1/sessions', { command: 'bash', args: ['-c', 'seq 1 500; sleep 60'] })).body as { id: string };
    await srv.api('POST', `/v1/sessions/${s.id}/wait`, { regex: '^500$', timeoutMs: 10_000 });
    await srv.api('GET', '/no/such/route');
    await srv.api('POST', '/mcp', { jsonrpc: '2.0', id: 1, method: 'ping' }, { accept: 'application/json, text/event-stream' });
    const ws = await new Promise<WebSocket>((resolve, reject) => {
      const w = new WebSocket(`${srv.url.replace('http', 'ws')}/v1/sessions/${s.id}/ws`);
      w.once('open', () => resolve(w));
      w.once('error', reject);
    });
    const text = (await srv.api('GET', '/metrics')).body as string;
    ws.close();
    await srv.api('DELETE', `/v1/sessions/${s.id}`);
    const m = parseExposition(text);
    expect(m.value('termpool_websocket_connections')).toBe(1);
    expect(m.find('nodejs_eventloop_lag_p99_seconds').length).toBe(1);
    const r = promtool(['check', 'metrics'], text);
    expect(r.out).toBe('');
    expect(r.code).toBe(0);
  });

  it('the linter is real: it rejects the gauges prom-client names like counters', () => {
    const r = promtool(['check', 'metrics'], '# HELP nodejs_active_handles_total x\n# TYPE nodejs_active_handles_total gauge\nnodejs_active_handles_total 3\n');
    expect(r.out).toContain('non-counter metrics should not have "_total" suffix');
    expect(r.code).not.toBe(0);
  });
});
