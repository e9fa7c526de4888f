/**
 * README.md tells the truth about what the server sends: its error table is every error code the
 * source can send (src/errors.ts, src/input/errors.ts) with its status, and nothing else; the
 * status/code pairs in its prose are rows of that table; and its metrics table is what a live
 * server's /metrics exports (families, types, label names and every label value), both ways.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCodes } from '../../src/errors.js';
import { parseExposition } from '../helpers/prom.js';
import { startTestServer, type TestServer } from '../helpers/service.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');

/** The rows of the README table whose header line starts with `header`. */
function table(header: string): string[][] {
  const lines = README.split('\n');
  const at = lines.findIndex((l) => l.startsWith(header));
  expect(at, `a README table headed ${header}`).toBeGreaterThanOrEqual(0);
  const rows: string[][] = [];
  for (const l of lines.slice(at + 2)) {
    if (!l.startsWith('|')) break;
    rows.push(l.slice(1, -1).split(/(?<!\\)\|/).map((c) => c.trim()));
  }
  return rows;
}

const unquote = (cell: string): string => cell.replace(/^`|`$/g, '');

/** README's error table: code → status. */
function readmeErrors(): Map<string, number> {
  const m = new Map<string, number>();
  for (const [status, code] of table('| Status | `error` | When |')) {
    const c = unquote(code!);
    expect(m.has(c), `${c} listed twice`).toBe(false);
    m.set(c, Number(status));
  }
  return m;
}

/** Every code the source declares, with its status: ServiceError codes and the input encoders' codes. */
function declaredErrors(): Map<string, number> {
  const m = new Map<string, number>(Object.entries(ErrorCodes));
  const input = readFileSync(join(ROOT, 'src/input/errors.ts'), 'utf8');
  const status = /const STATUS[^{]*\{([^}]*)\}/.exec(input);
  expect(status, 'src/input/errors.ts STATUS table').not.toBeNull();
  for (const [, code, n] of status![1]!.matchAll(/([A-Z_]+):\s*(\d+)/g)) m.set(code!, Number(n));
  expect(m.size).toBeGreaterThan(Object.keys(ErrorCodes).length);
  return m;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? sourceFiles(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/** Declared codes that no source names outside the tables declaring them: they cannot be sent. */
function unusedCodes(declared: Iterable<string>): Set<string> {
  const text = sourceFiles(join(ROOT, 'src')).map((f) => {
    const t = readFileSync(f, 'utf8');
    if (f === join(ROOT, 'src/errors.ts')) return t.replace(/export const ErrorCodes = \{[^}]*\} as const;/, '');
    if (f === join(ROOT, 'src/input/errors.ts')) return t.replace(/export type InputErrorCode =[^;]*;/, '').replace(/const STATUS[^}]*\};/, '');
    return t;
  }).join('\n');
  return new Set([...declared].filter((c) => !text.includes(`'${c}'`)));
}

let srv: TestServer;
beforeAll(async () => { srv = await startTestServer({ TERMPOOL_BODY_LIMIT: '1024' }); });
afterAll(async () => { await srv?.close(); });

describe('README: errors', () => {
  it('the table lists every code the server can send, with its status, and no other', () => {
    const readme = readmeErrors();
    const declared = declaredErrors();
    const unused = unusedCodes(declared.keys());
    const sendable = new Map([...declared].filter(([c]) => !unused.has(c)));
    expect(sendable.size).toBeGreaterThanOrEqual(30);
    expect(Object.fromEntries([...readme].sort())).toEqual(Object.fromEntries([...sendable].sort()));
  });

  it('every "status CODE" pair in the prose is a row of the table', () => {
    const readme = readmeErrors();
    const pairs = [...README.matchAll(/\b([45]\d\d)`? `?([A-Z][A-Z0-9]*_[A-Z0-9_]*[A-Z0-9])\b/g)].map((m) => [Number(m[1]), m[2]!] as const);
    expect(pairs.length).toBeGreaterThanOrEqual(10);
    for (const [status, code] of pairs) expect([code, readme.get(code)], `README says ${status} ${code}`).toEqual([code, status]);
  });

  it('what a live server answers to common mistakes is in the table', async () => {
    const readme = readmeErrors();
    const answers = [
      await srv.api('POST', '/v1/sessions', 'command=bash', { 'content-type': 'text/plain' }),
      await srv.api('POST', '/v1/render', 'hi', { 'content-type': 'text/plain' }),
      await srv.api('GET', '/no/such/route'),
      await srv.api('GET', '/v1/sessions/nosuchsession'),
      await srv.api('POST', '/v1/sessions', { command: 42 }),
      await srv.api('POST', '/v1/sessions', { command: 'x'.repeat(4096) }),
    ];
    const seen = answers.map((r) => [r.status, r.body.error]);
    expect(seen).toEqual([
      [415, 'UNSUPPORTED_MEDIA_TYPE'], [415, 'UNSUPPORTED_MEDIA_TYPE'], [404, 'ROUTE_NOT_FOUND'],
      [404, 'SESSION_NOT_FOUND'], [400, 'VALIDATION'], [413, 'BODY_TOO_LARGE'],
    ]);
    for (const [status, code] of seen) expect(readme.get(code), code).toBe(status);
  });
});

interface MetricRow { type: string; labels: Map<string, string[] | null> }

/** README's metrics table: name → type and label names, each with its listed values (null: any value). */
function readmeMetrics(): Map<string, MetricRow> {
  const m = new Map<string, MetricRow>();
  for (const [name, type, labels] of table('| Metric | Type | Labels | Meaning |')) {
    const n = unquote(name!);
    if (n.includes('*')) continue; // prom-client's default families, checked by prefix below
    const ls = new Map<string, string[] | null>();
    for (const part of labels!.split(';').map((p) => p.trim()).filter(Boolean)) {
      const lm = /^`([a-z_]+)`(?:\s*=\s*(.*))?$/.exec(part);
      expect(lm, `${n}: label cell part '${part}'`).not.toBeNull();
      ls.set(lm![1]!, lm![2] === undefined ? null : lm![2].split(',').map((v) => v.trim()));
    }
    m.set(n, { type, labels: ls });
  }
  return m;
}

describe('README: metrics', () => {
  it('the table is what a live /metrics exports: families, types, label names and values, both ways', async () => {
    // A session with output, so the per-session families have samples too.
    const s = await srv.api('POST', '/v1/sessions', { command: 'bash', args: ['-c', 'echo hi; sleep 30'] });
    expect(s.status).toBe(201);
    await srv.api('POST', `/v1/sessions/${s.body.id}/wait`, { text: 'hi', timeoutMs: 5000 });
    const scrape = parseExposition((await srv.api('GET', '/metrics')).body as string);
    await srv.api('DELETE', `/v1/sessions/${s.body.id}`);

    const readme = readmeMetrics();
    const exported = [...scrape.types.keys()].filter((n) => n.startsWith('termpool_')).sort();
    expect(exported.length).toBeGreaterThanOrEqual(12);
    expect([...readme.keys()].sort()).toEqual(exported);
    for (const [name, row] of readme) {
      expect([name, scrape.types.get(name)]).toEqual([name, row.type]);
      // A histogram's samples are its _bucket, _sum and _count series; _count carries its labels.
      const samples = scrape.find(row.type === 'histogram' ? `${name}_count` : name);
      expect(samples.length, name).toBeGreaterThan(0);
      for (const x of samples) expect([name, Object.keys(x.labels).sort()]).toEqual([name, [...row.labels.keys()].sort()]);
      for (const [label, values] of row.labels) {
        if (values === null) continue;
        const seen = [...new Set(samples.map((x) => x.labels[label]!))].sort();
        expect([name, label, seen]).toEqual([name, label, [...values].sort()]);
      }
    }
    for (const prefix of ['process_', 'nodejs_']) expect([...scrape.types.keys()].some((n) => n.startsWith(prefix)), prefix).toBe(true);

    // Series named with a label in the prose (`termpool_pool_bytes{state="compressed"}`) exist.
    const inline = [...README.matchAll(/\b(termpool_[a-z_]+)\{([a-z_]+)="([^"]+)"\}/g)];
    expect(inline.length).toBeGreaterThanOrEqual(2);
    for (const [, name, label, value] of inline) expect(scrape.find(name!, { [label!]: value! }).length, `${name}{${label}="${value}"}`).toBeGreaterThan(0);
  });
});
