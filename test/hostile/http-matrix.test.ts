/**
 * Hostile HTTP: a matrix of malformed requests against every route openapi.yaml documents (the
 * route list, request bodies, query parameters and field types are read from the file, so a new
 * route or field is covered without editing this test), plus hand-written cases for the
 * semantics a schema cannot express (cwd, env names, key names, mouse, regex, sizes, ids).
 *
 * Every answer must be a 4xx JSON {error, message} whose message names the problem (the field,
 * key or value at fault); zero 5xx. Then bad WebSocket frames. Afterwards the server still
 * answers /healthz and a bash session started before the matrix still echoes.
 *
 * Requests go over a raw socket (test/hostile/raw-http.ts) so paths reach the server unnormalised.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { parse as parseYaml } from 'yaml';
import { startTestServer, type TestServer } from '../helpers/service.js';
import { rawRequest, type RawRequest, type RawResponse } from './raw-http.js';

const BODY_LIMIT = 65_536;
const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

// ------------------------------------------------------------------ the routes, from openapi.yaml

interface Schema { type?: string | string[]; properties?: Record<string, Schema>; $ref?: string; enum?: unknown[]; minimum?: number; items?: Schema; anyOf?: Schema[] }
interface Route {
  method: string;
  path: string;
  key: string;
  body: Schema | null;
  query: { name: string; schema: Schema }[];
}

const doc = parseYaml(readFileSync(new URL('../../openapi.yaml', import.meta.url), 'utf8')) as {
  paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: Schema }> }; parameters?: { in: string; name: string; schema: Schema }[] }>>;
  components: { schemas: Record<string, Schema> };
};
const deref = (s: Schema): Schema => (s.$ref ? deref(doc.components.schemas[s.$ref.split('/').pop()!]!) : s);

const ROUTES: Route[] = Object.entries(doc.paths).flatMap(([path, ops]) =>
  METHODS.filter((m) => ops[m]).map((m) => {
    const op = ops[m]!;
    const body = op.requestBody?.content['application/json']?.schema;
    return {
      method: m.toUpperCase(),
      path,
      key: `${m.toUpperCase()} ${path}`,
      body: body ? deref(body) : null,
      query: (op.parameters ?? []).filter((p) => p.in === 'query').map((p) => ({ name: p.name, schema: deref(p.schema) })),
    };
  }),
);

// ------------------------------------------------------------------ cases

interface Case {
  route: string;
  name: string;
  req: RawRequest;
  /** Expected status (default: any 4xx). */
  status?: number | number[];
  /** Each must appear in the error message (case-insensitive). */
  mentions?: string[];
}

/** A valid body per route with a body: the base that field cases break one field of. */
const VALID: Record<string, Record<string, unknown>> = {
  'POST /v1/sessions': { command: 'sleep', args: ['600'] },
  'POST /v1/sessions/{id}/resize': { cols: 40, rows: 10 },
  'POST /v1/sessions/{id}/input': { text: '' },
  'POST /v1/sessions/{id}/wait': { text: 'never-shown', timeoutMs: 0 },
  'POST /v1/sessions/{id}/run': { command: 'true', timeoutMs: 0 },
  'POST /v1/sessions/{id}/signal': { signal: 'SIGWINCH' },
  'POST /v1/sessions/{id}/marker': { label: 'x' },
  'POST /mcp': { jsonrpc: '2.0', id: 1, method: 'ping' },
};
/** Input fields are alternatives: a broken field is sent alone. */
const ALONE = new Set(['POST /v1/sessions/{id}/input']);

const json = (method: string, path: string, body: unknown, headers: Record<string, string> = {}): RawRequest => ({
  method, path, headers: { 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body),
});

/** Wrong values for a field of this schema type (all must be refused naming the field). */
function wrongValues(s: Schema): unknown[] {
  const t = Array.isArray(s.type) ? s.type[0] : s.type;
  switch (t) {
    case 'integer': return [-1, 1.5, '10', null, 1e300, true, 2 ** 53, {}];
    case 'number': return ['10', null, true, {}];
    case 'string': return [123, null, {}, [], true];
    case 'boolean': return ['yes', 1, null];
    case 'array': return ['Enter', {}, 42, [1], [null]];
    case 'object': return ['x', 42, [], null];
    default: return s.enum ? ['bogus', 42] : [];
  }
}

const ODD_IDS: [string, number | number[]][] = [
  ['..', 404], ['..%2F..%2Fetc%2Fpasswd', 404], ['%2e%2e', 404], ['%00', 404], ['%0A', 404], ['%20', 404],
  ['%E2%98%83', 404], ['%27%22%3Cscript%3E', 404], ['$(reboot)', 404], ['x;rm%20-rf%20%2F', 404],
  ['%ZZ', 400], ['%', 400], ['%F0%28%8C%28', 400], ['a'.repeat(65), 400], ['%C0%AE%C0%AE', 400],
];

/** Builds the matrix; `id` is a running session's id, `dir` a scratch directory. */
function buildCases(id: string, dir: string): Case[] {
  const cases: Case[] = [];
  const add = (route: string, name: string, req: RawRequest, status?: Case['status'], mentions?: string[]): void => {
    cases.push({ route, name, req, ...(status !== undefined && { status }), ...(mentions && { mentions }) });
  };
  const at = (path: string, sid = id): string => path.replace('{id}', sid);

  for (const r of ROUTES) {
    const p = at(r.path);
    const valid = VALID[r.key];
    const send = (path: string): RawRequest => (valid ? json(r.method, path, valid) : { method: r.method, path });

    // Methods the path does not have.
    const have = ROUTES.filter((o) => o.path === r.path).map((o) => o.method);
    if (have[0] === r.method) {
      for (const m of METHODS.map((x) => x.toUpperCase()).filter((x) => !have.includes(x))) {
        add(r.key, `wrong method ${m}`, { method: m, path: p }, 404, [m]);
      }
      add(r.key, 'unknown method BREW', { method: 'BREW', path: p }, [400, 404, 405, 501].filter((s) => s < 500));
    }

    // Session ids: unknown, odd characters and encodings.
    if (r.path.includes('{id}')) {
      add(r.key, 'unknown id', send(at(r.path, '0123456789ab')), 404, ['0123456789ab']);
      for (const [odd, status] of ODD_IDS) {
        add(r.key, `odd id ${odd.slice(0, 24)}`, send(at(r.path, odd)), status, status === 404 ? ['no session'] : undefined);
      }
      // A body for a route without one is not a way around the 404.
      if (!valid) add(r.key, 'unknown id with a junk body', { method: r.method, path: at(r.path, 'nope'), headers: { 'content-type': 'application/json' }, body: '{"x":' }, r.method === 'GET' ? 404 : [400, 404]);
    }

    // Query parameters: wrong values for each, unknown and repeated ones.
    for (const q of r.query) {
      const t = Array.isArray(q.schema.type) ? q.schema.type[0] : q.schema.type;
      const bad = q.schema.enum ? ['bogus', '', 'TEXT'] : t === 'integer' ? ['-1', '1.5', 'abc', '1e400', '99999999999999999999', 'NaN', '1,2'] : t === 'string' ? [''] : [];
      for (const v of bad) add(r.key, `?${q.name}=${v}`, { method: r.method, path: `${p}?${q.name}=${encodeURIComponent(v)}` }, 400, [q.name]);
      add(r.key, `?${q.name} repeated`, { method: r.method, path: `${p}?${q.name}=1&${q.name}=2` }, 400, [q.name]);
    }
    if (r.query.length > 0) add(r.key, 'unknown query parameter', { method: r.method, path: `${p}?bogus=1` }, 400, ['bogus']);

    // Bodies: framing, content types, JSON roots, unknown fields, size, nesting.
    if (r.body && valid) {
      add(r.key, 'bad JSON', json(r.method, p, '{"a":'), 400, ['JSON']);
      add(r.key, 'empty JSON body', json(r.method, p, ''), 400, ['body']);
      add(r.key, 'missing body', { method: r.method, path: p }, 400, ['body']);
      add(r.key, 'text/plain', { method: r.method, path: p, headers: { 'content-type': 'text/plain' }, body: JSON.stringify(valid) }, 415, ['text/plain']);
      add(r.key, 'form', { method: r.method, path: p, headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'command=bash' }, 415, ['x-www-form-urlencoded']);
      add(r.key, 'multipart', { method: r.method, path: p, headers: { 'content-type': 'multipart/form-data; boundary=x' }, body: '--x\r\n\r\nhi\r\n--x--' }, 415, ['multipart']);
      add(r.key, 'no content-type', { method: r.method, path: p, body: JSON.stringify(valid) }, 415, ['content-type']);
      add(r.key, 'JSON in latin1', json(r.method, p, valid, { 'content-type': 'application/json; charset=latin1' }), 415, ['charset']);
      for (const root of ['[]', 'null', '"str"', '42', 'true']) add(r.key, `JSON root ${root}`, json(r.method, p, root), 400, ['object']);
      add(r.key, 'unknown field', json(r.method, p, { ...valid, bogus: 1 }), 400, ['bogus']);
      add(r.key, '__proto__', json(r.method, p, `{"__proto__":{"polluted":1},${JSON.stringify(valid).slice(1)}`), 400, ['prototype']);
      add(r.key, 'constructor.prototype', json(r.method, p, { ...valid, constructor: { prototype: { polluted: 1 } } }), 400, ['constructor']);
      add(r.key, 'body over the limit', json(r.method, p, { ...valid, pad: 'x'.repeat(BODY_LIMIT + 10) }), 413, ['body']);
      add(r.key, 'huge Content-Length', { ...json(r.method, p, '{}'), headers: { 'content-type': 'application/json', 'content-length': String(2 ** 40) } }, 413, ['body']);
      add(r.key, 'deep nesting', json(r.method, p, '['.repeat(30_000) + ']'.repeat(30_000)), 400, ['object']);
      add(r.key, 'invalid UTF-8', { method: r.method, path: p, headers: { 'content-type': 'application/json' }, body: Buffer.concat([Buffer.from(JSON.stringify(valid).slice(0, -1) + ',"bogus":"'), Buffer.from([0xff, 0xfe, 0xc0]), Buffer.from('"}')]) }, 400, ['bogus']);

      // Each documented field with values of the wrong type.
      for (const [field, fs] of Object.entries(r.body.properties ?? {})) {
        const base = ALONE.has(r.key) ? {} : valid;
        for (const v of wrongValues(deref(fs))) {
          add(r.key, `${field}=${JSON.stringify(v)?.slice(0, 20)}`, json(r.method, p, { ...base, [field]: v }), 400, [field]);
        }
      }
    }
  }

  // ---------------------------------------------------------------- semantics, by route
  const S = 'POST /v1/sessions';
  const create = (name: string, body: Record<string, unknown>, status: number, mentions: string[]): void =>
    add(S, name, json('POST', '/v1/sessions', { command: 'sleep', args: ['600'], ...body }), status, mentions);
  for (const [k, v] of [['cols', 0], ['cols', 1], ['cols', -80], ['cols', 4097], ['cols', 3.5], ['rows', 0], ['rows', -1], ['rows', 1e9], ['scrollback', -1], ['scrollback', 2.5]] as const) {
    create(`${k}=${v}`, { [k]: v }, 400, [k]);
  }
  create('cols over the server limit', { cols: 301 }, 400, ['301']);
  create('rows over the server limit', { rows: 101 }, 400, ['101']);
  create('scrollback over the server limit', { scrollback: 10_000_000 }, 400, ['scrollback']);
  create('command empty', { command: '' }, 400, ['command']);
  create('command too long', { command: 'x'.repeat(5000) }, 400, ['command']);
  create('command not found', { command: 'no-such-program-xyz' }, 400, ['no-such-program-xyz']);
  create('command is a directory', { command: '/tmp' }, 400, ['/tmp']);
  create('command not executable', { command: '/etc/passwd' }, 400, ['/etc/passwd']);
  create('command with NUL', { command: 'sle\u0000ep' }, 400, ['command']);
  create('command with a relative traversal', { command: '../../../../../../no/such/bin' }, 400, ['../../']);
  create('args with NUL', { args: ['6\u000000'] }, 400, ['args']);
  create('1025 args', { args: Array(1025).fill('1') }, 400, ['args']);
  for (const cwd of ['tmp', '.', '../..', '', '/definitely/not/here', '/etc/passwd', '/tmp/../etc/passwd', '/tmp/\u0000x', '/proc/self/../../etc/passwd', join(dir, 'file')]) {
    create(`cwd ${JSON.stringify(cwd)}`, { cwd }, 400, ['cwd']);
  }
  for (const [name, env] of [
    ['number value', { FOO: 1 }], ['null value', { FOO: null }], ['object value', { FOO: { a: 1 } }], ['array value', { FOO: ['a'] }],
    ['bool value', { FOO: true }], ['name with =', { 'A=B': 'x' }], ['name starting with a digit', { '1A': 'x' }], ['empty name', { '': 'x' }],
    ['name with space', { 'A B': 'x' }], ['non-ASCII name', { 'É': 'x' }], ['name with NUL', { 'A\u0000': 'x' }], ['value with NUL', { FOO: 'a\u0000b' }],
    ['env as an array', ['FOO=1']], ['env as a string', 'FOO=1'],
  ] as const) {
    create(`env ${name}`, { env }, 400, ['env']);
  }
  create('env value over 65536 chars (and over the body limit)', { env: { FOO: 'x'.repeat(65_537) } }, 413, ['body']);

  const R = 'POST /v1/sessions/{id}/resize';
  for (const [cols, rows] of [[0, 10], [10, 0], [-5, 10], [10, -5], [1.5, 10], [10, 2.5], [1e9, 10], [10, 1e9], [301, 10], [10, 101]] as const) {
    add(R, `resize ${cols}x${rows}`, json('POST', at('/v1/sessions/{id}/resize'), { cols, rows }), 400, [cols === 10 ? (rows === 101 ? '101' : 'rows') : cols === 301 ? '301' : 'cols']);
  }
  add(R, 'resize without rows', json('POST', at('/v1/sessions/{id}/resize'), { cols: 10 }), 400, ['rows']);

  const I = 'POST /v1/sessions/{id}/input';
  const input = (name: string, body: unknown, status: number, mentions: string[]): void => add(I, name, json('POST', at('/v1/sessions/{id}/input'), body), status, mentions);
  input('no field', {}, 400, ['text']);
  input('two fields', { text: 'a', keys: ['Enter'] }, 400, ['exactly one']);
  input('all fields', { text: 'a', keys: ['Enter'], paste: 'p', mouse: { action: 'press', button: 'left', row: 0, col: 0 } }, 400, ['exactly one']);
  input('keys empty', { keys: [] }, 400, ['keys']);
  input('10001 keys', { keys: Array(10_001).fill('a') }, 400, ['keys']);
  // (A single character is a key that types itself, as in tmux: ' ' and '\u0000' are valid.)
  for (const k of ['NoSuchKey', 'C-', 'M-', 'C-M-S-Nope', 'F99', 'Enterr', '\u001b[A', 'C-☃☃', 'S-', 'Enter Enter']) {
    input(`key ${JSON.stringify(k)}`, { keys: ['Enter', k] }, 400, [JSON.stringify(k).slice(1, -1)]);
  }
  input('key too long', { keys: ['x'.repeat(65)] }, 400, ['keys']);
  input('key empty', { keys: [''] }, 400, ['keys']);
  for (const [field, name, mouse] of [
    ['action', 'missing action', { button: 'left', row: 0, col: 0 }], ['action', 'bad action', { action: 'click', button: 'left', row: 0, col: 0 }],
    ['button', 'bad button', { action: 'press', button: 'thumb', row: 0, col: 0 }], ['row', 'negative row', { action: 'press', button: 'left', row: -1, col: 0 }],
    ['col', 'fractional col', { action: 'press', button: 'left', row: 0, col: 0.5 }], ['col', 'huge col', { action: 'press', button: 'left', row: 0, col: 70_000 }],
    ['row', 'row as string', { action: 'press', button: 'left', row: '0', col: 0 }], ['"x"', 'unknown field', { action: 'press', button: 'left', row: 0, col: 0, x: 1 }],
    ['shift', 'shift as string', { action: 'press', button: 'left', row: 0, col: 0, shift: 'yes' }], ['mouse', 'mouse as array', [1, 2]],
  ] as const) {
    input(`mouse ${name}`, { mouse }, 400, [field]);
  }
  input('mouse while tracking is off', { mouse: { action: 'press', button: 'left', row: 0, col: 0 } }, 409, ['mouse']);
  input('mouse press without a button', { mouse: { action: 'press', row: 0, col: 0 } }, 400, ['button']);
  input('text over 1e6 chars (under the byte limit? no: 413)', { text: 'x'.repeat(BODY_LIMIT) }, 413, ['body']);

  const W = 'POST /v1/sessions/{id}/wait';
  const wait = (name: string, body: unknown, status: number, mentions: string[]): void => add(W, name, json('POST', at('/v1/sessions/{id}/wait'), body), status, mentions);
  wait('no condition', { timeoutMs: 10 }, 400, ['text']);
  wait('exit: false only', { exit: false }, 400, ['exit']);
  for (const re of ['(', '[', 'a{2,1}', '(?<n>a)(?<n>b)', '\\', '*', '(?<=', '(?<n>a)\\k<nope>', '[z-a]']) {
    wait(`regex ${re}`, { regex: re, timeoutMs: 0 }, 400, ['regex', re]);
  }
  // Never match the target's 40 x's, so every start position backtracks exponentially.
  for (const re of ['(x+)+y', '(x|x)+y', '(x*)*y', '^(x+x+)+y']) {
    wait(`catastrophic regex ${re}`, { regex: re, timeoutMs: 2000 }, 400, ['regex', 'took over']);
  }
  wait('regex too long', { regex: 'a'.repeat(4097) }, 400, ['regex']);
  wait('text empty', { text: '' }, 400, ['text']);
  wait('stableMs 0', { stableMs: 0 }, 400, ['stableMs']);
  wait('timeoutMs over 10 min', { text: 'x', timeoutMs: 600_001 }, 400, ['timeoutMs']);
  wait('cell outside the screen', { cell: { row: 24, col: 0 }, timeoutMs: 0 }, 400, ['cell.row']);
  wait('cursor outside the screen', { cursor: { col: 80 }, timeoutMs: 0 }, 400, ['cursor.col']);
  wait('unknown colour', { cell: { row: 0, col: 0, fg: 'chartreuse' }, timeoutMs: 0 }, 400, ['cell.fg', 'chartreuse']);
  wait('absent regex (', { absent: { regex: '(' }, timeoutMs: 0 }, 400, ['regex']);

  const G = 'POST /v1/sessions/{id}/signal';
  for (const signal of ['SIGSEGV', 'sigint', 'INT', 9, '', null]) {
    add(G, `signal ${JSON.stringify(signal)}`, json('POST', at('/v1/sessions/{id}/signal'), { signal }), 400, ['signal']);
  }

  const Q = 'GET /v1/sessions/{id}/screen';
  for (const q of ['format=bogus', 'format=', 'format=PNG', 'format[]=text', 'scrollback=-1', 'scrollback=2000000', 'scrollback=1.5', 'scrollback=abc', 'scrollback=1e400']) {
    const name = q.split(/[=[]/)[0]!;
    add(Q, `?${q}`, { method: 'GET', path: `${at('/v1/sessions/{id}/screen')}?${q}` }, 400, [name]);
  }
  // since: text or json only, without scrollback (src/sessions/screen-delta.ts); an unknown tag is a full answer, not a 400.
  for (const q of ['format=png&since=x', 'format=html&since=x', 'format=text&scrollback=1&since=x', 'since=', `since=${'x'.repeat(513)}`, 'since=a&since=b']) {
    add(Q, `?${q.slice(0, 30)}`, { method: 'GET', path: `${at('/v1/sessions/{id}/screen')}?${q}` }, 400, ['since']);
  }
  const B = 'GET /v1/sessions/{id}/scrollback';
  for (const q of ['start=-1', 'start=abc', 'start=1e20', 'count=-1', 'count=100001', 'count=2.5', 'limit=0', 'limit=10001', 'q=', `q=${'x'.repeat(1025)}`, 'q=a&q=b']) {
    add(B, `?${q.slice(0, 20)}`, { method: 'GET', path: `${at('/v1/sessions/{id}/scrollback')}?${q}` }, 400, [q.split('=')[0]!]);
  }

  const M = 'POST /mcp';
  const mcp = (name: string, body: unknown, status: number, mentions: string[]): void => add(M, name, json('POST', '/mcp', body, { accept: 'application/json, text/event-stream' }), status, mentions);
  mcp('not JSON-RPC', { hello: 1 }, 400, ['jsonrpc']);
  mcp('JSON-RPC 1.0', { jsonrpc: '1.0', id: 1, method: 'ping' }, 400, ['jsonrpc']);
  mcp('a batch (MCP 2025-06-18 has none)', [{ jsonrpc: '2.0', id: 1, method: 'ping' }], 400, ['object']);
  mcp('params as an array', { jsonrpc: '2.0', id: 1, method: 'tools/call', params: [1] }, 400, ['params']);
  mcp('id as an object', { jsonrpc: '2.0', id: {}, method: 'ping' }, 400, ['id']);
  for (const m of ['GET', 'DELETE']) add(`${m} /mcp`, `${m} (stateless: no stream, no session)`, { method: m, path: '/mcp' }, 405, ['stateless']);

  const WS = 'GET /v1/sessions/{id}/ws';
  const wsPath = at('/v1/sessions/{id}/ws');
  const up = { connection: 'Upgrade', upgrade: 'websocket', 'sec-websocket-version': '13', 'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==' };
  add(WS, 'plain GET (no upgrade)', { method: 'GET', path: wsPath }, 426, ['websocket']);
  add(WS, 'upgrade to an unknown session', { method: 'GET', path: at('/v1/sessions/{id}/ws', 'nope'), headers: up }, 404, ['nope']);
  add(WS, 'upgrade with an odd id', { method: 'GET', path: at('/v1/sessions/{id}/ws', '..%2F..'), headers: up }, 404, ['../..']);
  add(WS, 'upgrade to another protocol', { method: 'GET', path: wsPath, headers: { ...up, upgrade: 'h2c' } }, 426, ['websocket']);
  add(WS, 'upgrade with version 99', { method: 'GET', path: wsPath, headers: { ...up, 'sec-websocket-version': '99' } }, 400, ['version']);
  add(WS, 'upgrade without a key', { method: 'GET', path: wsPath, headers: { connection: 'Upgrade', upgrade: 'websocket', 'sec-websocket-version': '13' } }, 400, ['key']);
  add(WS, 'upgrade with a bad key', { method: 'GET', path: wsPath, headers: { ...up, 'sec-websocket-key': 'short' } }, 400, ['key']);
  add(WS, 'upgrade with a POST', { method: 'POST', path: wsPath, headers: up }, 404, ['POST']);

  const AL = 'GET /v1/sessions/{id}/alis';
  const alisPath = at('/v1/sessions/{id}/alis');
  add(AL, 'plain GET (no upgrade)', { method: 'GET', path: alisPath }, 426, ['websocket']);
  add(AL, 'upgrade to an unknown session', { method: 'GET', path: at('/v1/sessions/{id}/alis', 'nope'), headers: { ...up, 'sec-websocket-protocol': 'v1.alis' } }, 404, ['nope']);
  add(AL, 'upgrade without the v1.alis subprotocol', { method: 'GET', path: alisPath, headers: { ...up, 'sec-websocket-protocol': 'raw' } }, 400, ['v1.alis']);
  add(AL, 'upgrade with version 99', { method: 'GET', path: alisPath, headers: { ...up, 'sec-websocket-version': '99', 'sec-websocket-protocol': 'v1.alis' } }, 400, ['version']);
  add(AL, 'a key too long', { method: 'GET', path: `${alisPath}?key=${'k'.repeat(300)}` }, 400, ['key']);
  add('GET /v1/sessions/{id}/alis-key', 'an unknown session', { method: 'GET', path: at('/v1/sessions/{id}/alis-key', 'nope') }, 404, ['nope']);
  return cases;
}

// ------------------------------------------------------------------ running it

let srv: TestServer;
let dir: string;
let target: string;
let bystander: string;
let cases: Case[];
const results = new Map<string, { total: number; byStatus: Record<number, number> }>();

beforeAll(async () => {
  srv = await startTestServer({ TERMPOOL_BODY_LIMIT: String(BODY_LIMIT), TERMPOOL_MAX_COLS: '300', TERMPOOL_MAX_ROWS: '100' });
  dir = mkdtempSync(join(tmpdir(), 'termpool-hostile-'));
  writeFileSync(join(dir, 'file'), 'x');
  // The bystander must keep working through the whole matrix.
  bystander = (await srv.api('POST', '/v1/sessions', { command: 'bash', args: ['--norc', '--noprofile'], cwd: dir })).body.id;
  // The target's screen has a long run of x then '!', for the catastrophic regexes.
  target = (await srv.api('POST', '/v1/sessions', { command: 'bash', args: ['-c', 'printf "%s!\\n" $(printf "x%.0s" {1..40}); exec sleep 600'], cwd: dir })).body.id;
  await srv.api('POST', `/v1/sessions/${target}/wait`, { text: 'x!', timeoutMs: 5000 });
  cases = buildCases(target, dir);
});

afterAll(async () => {
  await srv?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** What is wrong with an answer to a case, or null. */
function problem(c: Case, r: RawResponse): string | null {
  if (r.status >= 500) return `5xx: ${r.status} ${r.text.slice(0, 200)}`;
  const want = c.status === undefined ? null : Array.isArray(c.status) ? c.status : [c.status];
  if (want ? !want.includes(r.status) : r.status < 400 || r.status >= 500) return `status ${r.status}, want ${want?.join('|') ?? '4xx'}: ${r.text.slice(0, 200)}`;
  if (r.json === undefined || typeof r.json.error !== 'string' || typeof r.json.message !== 'string') return `not a JSON {error, message}: ${r.headers['content-type']} ${r.text.slice(0, 200)}`;
  const msg = String(r.json.message).toLowerCase();
  for (const m of c.mentions ?? []) if (!msg.includes(m.toLowerCase())) return `message does not mention ${JSON.stringify(m)}: ${r.json.message}`;
  return null;
}

describe('Hostile HTTP: the malformed-request matrix', () => {
  it('covers every route in openapi.yaml', () => {
    const keys = new Set(cases.map((c) => c.route));
    for (const r of ROUTES) expect(keys.has(r.key), `no cases for ${r.key}`).toBe(true);
    expect(ROUTES.length).toBeGreaterThanOrEqual(11);
  });

  it.each(ROUTES.map((r) => [r.key]))('%s: every malformed request gets a 4xx JSON error naming the problem', async (key) => {
    const mine = cases.filter((c) => c.route === key);
    const failures: string[] = [];
    const tally = { total: 0, byStatus: {} as Record<number, number> };
    // A few at a time: hostile traffic arrives concurrently too.
    for (let i = 0; i < mine.length; i += 8) {
      await Promise.all(mine.slice(i, i + 8).map(async (c) => {
        let r: RawResponse;
        try {
          r = await rawRequest(srv.url, c.req);
        } catch (err) {
          failures.push(`${c.name}: ${(err as Error).message}`);
          return;
        }
        tally.total++;
        tally.byStatus[r.status] = (tally.byStatus[r.status] ?? 0) + 1;
        const p = problem(c, r);
        if (p) failures.push(`${c.name}: ${p}`);
      }));
    }
    results.set(key, tally);
    expect(failures, failures.join('\n')).toEqual([]);
    // The target session was never created, resized or written to by accident.
    const info = await srv.api('GET', `/v1/sessions/${target}`);
    expect(info.body).toMatchObject({ state: 'running', cols: 80, rows: 24 });
  });

  it('refused requests created no session', async () => {
    const list = (await srv.api('GET', '/v1/sessions')).body.sessions as { id: string }[];
    expect(list.map((s) => s.id).sort()).toEqual([bystander, target].sort());
  });
});

// ------------------------------------------------------------------ WebSocket frames

interface Viewer { ws: WebSocket; messages: any[]; closed: Promise<number> }

async function view(id: string): Promise<Viewer> {
  const ws = new WebSocket(`${srv.url.replace('http', 'ws')}/v1/sessions/${id}/ws`);
  const messages: any[] = [];
  ws.on('message', (d) => messages.push(JSON.parse(d.toString())));
  const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => { ws.once('open', () => resolve()); ws.once('error', reject); });
  return { ws, messages, closed };
}

async function until(pred: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('Hostile HTTP: bad WebSocket frames', () => {
  it('bad messages get an error naming the problem; the socket and other viewers keep working', async () => {
    const v = await view(bystander);
    const other = await view(bystander);
    const frames: [string | Buffer, boolean, string][] = [
      [Buffer.from([0xde, 0xad, 0xbe, 0xef, 0, 1, 2]), true, 'binary'],
      [Buffer.alloc(1000, 0xff), true, 'binary'],
      ['{not json', false, 'JSON'],
      ['', false, 'JSON'],
      ['null', false, 'expected object'],
      ['[1,2,3]', false, 'expected object'],
      ['"input"', false, 'expected object'],
      ['{}', false, 'type'],
      ['{"type":"nope"}', false, 'type'],
      ['{"type":"__proto__"}', false, 'type'],
      ['{"type":"input"}', false, 'exactly one'],
      ['{"type":"input","text":5}', false, 'text'],
      ['{"type":"input","keys":["NoSuchKey"]}', false, 'NoSuchKey'],
      ['{"type":"input","keys":"Enter"}', false, 'keys'],
      ['{"type":"input","text":"a","bogus":1}', false, 'bogus'],
      ['{"type":"input","mouse":{"action":"press","button":"left","row":-1,"col":0}}', false, 'row'],
      ['{"type":"resize","cols":0,"rows":10}', false, 'cols'],
      ['{"type":"resize","cols":10}', false, 'rows'],
      ['{"type":"resize","cols":1e9,"rows":10}', false, 'cols'],
      ['{"type":"resize","cols":301,"rows":10}', false, '301'],
      ['[' .repeat(20_000) + ']'.repeat(20_000), false, 'expected object'],
    ];
    const errors = (): any[] => v.messages.filter((m) => m.type === 'error');
    for (const [i, [data, binary, mention]] of frames.entries()) {
      v.ws.send(data, { binary });
      await until(() => errors().length > i);
      const e = errors()[i]!;
      expect(e.error, String(data).slice(0, 40)).toMatch(/^[A-Z_]+$/);
      expect(String(e.message).toLowerCase(), `${String(data).slice(0, 40)} → ${e.message}`).toContain(mention.toLowerCase());
    }
    expect(errors().some((e) => e.error === 'INTERNAL')).toBe(false);
    // Still usable; the other viewer saw no error.
    v.ws.send(JSON.stringify({ type: 'input', text: 'echo frames-ok\r' }));
    await until(() => v.messages.some((m) => m.type === 'output' && String(m.data).includes('frames-ok\r\n')));
    expect(other.messages.filter((m) => m.type === 'error')).toEqual([]);
    v.ws.close();
    other.ws.close();
  });

  it('a frame over the body limit closes that socket with 1009; invalid UTF-8 text with 1007; others unaffected', async () => {
    const other = await view(bystander);
    const huge = await view(bystander);
    huge.ws.send('x'.repeat(BODY_LIMIT + 1));
    expect(await huge.closed).toBe(1009);
    // A text frame that is not UTF-8: ws refuses it (protocol error) and closes.
    const bad = await view(bystander);
    const sock = (bad.ws as unknown as { _socket: net.Socket })._socket;
    const payload = Buffer.from([0xff, 0xfe, 0x80]);
    const mask = Buffer.from([1, 2, 3, 4]);
    const masked = Buffer.from(payload.map((b, i) => b ^ mask[i % 4]!));
    sock.write(Buffer.concat([Buffer.from([0x81, 0x80 | payload.length]), mask, masked]));
    expect(await bad.closed).toBe(1007);
    // An unknown opcode (0x3) and a control frame over 125 bytes: protocol errors, 1002.
    for (const head of [Buffer.from([0x83, 0x80]), Buffer.from([0x89, 0x80 | 126, 0, 200])]) {
      const v = await view(bystander);
      const s = (v.ws as unknown as { _socket: net.Socket })._socket;
      const body = head[0] === 0x89 ? Buffer.alloc(200) : Buffer.alloc(0);
      s.write(Buffer.concat([head, mask, body]));
      expect(await v.closed).toBe(1002);
    }
    other.ws.send(JSON.stringify({ type: 'input', text: 'echo still-viewing\r' }));
    await until(() => other.messages.some((m) => m.type === 'output' && String(m.data).includes('still-viewing\r\n')));
    other.ws.close();
  });

  it('garbage on a raw connection is refused without disturbing the server', async () => {
    const { port } = new URL(srv.url);
    for (const junk of ['\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03', 'GET / HTTP/9.9\r\n\r\n', 'GET /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n', `GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`, 'POST /v1/sessions HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Type: application/json\r\n\r\nzz\r\n']) {
      const answer = await new Promise<string>((resolve) => {
        const s = net.connect(Number(port), '127.0.0.1');
        let got = '';
        s.on('data', (d) => { got += d.toString('latin1'); });
        s.on('close', () => resolve(got));
        s.on('error', () => resolve(got));
        s.setTimeout(3000, () => s.destroy());
        s.write(junk, 'latin1');
      });
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1] ?? 0);
      expect(status === 0 || (status >= 400 && status < 500), `${JSON.stringify(junk.slice(0, 30))} → ${answer.slice(0, 120)}`).toBe(true);
    }
  });
});

describe('Hostile HTTP: afterwards', () => {
  it('the server answers /healthz and the bash started before the matrix still echoes', async () => {
    expect((await srv.api('GET', '/healthz')).status).toBe(200);
    await srv.api('POST', `/v1/sessions/${bystander}/input`, { text: 'echo survived-$((6*7))\r' });
    const w = await srv.api('POST', `/v1/sessions/${bystander}/wait`, { regex: '^survived-42$', timeoutMs: 5000 });
    expect(w.status).toBe(200);
    for (const id of [bystander, target]) {
      const s = srv.app.sessions.get(id);
      expect(s.internalErrors).toBe(0);
    }
    const total = [...results.values()].reduce((n, t) => n + t.total, 0);
    const byStatus: Record<number, number> = {};
    for (const t of results.values()) for (const [k, v] of Object.entries(t.byStatus)) byStatus[Number(k)] = (byStatus[Number(k)] ?? 0) + v;
    console.log(`hostile matrix: ${total} requests over ${results.size} routes; by status ${JSON.stringify(byStatus)}`);
  });
});
