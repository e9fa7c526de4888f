/**
 * A cluster on this machine: three termpool servers (TERMPOOL_ID_PREFIX termpool-0..2, each with
 * the other two in TERMPOOL_PEERS) behind Debian's nginx running the real gateway config, rendered
 * from deploy/gateway/gateway.conf.template for localhost (the same template as
 * deploy/k8s/base/gateway.conf). Through the gateway: sessions are created and driven, every
 * request reaches the process that holds its session (nginx's $upstream_addr per request, and the
 * processes' own lists), the list is cluster-wide, MCP works across pods; then one server is
 * killed and the others keep serving while the dead pod's sessions answer a JSON error.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { TermpoolClient } from '../../src/client/index.js';
// @ts-expect-error: a plain .mjs script (also run by node for deploy/k8s), no type declarations
import { K8S, renderGateway } from '../../deploy/gateway/render.mjs';
import { freePort, spawnServer, type ServerProcess } from '../helpers/server-process.js';
import { runRoot } from '../helpers/suite.js';

const NGINX = ['/usr/sbin/nginx', '/usr/bin/nginx'].find((p) => existsSync(p));
const TOKEN = 'multi-pod-token';
const PODS = ['termpool-0', 'termpool-1', 'termpool-2'];

const NO_NGINX = 'nginx is not installed: scripts/test-prereqs.sh (the pretest) installs Debian\'s nginx';

// nginx comes with the pretest: missing, it is a failure, not a skip (test/helpers/suite.ts's rule).
describe('multi-pod: three servers behind the rendered gateway in nginx', () => {
  let dir = '';
  let nginx: ChildProcess | null = null;
  const servers: ServerProcess[] = [];
  const ports: number[] = [];
  let gateway = '';
  let gw: TermpoolClient;
  /** id -> index of the server that made it, and the marker its screen shows. */
  const made = new Map<string, { pod: number; marker: string }>();

  const api = async (method: string, p: string, body?: unknown, headers: Record<string, string> = {}) => {
    const r = await fetch(gateway + p, {
      method,
      headers: { authorization: `Bearer ${TOKEN}`, ...(body !== undefined && { 'content-type': 'application/json' }), ...headers },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    const text = await r.text();
    let json: any = null;
    try { json = JSON.parse(text); } catch { /* not JSON */ }
    return { status: r.status, type: r.headers.get('content-type') ?? '', text, json, headers: r.headers };
  };
  const mcp = (method: string, params: Record<string, unknown>, id = 1) =>
    api('POST', '/mcp', { jsonrpc: '2.0', id, method, params }, { accept: 'application/json, text/event-stream' });
  const tool = async (name: string, args: Record<string, unknown> = {}) => {
    const r = await mcp('tools/call', { name, arguments: args });
    expect(r.status, r.text).toBe(200);
    return r.json.result as { content: { type: string; text: string }[]; isError?: boolean };
  };
  /** The main file a container's nginx.conf would be, with the gateway config included as-is. */
  const mainConf = (include: string) => [
    `pid ${dir}/nginx.pid;`, 'worker_processes 1;', `error_log ${dir}/error.log warn;`, 'events { worker_connections 256; }',
    'http {',
    '  log_format routed \'$request_method $uri $status $upstream_addr\';',
    `  access_log ${dir}/access.log routed;`,
    ...['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((t) => `  ${t}_temp_path ${dir}/${t};`),
    `  include ${dir}/${include};`,
    '}', '',
  ].join('\n');
  /** nginx's access log: method, URI, status and the upstream that served it, per request. */
  const accessLog = () => readFileSync(path.join(dir, 'access.log'), 'utf8').trim().split('\n')
    .map((l) => { const [method, uri, status, upstream] = l.split(' '); return { method, uri, status, upstream }; });

  beforeAll(async () => {
    if (NGINX === undefined) throw new Error(NO_NGINX);
    dir = mkdtempSync(path.join(runRoot() ?? tmpdir(), 'multi-pod-'));
    for (let i = 0; i < 4; i++) ports.push(await freePort());
    const url = (i: number) => `http://127.0.0.1:${ports[i]}`;
    const peers = PODS.map((name, i) => `${name}=${url(i)}`).join(',');
    for (const [i, name] of PODS.entries()) {
      servers.push(await spawnServer({ TERMPOOL_TOKEN: TOKEN, TERMPOOL_ID_PREFIX: name, TERMPOOL_PEERS: peers }, { port: ports[i]! }));
    }
    const conf = renderGateway({
      target: 'multi-pod test',
      listen: `127.0.0.1:${ports[3]}`,
      pods: Object.fromEntries(PODS.map((name, i) => [name, `127.0.0.1:${ports[i]}`])),
      ready: PODS.map((_, i) => `127.0.0.1:${ports[i]}`),
    }) as string;
    writeFileSync(path.join(dir, 'default.conf'), conf);
    for (const t of ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) mkdirSync(path.join(dir, t));
    // The main file a container's nginx.conf would be; the gateway config is included as-is.
    writeFileSync(path.join(dir, 'nginx.conf'), mainConf('default.conf'));
    nginx = spawn(NGINX!, ['-p', dir, '-e', path.join(dir, 'error.log'), '-c', path.join(dir, 'nginx.conf'), '-g', 'daemon off;'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let nginxOut = '';
    nginx.stderr!.on('data', (d: Buffer) => { nginxOut += d.toString(); });
    gateway = `http://127.0.0.1:${ports[3]}`;
    for (const end = Date.now() + 20_000; ;) {
      if (nginx.exitCode !== null) throw new Error(`nginx exited ${nginx.exitCode}: ${nginxOut}`);
      try { if ((await fetch(`${gateway}/gateway/healthz`)).ok) break; } catch { /* not yet */ }
      if (Date.now() > end) throw new Error(`nginx did not answer: ${nginxOut}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    gw = new TermpoolClient({ url: gateway, token: TOKEN });
  }, 90_000);

  afterAll(async () => {
    if (nginx !== null && nginx.exitCode === null && nginx.signalCode === null) {
      const gone = new Promise((r) => nginx!.once('exit', r));
      nginx.kill('SIGTERM');
      const last = setTimeout(() => nginx!.kill('SIGKILL'), 10_000);
      await gone;
      clearTimeout(last);
    }
    await Promise.all(servers.map((s) => s.stop('SIGKILL')));
    if (dir !== '') rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it('nginx is installed', () => { expect(NGINX, NO_NGINX).toBeDefined(); });

  it('the Kubernetes rendering of the same template passes nginx -t (cluster DNS names swapped for loopback)', () => {
    // Only the names nginx resolves when it loads the file: kube-dns and the ready Service.
    const conf = (renderGateway(K8S) as string)
      .replace(`resolver ${K8S.resolver} `, 'resolver 127.0.0.1 ')
      .replace(`server ${K8S.ready[0]};`, `server 127.0.0.1:${ports[0]};`);
    expect(conf).not.toContain('cluster.local;');
    writeFileSync(path.join(dir, 'k8s.conf'), conf);
    writeFileSync(path.join(dir, 'nginx-k8s.conf'), mainConf('k8s.conf'));
    const t = spawnSync(NGINX!, ['-t', '-p', dir, '-e', path.join(dir, 'error.log'), '-c', path.join(dir, 'nginx-k8s.conf')], { encoding: 'utf8' });
    expect(t.status, t.stderr).toBe(0);
    expect(t.stderr).toContain('test is successful');
  });

  it('creates sessions through the gateway on every pod and drives each on the pod that holds it', async () => {
    for (let n = 0; n < 6; n++) {
      const s = await gw.createSession({ command: 'sh', env: { PS1: '$ ' } });
      const pod = PODS.findIndex((p) => s.id.startsWith(`${p}-`));
      expect(pod, s.id).toBeGreaterThanOrEqual(0);
      made.set(s.id, { pod, marker: `hello-from-${n}` });
    }
    // nginx's round robin over the three ready servers.
    expect(new Set([...made.values()].map((m) => m.pod)).size).toBe(3);
    for (const [id, { marker }] of made) {
      await gw.input(id, { text: `echo ${marker}\r` });
      const w = await gw.wait(id, { regex: `^${marker}$`, timeoutMs: 20_000 });
      expect(w.satisfied, id).toBe(true);
    }
    // Each process knows exactly its own sessions (asked directly, as a peer would: no fan-out).
    for (const [i, s] of servers.entries()) {
      const own = await fetch(`${s.url}/v1/sessions`, { headers: { authorization: `Bearer ${TOKEN}`, 'termpool-fan-out': 'test' } });
      const body = await own.json() as { sessions: { id: string }[]; cluster?: unknown };
      expect(body.cluster).toBeUndefined();
      expect(body.sessions.map((x) => x.id).sort()).toEqual([...made].filter(([, m]) => m.pod === i).map(([id]) => id).sort());
    }
    // Every per-session request went to the process that holds the session.
    const perSession = accessLog().filter((l) => /^\/v1\/sessions\/termpool-/.test(l.uri!));
    expect(perSession.length).toBe(made.size * 2);
    for (const l of perSession) {
      const id = /^\/v1\/sessions\/([^/]+)/.exec(l.uri!)![1]!;
      expect(l.upstream, l.uri).toBe(`127.0.0.1:${ports[made.get(id)!.pod]}`);
      expect(l.status).toBe('200');
    }
  }, 120_000);

  it('a WebSocket viewer through the gateway gets its session\'s screen from the pod that holds it', async () => {
    for (const [id, { pod, marker }] of [...made].filter(([, m], i, all) => all.findIndex(([, o]) => o.pod === m.pod) === i)) {
      const ws = new WebSocket(`${gateway.replace('http', 'ws')}/v1/sessions/${id}/ws`, { headers: { authorization: `Bearer ${TOKEN}` } });
      const screen = await new Promise<{ lines: string[] }>((resolve, reject) => {
        ws.on('message', (d) => { const m = JSON.parse(d.toString()); if (m.type === 'screen') resolve(m); });
        ws.once('error', reject);
      });
      expect(screen.lines).toContain(marker);
      const closed = new Promise((r) => ws.once('close', r));
      ws.close();
      await closed;
      // nginx logs an upgraded request when it ends.
      for (const end = Date.now() + 10_000; ;) {
        const l = accessLog().find((x) => x.uri === `/v1/sessions/${id}/ws`);
        if (l !== undefined) {
          expect(l.status).toBe('101');
          expect(l.upstream).toBe(`127.0.0.1:${ports[pod]}`);
          break;
        }
        expect(Date.now() < end, `no access log line for ${id}/ws`).toBe(true);
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  }, 60_000);

  it('GET /v1/sessions through the gateway lists the whole cluster, whichever pod answers', async () => {
    // Until each of the three processes has answered once (nginx's round robin is per worker
    // process, so three requests in a row need not reach three pods); each answer is whole.
    const upstreams = (): Set<string> => new Set(accessLog().filter((l) => l.uri === '/v1/sessions' && l.method === 'GET').map((l) => l.upstream));
    for (let k = 0; k < 3 || (upstreams().size < 3 && k < 30); k++) {
      const r = await api('GET', '/v1/sessions');
      expect(r.status).toBe(200);
      expect(r.json.sessions.map((s: { id: string }) => s.id).sort()).toEqual([...made.keys()].sort());
      expect(r.json.cluster.complete).toBe(true);
      expect(r.json.cluster.peers.map((p: { ok: boolean }) => p.ok)).toEqual([true, true]);
    }
    // Answers came from all three processes, each fanning out.
    expect(upstreams().size).toBe(3);
  }, 60_000);

  it('MCP through the gateway: stateless, list_sessions sees every pod, tool calls reach the pod of their session', async () => {
    const init = await mcp('initialize', { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'multi-pod', version: '1' } });
    expect(init.status).toBe(200);
    expect(init.json.result.serverInfo.name).toBe('termpool');
    // No MCP session to stick to: any pod can take the next request.
    expect(init.headers.get('mcp-session-id')).toBeNull();
    const list = await tool('list_sessions');
    for (const id of made.keys()) expect(list.content[0]!.text).toContain(id);
    expect(list.content[0]!.text).not.toContain('Incomplete');
    // Six sessions read over six round-robin requests: most land on a pod that is not the session's.
    for (const [id, { marker }] of made) {
      const screen = await tool('read_screen', { session_id: id });
      expect(screen.isError, screen.content[0]?.text).toBeFalsy();
      expect(screen.content[0]!.text).toContain(marker);
    }
    const mcpPods = new Set(accessLog().filter((l) => l.uri === '/mcp').map((l) => l.upstream));
    expect(mcpPods.size).toBe(3);
  }, 60_000);

  it('a killed pod: the others keep serving, its sessions answer a JSON error naming it, lists say it is missing', async () => {
    await servers[2]!.stop('SIGKILL');
    const dead = [...made].filter(([, m]) => m.pod === 2).map(([id]) => id);
    const alive = [...made].filter(([, m]) => m.pod !== 2);
    expect(dead.length).toBeGreaterThan(0);
    for (const id of dead) {
      const r = await api('GET', `/v1/sessions/${id}/screen`);
      expect(r.status).toBe(502);
      expect(r.type).toContain('application/json');
      expect(r.json).toMatchObject({ error: 'POD_UNAVAILABLE', details: { pod: 'termpool-2' } });
      expect(r.json.message).toContain('termpool-2');
    }
    // An id naming a pod the gateway does not know: the same JSON, never nginx's HTML.
    const unknown = await api('GET', '/v1/sessions/termpool-7-0123456789ab');
    expect(unknown.status).toBe(502);
    expect(unknown.json).toMatchObject({ error: 'POD_UNAVAILABLE', details: { pod: 'termpool-7' } });
    for (const [id, { marker }] of alive) {
      await gw.input(id, { text: `echo again-${marker}\r` });
      expect((await gw.wait(id, { regex: `^again-${marker}$`, timeoutMs: 20_000 })).satisfied, id).toBe(true);
    }
    // New sessions land only on live pods (nginx skips the refused connection).
    for (let n = 0; n < 4; n++) {
      const s = await gw.createSession({ command: 'sh' });
      expect(s.id.startsWith('termpool-0-') || s.id.startsWith('termpool-1-'), s.id).toBe(true);
      made.set(s.id, { pod: s.id.startsWith('termpool-0-') ? 0 : 1, marker: '' });
    }
    const r = await api('GET', '/v1/sessions');
    expect(r.status).toBe(200);
    expect(r.json.cluster.complete).toBe(false);
    const missing = r.json.cluster.peers.find((p: { name: string }) => p.name === 'termpool-2');
    expect(missing).toMatchObject({ ok: false, sessions: 0 });
    expect(missing.error).toMatch(/ECONNREFUSED|no answer/);
    expect(r.json.sessions.map((s: { id: string }) => s.id).sort()).toEqual([...made].filter(([, m]) => m.pod !== 2).map(([id]) => id).sort());
    const list = await tool('list_sessions');
    expect(list.content[0]!.text).toContain('Incomplete: no answer from termpool-2');
  }, 120_000);
});
