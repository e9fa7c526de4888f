/**
 * deploy/grafana/termpool-dashboard.json: valid dashboard JSON with a Prometheus datasource
 * variable, and every metric its PromQL names is one a live server exports.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseExposition } from '../helpers/prom.js';
import { metricNames } from './promql.js';
import { startTestServer, type TestServer } from '../helpers/service.js';

const FILE = fileURLToPath(new URL('../../deploy/grafana/termpool-dashboard.json', import.meta.url));

interface Target { refId: string; expr: string; datasource?: { type: string; uid: string } }
interface Panel { id: number; type: string; title: string; gridPos: { x: number; y: number; w: number; h: number }; targets?: Target[]; datasource?: { type: string; uid: string } }

const dashboard = JSON.parse(readFileSync(FILE, 'utf8')) as {
  uid: string; title: string; schemaVersion: number; panels: Panel[];
  templating: { list: { name: string; type: string; query: unknown }[] };
};

let srv: TestServer;
beforeAll(async () => { srv = await startTestServer(); });
afterAll(async () => { await srv?.close(); });

describe('Grafana dashboard', () => {
  it('is a dashboard with a Prometheus datasource variable that every panel uses', () => {
    expect(dashboard.uid).toBe('termpool');
    expect(dashboard.schemaVersion).toBeGreaterThanOrEqual(36);
    const ds = dashboard.templating.list.find((v) => v.type === 'datasource');
    expect(ds).toMatchObject({ name: 'datasource', query: 'prometheus' });
    const ids = dashboard.panels.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    const graphs = dashboard.panels.filter((p) => p.type !== 'row');
    expect(graphs.length).toBeGreaterThanOrEqual(8);
    for (const p of graphs) {
      expect(p.datasource, p.title).toEqual({ type: 'prometheus', uid: '${datasource}' });
      expect(p.targets?.length, p.title).toBeGreaterThan(0);
      expect(p.gridPos.w, p.title).toBeGreaterThan(0);
      for (const t of p.targets!) expect(t.expr.trim(), p.title).not.toBe('');
    }
  });

  it('plots the request metrics (rate, errors, latency), the connections and the archive', () => {
    const exprs = dashboard.panels.flatMap((p) => p.targets ?? []).map((t) => t.expr).join('\n');
    expect(exprs).toMatch(/sum by \(route, status\) \(rate\(termpool_http_requests_total\{[^}]*\}\[5m\]\)\)/);
    expect(exprs).toMatch(/status=~"5\.\."/);
    expect(exprs).toMatch(/histogram_quantile\(0\.95, sum by \(route, le\) \(rate\(termpool_http_request_duration_seconds_bucket/);
    for (const name of ['termpool_websocket_connections', 'termpool_mcp_connections', 'termpool_archived_sessions', 'termpool_archive_bytes']) expect(exprs).toContain(name);
    expect(exprs).not.toContain('nodejs_active_handles_total');
  });

  it('plots the capacity figures the service issue asks for', () => {
    const exprs = dashboard.panels.flatMap((p) => p.targets ?? []).map((t) => t.expr).join('\n');
    expect(exprs).toMatch(/topk\(10, termpool_session_pages/);
    expect(exprs).toMatch(/termpool_pool_bytes/);
    expect(exprs).toMatch(/termpool_pool_leaked_bytes_estimate/);
    expect(exprs).toMatch(/termpool_pool_stranded_bytes/);
    expect(exprs).toMatch(/rate\(termpool_parsed_bytes_total\{[^}]*\}\[5m\]\)/);
    expect(exprs).toMatch(/process_resident_memory_bytes/);
    expect(exprs).toMatch(/nodejs_heap_size_used_bytes/);
  });

  it('names only metrics a live server exports', async () => {
    // A session with output, so the per-session families have samples too.
    const s = await srv.api('POST', '/v1/sessions', { command: 'bash', args: ['-c', 'echo hi; sleep 30'] });
    await srv.api('POST', `/v1/sessions/${s.body.id}/wait`, { text: 'hi', timeoutMs: 5000 });
    const r = await srv.api('GET', '/metrics');
    const m = parseExposition(r.body as string);
    const exported = new Set([...m.samples.map((x) => x.name), ...m.types.keys()]);
    for (const p of dashboard.panels.filter((x) => x.type !== 'row')) {
      const names = (p.targets ?? []).flatMap((t) => metricNames(t.expr));
      expect(names.length, `${p.title} names no metric`).toBeGreaterThan(0);
      for (const name of names) expect(exported, `panel "${p.title}" uses ${name}, which /metrics does not export`).toContain(name);
    }
    const used = new Set(dashboard.panels.flatMap((p) => p.targets ?? []).flatMap((t) => metricNames(t.expr)));
    expect(used.size).toBeGreaterThanOrEqual(10);
    for (const name of used) expect(exported, `dashboard uses ${name}, which /metrics does not export`).toContain(name);
    const variableQueries = JSON.stringify(dashboard.templating.list);
    for (const name of variableQueries.match(/termpool_[a-z_]+/g) ?? []) expect(exported).toContain(name);
    await srv.api('DELETE', `/v1/sessions/${s.body.id}`);
  });

  it('the PromQL name extractor skips functions, labels, ranges and keywords', () => {
    expect(metricNames('sum by (state) (rate(termpool_x_total{instance=~"$instance",a="b c"}[5m])) * 60')).toEqual(['termpool_x_total']);
    expect(metricNames('topk(5, foo_bytes > 0) / clamp_min(sum(bar), 1)')).toEqual(['foo_bytes', 'bar']);
    expect(metricNames('x_total / clamp_min(y_total, 1e-9) > 0x1F and 2.5E+3 < z:rule')).toEqual(['x_total', 'y_total', 'z:rule']);
  });
});
