/**
 * deploy/prometheus: the alert rules, checked with the real promtool. The plain rules file and the
 * PrometheusRule in deploy/k8s carry the same groups; `promtool check rules` passes on both;
 * `promtool test rules` passes on the unit tests, which cover every alert and fail when a rule
 * is broken; and every metric the rules name is one a live server exports.
 */
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { parseExposition } from '../helpers/prom.js';
import { startTestServer, type TestServer } from '../helpers/service.js';
import { metricNames } from './promql.js';
import { NO_PROMTOOL, promtool } from './promtool.js';

const DIR = fileURLToPath(new URL('../../deploy/prometheus/', import.meta.url));
const RULES = path.join(DIR, 'termpool-rules.yaml');
const UNIT = path.join(DIR, 'termpool-rules.test.yaml');
const K8S = fileURLToPath(new URL('../../deploy/k8s/components/prometheus-operator/prometheus-rule.yaml', import.meta.url));

interface Rule { alert: string; expr: string; for: string; labels: Record<string, string>; annotations: Record<string, string> }
interface Groups { groups: { name: string; rules: Rule[] }[] }

const plain = YAML.parse(readFileSync(RULES, 'utf8')) as Groups;
const crd = YAML.parse(readFileSync(K8S, 'utf8')) as { apiVersion: string; kind: string; metadata: { name: string; namespace: string; labels: Record<string, string> }; spec: Groups };
const unit = YAML.parse(readFileSync(UNIT, 'utf8')) as { rule_files: string[]; tests: { alert_rule_test: { alertname: string; exp_alerts: unknown[] }[] }[] };
const alerts = plain.groups.flatMap((g) => g.rules);

let scratch = '';
beforeAll(() => { scratch = mkdtempSync(path.join(tmpdir(), 'termpool-rules-')); });
afterAll(() => { if (scratch) rmSync(scratch, { recursive: true, force: true }); });

describe('Alert rules: one set, two files', () => {
  it('the PrometheusRule carries exactly the groups of the plain rules file', () => {
    expect(crd).toMatchObject({ apiVersion: 'monitoring.coreos.com/v1', kind: 'PrometheusRule', metadata: { name: 'termpool', namespace: 'termpool' } });
    expect(crd.spec.groups, 'deploy/k8s/components/prometheus-operator/prometheus-rule.yaml differs from deploy/prometheus/termpool-rules.yaml: copy the groups over').toEqual(plain.groups);
  });

  it('alert on a leak, the pool near its memory cap, event-loop lag and the session cap, each with a severity and texts', () => {
    expect(alerts.map((r) => r.alert).sort()).toEqual(['TermpoolEventLoopLag', 'TermpoolPageLeak', 'TermpoolPoolNearMemoryLimit', 'TermpoolSessionCapReached']);
    for (const r of alerts) {
      expect(['critical', 'warning'], r.alert).toContain(r.labels.severity);
      expect(r.annotations.summary, r.alert).toMatch(/\{\{ \$labels\.instance \}\}/);
      expect(r.annotations.description?.length, r.alert).toBeGreaterThan(40);
      expect(r.for, r.alert).toMatch(/^\d+m$/);
    }
  });

  it('every alert has unit tests that expect it to fire and not to fire', () => {
    expect(unit.rule_files).toEqual(['termpool-rules.yaml']);
    const cases = unit.tests.flatMap((t) => t.alert_rule_test);
    for (const r of alerts) {
      const mine = cases.filter((c) => c.alertname === r.alert);
      expect(mine.some((c) => c.exp_alerts.length > 0), `${r.alert} fires in a test`).toBe(true);
      expect(mine.some((c) => c.exp_alerts.length === 0), `${r.alert} stays quiet in a test`).toBe(true);
    }
  });

  it('names only metrics a live server exports', async () => {
    let srv: TestServer | undefined;
    try {
      srv = await startTestServer();
      const m = parseExposition((await srv.api('GET', '/metrics')).body as string);
      const exported = new Set([...m.samples.map((x) => x.name), ...m.types.keys()]);
      const used = new Set(alerts.flatMap((r) => metricNames(r.expr)));
      expect([...used].sort()).toEqual(['nodejs_eventloop_lag_p99_seconds', 'termpool_build_info', 'termpool_memory_limit_bytes',
        'termpool_pool_bytes', 'termpool_pool_leaked_bytes_estimate', 'termpool_sessions', 'termpool_sessions_max']);
      for (const name of used) expect(exported, `the rules use ${name}, which /metrics does not export`).toContain(name);
    } finally {
      await srv?.close();
    }
  });
});

// promtool comes with Debian's prometheus, which the pretest installs: missing, it is a failure, not a skip.
describe('Alert rules: promtool', () => {
  it('promtool is installed', () => { expect(NO_PROMTOOL).toBeNull(); });

  it('check rules passes on the rules file and on the PrometheusRule\'s groups', () => {
    const a = promtool(['check', 'rules', RULES]);
    expect(a.out).toContain('SUCCESS: 4 rules found');
    expect(a.code).toBe(0);
    const groups = path.join(scratch, 'from-k8s.yaml');
    writeFileSync(groups, YAML.stringify(crd.spec));
    const b = promtool(['check', 'rules', groups]);
    expect(b.out).toContain('SUCCESS: 4 rules found');
    expect(b.code).toBe(0);
  });

  it('test rules passes on deploy/prometheus/termpool-rules.test.yaml', () => {
    const r = promtool(['test', 'rules', 'termpool-rules.test.yaml'], undefined, DIR);
    expect(r.out).toContain('SUCCESS');
    expect(r.code).toBe(0);
  });

  it('the unit tests catch a broken rule: each alert with a wrong threshold or a shorter for: fails them', () => {
    const source = readFileSync(RULES, 'utf8');
    const breaks: [string, string][] = [
      ['termpool_pool_leaked_bytes_estimate > 0', 'termpool_pool_leaked_bytes_estimate > 8192'],
      ['> 0.5 * termpool_memory_limit_bytes', '> 0.7 * termpool_memory_limit_bytes'],
      ['nodejs_eventloop_lag_p99_seconds > 0.2 and on (instance, job) termpool_build_info', 'nodejs_eventloop_lag_p99_seconds > 0.2'],
      ['(termpool_sessions) >= termpool_sessions_max', '(termpool_sessions) > termpool_sessions_max'],
      ['for: 10m', 'for: 5m'],
    ];
    copyFileSync(UNIT, path.join(scratch, 'termpool-rules.test.yaml'));
    for (const [from, to] of breaks) {
      expect(source, from).toContain(from);
      writeFileSync(path.join(scratch, 'termpool-rules.yaml'), source.replace(from, to));
      const r = promtool(['test', 'rules', 'termpool-rules.test.yaml'], undefined, scratch);
      expect([to, r.code], r.out).not.toEqual([to, 0]);
      expect(r.out, to).toContain('FAILED');
    }
  });
});
