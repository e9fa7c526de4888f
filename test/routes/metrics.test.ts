/**
 * GET /metrics over real HTTP with real ptys: a bash session's series appear with figures that
 * agree with the session and the pool, and disappear when the session is deleted or reaped.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STANDARD_PAGE_BYTES } from '../../src/engine/index.js';
import { parseExposition, type Exposition } from '../helpers/prom.js';
import { startTestServer, type TestServer } from '../helpers/service.js';

let srv: TestServer;
beforeAll(async () => { srv = await startTestServer({ TERMPOOL_EXITED_RETENTION_MS: '300' }); });
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
    // 3000 lines of output: ~12 standard pages of scrollback at 80 columns.
    await srv.api('POST', `/v1/sessions/${s.id}/input`, { text: 'seq 1 3000\r' });
    expect((await srv.api('POST', `/v1/sessions/${s.id}/wait`, { regex: '^3000$', timeoutMs: 10_000 })).status).toBe(200);
    const info = (await srv.api('GET', `/v1/sessions/${s.id}`)).body as { pageCount: number; bytesParsed: number };

    const m = await scrape();
    const pages = m.value('termpool_session_pages', { session: s.id });
    expect(pages).toBe(info.pageCount);
    expect(pages).toBeGreaterThanOrEqual(10);
    expect(m.value('termpool_session_leaked_bytes_estimate', { session: s.id })).toBe(0);
    expect(m.value('termpool_session_stranded_bytes', { session: s.id })).toBe(0);
    expect(m.value('termpool_sessions', { state: 'running' })).toBe(1);
    expect(m.value('termpool_sessions', { state: 'exited' })).toBe(0);
    expect(m.value('termpool_sessions_created_total')).toBe(createdBefore + 1);

    const lent = m.value('termpool_pool_bytes', { state: 'lent' });
    expect(lent).toBeGreaterThanOrEqual(pages * 128 * 1024);
    expect(lent).toBe(m.value('termpool_pool_pages', { kind: 'standard', state: 'lent' }) * STANDARD_PAGE_BYTES);
    expect(m.value('termpool_pool_bytes', { state: 'free' })).toBe(m.value('termpool_pool_pages', { kind: 'standard', state: 'free' }) * STANDARD_PAGE_BYTES);
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

  it('needs the bearer token when one is set', async () => {
    const auth = await startTestServer({ TERMPOOL_TOKEN: 'tok' });
    try {
      expect((await auth.api('GET', '/metrics', undefined, { authorization: '' })).status).toBe(401);
      expect((await scrape(auth)).value('termpool_sessions', { state: 'running' })).toBe(0);
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
