/**
 * API load bench (`npm run bench -- api`): the real server (`node bin/termpool.js`, its own
 * process, so the load generator does not share its event loop) on 127.0.0.1 with 100 sessions
 * producing output, driven by autocannon and by a sequential input→screen client.
 *
 * Owns: starting and stopping that server, the sessions it needs, the measurements and their
 * table. bench/run.ts owns argument parsing and BENCHMARKS.md.
 *
 * Measurements (each repeated `runs` times; the median of each figure is reported):
 *   - text: GET /v1/sessions/{id}/screen?format=text, ids rotated over the 100 busy sessions;
 *   - text, json, png at lower concurrency (latency without queueing; json and png for information);
 *   - input→screen (HTTP): POST /input with a unique token + "\r" to an interactive `cat`, then
 *     POST /wait for the token; time from sending the input until /wait answers;
 *   - input→output / input→screen (WebSocket): send the input message on a socket, time until an
 *     output message (resp. a coalesced screen message) contains the token.
 * Latencies are recorded by us at full resolution from autocannon's per-response durations
 * (autocannon's own histogram rounds to whole milliseconds).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import WebSocket from 'ws';

export interface ApiLoadOptions {
  runs: number;
  /** Seconds per text-snapshot run. */
  duration: number;
  /** Connections for the text-snapshot runs (json/png use a fifth of it, at least 2). */
  connections: number;
  /** input→screen iterations per run. */
  iterations: number;
  /** Busy sessions (the snapshot targets). */
  sessions: number;
  /** Extra node flags for the server process, e.g. ['--cpu-prof', '--cpu-prof-dir=prof']. */
  serverNodeArgs: string[];
  /** Server environment additions (e.g. TERMPOOL_LOG_LEVEL). */
  serverEnv: Record<string, string>;
  log: (msg: string) => void;
}

/**
 * A date and 20 numbers every ~0.1 s, with bash builtins only: `date; seq; sleep` in the loop
 * would fork ~3,000 processes a second across 100 sessions and measure the kernel, not termpool.
 * `read -t 0.1` waits on the (idle) pty input as the sleep.
 */
export const BUSY_COMMAND = ['bash', '-c', 's=$(seq 1 20); while :; do printf "%(%F %T)T\\n%s\\n" -1 "$s"; read -rt 0.1; done'] as const;
const INTERACTIVE_SESSIONS = 4;

interface Latencies { p50: number; p90: number; p99: number; max: number }

export interface SnapshotRun {
  format: 'text' | 'json' | 'png';
  connections: number;
  seconds: number;
  rps: number;
  lat: Latencies;
  requests: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  /** Server CPU use over the run (1.0 = one core busy). */
  serverCpu: number;
  load1: number;
}

export interface LatencyRun {
  kind: 'http' | 'ws-output' | 'ws-screen';
  iterations: number;
  lat: Latencies;
  failures: number;
  load1: number;
}

export interface ApiLoadResult {
  logLevel: string;
  sessions: number;
  snapshots: SnapshotRun[];
  latency: LatencyRun[];
}

function percentiles(samples: number[]): Latencies {
  if (samples.length === 0) return { p50: NaN, p90: NaN, p99: NaN, max: NaN };
  const s = Float64Array.from(samples).sort();
  const at = (q: number): number => s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)]!;
  return { p50: at(0.5), p90: at(0.9), p99: at(0.99), max: s[s.length - 1]! };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  return n === 0 ? NaN : n % 2 ? s[(n - 1) / 2]! : (s[n / 2 - 1]! + s[n / 2]!) / 2;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** utime + stime of a process in seconds (Linux /proc), or NaN elsewhere. */
function cpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // Fields 14 and 15 of stat (utime, stime) are 11 and 12 after the command name and state.
    return (Number(f[11]) + Number(f[12])) / 100;
  } catch {
    return NaN;
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

class Server {
  private constructor(readonly child: ChildProcess, readonly base: string, private stderr: string[]) {}

  static async start(opts: ApiLoadOptions): Promise<Server> {
    const port = await freePort();
    const bin = fileURLToPath(new URL('../../bin/termpool.js', import.meta.url));
    const child = spawn(process.execPath, [...opts.serverNodeArgs, bin, 'serve'], {
      env: {
        ...process.env,
        TERMPOOL_HOST: '127.0.0.1',
        TERMPOOL_PORT: String(port),
        TERMPOOL_TOKEN: '',
        TERMPOOL_MAX_SESSIONS: String(Math.max(120, opts.sessions + INTERACTIVE_SESSIONS + 10)),
        TERMPOOL_SCROLLBACK: '1000',
        ...opts.serverEnv,
      },
      // Request logs go nowhere: we measure the cost of producing them, not of a terminal showing them.
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const stderr: string[] = [];
    child.stderr!.setEncoding('utf8').on('data', (d: string) => { if (stderr.length < 50) stderr.push(d); });
    const server = new Server(child, `http://127.0.0.1:${port}`, stderr);
    const deadline = Date.now() + 15_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`server exited (${child.exitCode}): ${stderr.join('')}`);
      try {
        if ((await fetch(`${server.base}/healthz`)).ok) return server;
      } catch { /* not listening yet */ }
      if (Date.now() > deadline) { await server.stop(); throw new Error('server did not start within 15 s'); }
      await sleep(50);
    }
  }

  async json(method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown }> {
    const res = await fetch(this.base + path, {
      method,
      ...(body !== undefined && { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
  }

  async createSession(command: readonly string[]): Promise<string> {
    const r = await this.json('POST', '/v1/sessions', { command: command[0], args: command.slice(1), cols: 80, rows: 24 });
    if (r.status !== 201 && r.status !== 200) throw new Error(`create session: ${r.status} ${JSON.stringify(r.body)}`);
    return (r.body as { id: string }).id;
  }

  /** SIGTERM (the server closes every session and exits; --cpu-prof writes its profile then). */
  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise<void>((r) => this.child.once('exit', () => r()));
    this.child.kill('SIGTERM');
    const t = setTimeout(() => this.child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(t);
  }

  get errors(): string { return this.stderr.join(''); }
}

async function snapshotRun(server: Server, ids: string[], format: SnapshotRun['format'], connections: number, seconds: number): Promise<SnapshotRun> {
  let next = 0;
  const samples: number[] = [];
  const load1 = loadavg()[0]!;
  const pid = server.child.pid!;
  const cpu0 = cpuSeconds(pid);
  const t0 = performance.now();
  let instance!: autocannon.Instance;
  const done = new Promise<autocannon.Result>((resolve, reject) => {
    instance = autocannon({
      url: server.base,
      connections,
      duration: seconds,
      requests: [{
        method: 'GET',
        // Each request goes to the next session in turn.
        setupRequest: (req) => ({ ...req, path: `/v1/sessions/${ids[next++ % ids.length]}/screen?format=${format}` }),
      }],
    }, (err, result) => (err ? reject(err as Error) : resolve(result)));
  });
  instance.on('response', (_client: unknown, status: number, _bytes: number, ms: number) => {
    if (status >= 200 && status < 300) samples.push(ms);
  });
  const r = await done;
  const wall = (performance.now() - t0) / 1000;
  const cpu1 = cpuSeconds(pid);
  return {
    format,
    connections,
    seconds,
    rps: r.requests.total / r.duration,
    lat: percentiles(samples),
    requests: r.requests.total,
    errors: r.errors,
    timeouts: r.timeouts,
    non2xx: r.non2xx,
    serverCpu: (cpu1 - cpu0) / wall,
    load1,
  };
}

/** Sequential input → /wait round trips over a few interactive `cat` sessions. */
async function httpLatencyRun(server: Server, ids: string[], iterations: number, tag: string): Promise<LatencyRun> {
  const load1 = loadavg()[0]!;
  const samples: number[] = [];
  let failures = 0;
  for (let i = 0; i < iterations; i++) {
    const id = ids[i % ids.length]!;
    const token = `tok${tag}x${i}z`;
    const t0 = performance.now();
    const inp = await server.json('POST', `/v1/sessions/${id}/input`, { text: `${token}\r` });
    const w = await server.json('POST', `/v1/sessions/${id}/wait`, { text: token, timeoutMs: 5000 });
    const ms = performance.now() - t0;
    if (inp.status === 200 && w.status === 200) samples.push(ms);
    else failures++;
  }
  return { kind: 'http', iterations, lat: percentiles(samples), failures, load1 };
}

/** The same through the WebSocket: time to the output message and to the screen message holding the token. */
async function wsLatencyRun(server: Server, ids: string[], iterations: number, tag: string): Promise<LatencyRun[]> {
  const load1 = loadavg()[0]!;
  const sockets = await Promise.all(ids.map((id) => new Promise<WebSocket>((resolve, reject) => {
    const ws = new WebSocket(`${server.base.replace('http', 'ws')}/v1/sessions/${id}/ws`);
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  })));
  const out: number[] = [];
  const scr: number[] = [];
  let failures = 0;
  try {
    for (let i = 0; i < iterations; i++) {
      const ws = sockets[i % sockets.length]!;
      const token = `ws${tag}x${i}z`;
      const t0 = performance.now();
      let outputAt = -1;
      let seen = '';
      const ok = await new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => { ws.off('message', onMessage); resolve(false); }, 5000);
        function onMessage(data: WebSocket.RawData): void {
          const msg = JSON.parse(data.toString()) as { type: string; data?: string; lines?: string[] };
          if (msg.type === 'output' && outputAt < 0) {
            // A token may be split across pty reads: keep a short tail of what came before.
            seen = (seen + msg.data).slice(-200);
            if (seen.includes(token)) outputAt = performance.now() - t0;
          } else if (msg.type === 'screen' && msg.lines?.some((l) => l.includes(token))) {
            scr.push(performance.now() - t0);
            clearTimeout(timer);
            ws.off('message', onMessage);
            resolve(outputAt >= 0);
          }
        }
        ws.on('message', onMessage);
        ws.send(JSON.stringify({ type: 'input', text: `${token}\r` }));
      });
      if (ok) out.push(outputAt);
      else failures++;
    }
  } finally {
    for (const ws of sockets) ws.close();
  }
  return [
    { kind: 'ws-output', iterations, lat: percentiles(out), failures, load1 },
    { kind: 'ws-screen', iterations, lat: percentiles(scr), failures, load1 },
  ];
}

export async function runApiLoad(opts: ApiLoadOptions): Promise<ApiLoadResult> {
  const { log } = opts;
  log(`api: starting server (${opts.serverNodeArgs.join(' ') || 'no extra node flags'})`);
  const server = await Server.start(opts);
  try {
    const busy: string[] = [];
    for (let i = 0; i < opts.sessions; i++) busy.push(await server.createSession(BUSY_COMMAND));
    const interactive: string[] = [];
    for (let i = 0; i < INTERACTIVE_SESSIONS; i++) interactive.push(await server.createSession(['cat']));
    log(`api: ${busy.length} busy + ${interactive.length} interactive sessions; letting output start`);
    await sleep(2000);
    // Warm-up: JIT the routes and load the PNG renderer before anything is timed.
    await snapshotRun(server, busy, 'text', opts.connections, 2);
    await snapshotRun(server, busy, 'json', 4, 1);
    await snapshotRun(server, busy, 'png', 2, 1);
    await httpLatencyRun(server, interactive, 50, 'warm');

    const snapshots: SnapshotRun[] = [];
    const latency: LatencyRun[] = [];
    const low = Math.max(2, Math.round(opts.connections / 5));
    for (let run = 1; run <= opts.runs; run++) {
      const text = await snapshotRun(server, busy, 'text', opts.connections, opts.duration);
      log(`api: run ${run} text: ${text.rps.toFixed(0)} req/s p50 ${text.lat.p50.toFixed(2)} p99 ${text.lat.p99.toFixed(2)} ms, server CPU ${text.serverCpu.toFixed(2)}, load ${text.load1.toFixed(2)}`);
      snapshots.push(text);
      for (const format of ['text', 'json', 'png'] as const) {
        const r = await snapshotRun(server, busy, format, low, Math.max(5, Math.round(opts.duration / 2)));
        log(`api: run ${run} ${format}: ${r.rps.toFixed(0)} req/s p50 ${r.lat.p50.toFixed(2)} p99 ${r.lat.p99.toFixed(2)} ms`);
        snapshots.push(r);
      }
      const http = await httpLatencyRun(server, interactive, opts.iterations, String(run));
      log(`api: run ${run} input→/wait: p50 ${http.lat.p50.toFixed(2)} p99 ${http.lat.p99.toFixed(2)} ms (${http.failures} failed)`);
      latency.push(http);
      const ws = await wsLatencyRun(server, interactive, opts.iterations, String(run));
      log(`api: run ${run} ws input→output: p50 ${ws[0]!.lat.p50.toFixed(2)} p99 ${ws[0]!.lat.p99.toFixed(2)} ms; →screen p50 ${ws[1]!.lat.p50.toFixed(2)} ms`);
      latency.push(...ws);
    }
    const logLevel = opts.serverEnv['TERMPOOL_LOG_LEVEL'] ?? process.env['TERMPOOL_LOG_LEVEL'] ?? '(server default)';
    return { logLevel, sessions: busy.length, snapshots, latency };
  } finally {
    await server.stop();
    if (server.errors.trim()) log(`api: server stderr:\n${server.errors.trim()}`);
  }
}

const f1 = (n: number): string => (Number.isFinite(n) ? n.toFixed(1) : 'n/a');
const f2 = (n: number): string => (Number.isFinite(n) ? n.toFixed(2) : 'n/a');

export function formatApiLoad(r: ApiLoadResult, opts: Pick<ApiLoadOptions, 'runs' | 'iterations'>): string {
  const rows: string[] = [
    '| measurement | connections | req/s (runs) | p50 ms | p90 ms | p99 ms | errors | non-2xx | server CPU | load (1 min) |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  const kinds = [...new Set(r.snapshots.map((s) => `${s.format}@${s.connections}`))];
  for (const kind of kinds) {
    const runs = r.snapshots.filter((s) => `${s.format}@${s.connections}` === kind);
    const format = runs[0]!.format;
    const m = (f: (s: SnapshotRun) => number): number => median(runs.map(f));
    rows.push(`| GET /screen?format=${format} | ${runs[0]!.connections} | **${m((s) => s.rps).toFixed(0)}** (${runs.map((s) => s.rps.toFixed(0)).join(', ')}) | ` +
      `${f2(m((s) => s.lat.p50))} | ${f2(m((s) => s.lat.p90))} | **${f2(m((s) => s.lat.p99))}** | ` +
      `${runs.reduce((a, s) => a + s.errors + s.timeouts, 0)} | ${runs.reduce((a, s) => a + s.non2xx, 0)} | ` +
      `${f2(m((s) => s.serverCpu))} | ${runs.map((s) => s.load1.toFixed(1)).join(', ')} |`);
  }
  const lat: string[] = [
    '| round trip (sequential, one at a time) | samples per run | p50 ms | p90 ms | p99 ms | max ms | failed | load (1 min) |',
    '|---|---:|---:|---:|---:|---:|---:|---:|',
  ];
  const names: Record<LatencyRun['kind'], string> = {
    http: 'POST /input (token + Enter) → POST /wait answers',
    'ws-output': 'WebSocket input → output message holding the token',
    'ws-screen': 'WebSocket input → screen message holding the token',
  };
  for (const kind of ['http', 'ws-output', 'ws-screen'] as const) {
    const runs = r.latency.filter((l) => l.kind === kind);
    if (runs.length === 0) continue;
    const m = (f: (l: LatencyRun) => number): number => median(runs.map(f));
    lat.push(`| ${names[kind]} | ${opts.iterations} | ${f2(m((l) => l.lat.p50))} | ${f2(m((l) => l.lat.p90))} | ${f2(m((l) => l.lat.p99))} | ` +
      `${f1(m((l) => l.lat.max))} | ${runs.reduce((a, l) => a + l.failures, 0)} | ${runs.map((l) => l.load1.toFixed(1)).join(', ')} |`);
  }
  return [
    `Server: \`node bin/termpool.js\` in its own process on 127.0.0.1, log level ${r.logLevel}, ${r.sessions} sessions running ` +
      `\`${BUSY_COMMAND[0]} ${BUSY_COMMAND[1]} '${BUSY_COMMAND[2]}'\` (each redraws ~10 times a second) plus ${INTERACTIVE_SESSIONS} interactive \`cat\` ` +
      `sessions; load from autocannon in the bench process, each request to the next busy session in turn. Each figure is ` +
      `the median over ${opts.runs} runs (req/s of every run in brackets); latencies are client-side, measured at full ` +
      `resolution. Server CPU 1.00 = one core busy; the load generator uses the other.`,
    '',
    ...rows,
    '',
    ...lat,
    '',
    'Input→screen round trips go to the interactive sessions while the 100 busy ones keep writing; the WebSocket screen ' +
      'message is coalesced (at most every 50 ms), so its latency is dominated by that interval by design.',
  ].join('\n');
}
