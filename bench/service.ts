/**
 * Service memory per session, beside tmux in the same run: `npm run bench -- service
 * [--sessions N] [--lines N] [--write]`.
 *
 * Owns the procedure. termpool: the real server (`bin/termpool.js serve`, its own process, own
 * temp HOME, archive off) with N sessions, each a real bash printing `lines` log lines of
 * varied text and then waiting in `cat`; tmux: a private server (`-L`, `-f /dev/null`,
 * history-limit = lines) with N windows running the same command. Both are measured by RSS
 * (/proc/PID/status VmRSS) after every program printed its last line and the servers settled
 * (termpool twice: with MALLOC_MMAP_THRESHOLD_ as npm start and the image set it, and with glibc's
 * default dynamic threshold; src/malloc-tuning.ts)
 * (termpool's quiet sweep has compressed cold pages). termpool is measured again after every
 * session was deleted and the pool's idle trim ran (PagePool.trimIdle every 30 s), to show
 * what stays behind. Per session = (RSS with N − RSS before the first) / N.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { environmentLines, writeBenchSection } from './capacity.js';
import { stopTmuxServer } from './tmux-teardown.js';
import { MMAP_THRESHOLD_BYTES, MMAP_THRESHOLD_ENV } from '../src/malloc-tuning.js';

/** The environment without glibc malloc settings, so each run states its own (src/malloc-tuning.ts). */
function withoutMallocTuning(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const e = { ...env };
  delete e[MMAP_THRESHOLD_ENV];
  delete e['GLIBC_TUNABLES'];
  return e;
}

export const SERVICE_SESSIONS = 1000;
export const SERVICE_LINES = 3000;
/** Settle after the last program finished printing: > QUIET_SWEEP_MS, and tmux's own timers. */
const SETTLE_MS = 4000;
/** After the deletes: the pool's idle trim runs every 30 s and needs two runs to see a page idle. */
const AFTER_DELETE_MS = 65_000;

export interface ServiceResult {
  name: string;
  sessions: number;
  baseRss: number;
  fullRss: number;
  perSession: number;
  /** termpool only: RSS after every session was deleted and the idle trim ran. */
  afterDeleteRss?: number;
  threads?: number;
  /** termpool only: where the memory is, from its /metrics at full load (bytes). */
  breakdown?: Record<string, number>;
}

/**
 * Realistic log lines from bash builtins only (no fork per line): a timestamp, a worker, a path
 * with random ids, a status and a latency; then a marker file, then `cat` keeps the program alive.
 */
export function serviceProgram(lines: number, doneDir: string, i: number, idle = 'cat'): string {
  return `for ((n=1;n<=${lines};n++)); do printf '%(%F %T)T INFO [worker-%d] GET /api/v1/items/%d?page=%d 200 %dms user=%x\\n' -1 $((n%8)) $((RANDOM*7)) $((n%50)) $((RANDOM%900)) $((RANDOM*RANDOM)); done; : > ${doneDir}/${i}; exec ${idle}`;
}

function rss(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : NaN;
}

function threads(pid: number): number {
  return Number(/Threads:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN);
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function waitDone(dir: string, n: number, what: string): Promise<void> {
  const deadline = Date.now() + 600_000;
  while (readdirSync(dir).length < n) {
    if (Date.now() > deadline) throw new Error(`${what}: only ${readdirSync(dir).length} of ${n} programs finished in 10 min`);
    await sleep(250);
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => { const a = s.address(); s.close(() => resolve(typeof a === 'object' && a ? a.port : 0)); });
  });
}

/** Run `fn` over `items` with at most `limit` in flight. */
async function pool<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: limit }, async () => {
    while (next < items.length) await fn(items[next++]);
  }));
}

async function measureTermpool(sessions: number, lines: number, root: string, log: (m: string) => void, malloc: 'glibc default' | 'fixed threshold'): Promise<ServiceResult> {
  const port = await freePort();
  const tag = malloc === 'glibc default' ? 'default' : 'fixed';
  const home = path.join(root, `termpool-home-${tag}`);
  const done = path.join(root, `termpool-done-${tag}`);
  for (const d of [home, done]) execFileSync('mkdir', ['-p', d]);
  const bin = fileURLToPath(new URL('../../bin/termpool.js', import.meta.url));
  const server: ChildProcess = spawn(process.execPath, [bin, 'serve'], {
    env: {
      ...withoutMallocTuning(process.env), ...(malloc === 'fixed threshold' ? { [MMAP_THRESHOLD_ENV]: String(MMAP_THRESHOLD_BYTES) } : {}), HOME: home, XDG_STATE_HOME: home, XDG_CONFIG_HOME: home, XDG_CACHE_HOME: home,
      TERMPOOL_HOST: '127.0.0.1', TERMPOOL_PORT: String(port), TERMPOOL_TOKEN: '', TERMPOOL_ARCHIVE: 'off',
      TERMPOOL_MAX_SESSIONS: String(sessions + 10), TERMPOOL_SCROLLBACK: String(lines), TERMPOOL_LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const base = `http://127.0.0.1:${port}`;
  const json = async (method: string, url: string, body?: unknown): Promise<Record<string, unknown>> => {
    const res = await fetch(base + url, { method, headers: body ? { 'content-type': 'application/json' } : {}, body: body ? JSON.stringify(body) : undefined });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${url}: ${res.status} ${text}`);
    return text ? JSON.parse(text) as Record<string, unknown> : {};
  };
  try {
    for (let k = 0; ; k++) {
      try { await fetch(`${base}/healthz`); break; } catch { if (k > 200) throw new Error('termpool did not start'); await sleep(100); }
    }
    await sleep(1000);
    const baseRss = rss(server.pid!);
    const ids: string[] = [];
    const t0 = Date.now();
    await pool(Array.from({ length: sessions }, (_, i) => i), 16, async (i) => {
      const s = await json('POST', '/v1/sessions', { command: 'bash', args: ['--norc', '--noprofile', '-c', serviceProgram(lines, done, i)], cols: 80, rows: 24 });
      ids.push(String(s['id']));
    });
    await waitDone(done, sessions, 'termpool');
    log(`termpool: ${sessions} sessions printed ${lines} lines each in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    await sleep(SETTLE_MS);
    const fullRss = rss(server.pid!);
    const th = threads(server.pid!);
    const breakdown = metricsBreakdown(await (await fetch(`${base}/metrics`)).text());
    await pool(ids, 16, async (id) => { await json('DELETE', `/v1/sessions/${id}`); });
    log(`termpool: deleted; waiting ${AFTER_DELETE_MS / 1000} s for the pool's idle trim`);
    await sleep(AFTER_DELETE_MS);
    const afterDeleteRss = rss(server.pid!);
    return { name: `termpool (${malloc})`, sessions, baseRss, fullRss, perSession: (fullRss - baseRss) / sessions, afterDeleteRss, threads: th, breakdown };
  } finally {
    server.kill('SIGTERM');
    await new Promise((r) => { if (server.exitCode !== null) r(null); else server.once('exit', r); });
  }
}

async function measureTmux(sessions: number, lines: number, root: string, log: (m: string) => void): Promise<ServiceResult> {
  const sock = `termpool-bench-${process.pid}`;
  const done = path.join(root, 'tmux-done');
  execFileSync('mkdir', ['-p', done]);
  const tmux = (...args: string[]): string => execFileSync('tmux', ['-L', sock, '-f', '/dev/null', ...args], { encoding: 'utf8', env: { ...process.env, TMUX_TMPDIR: root } });
  let pid = 0;
  try {
    tmux('new-session', '-d', '-s', 'bench', '-x', '80', '-y', '24', 'exec cat');
    tmux('set-option', '-g', 'history-limit', String(lines));
    pid = Number(tmux('display-message', '-p', '#{pid}').trim());
    await sleep(1000);
    const baseRss = rss(pid);
    const t0 = Date.now();
    for (let i = 0; i < sessions; i++) tmux('new-window', '-d', '-t', 'bench', `bash --norc --noprofile -c '${serviceProgram(lines, done, i).replace(/'/g, `'\\''`)}'`);
    await waitDone(done, sessions, 'tmux');
    log(`tmux: ${sessions} windows printed ${lines} lines each in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    await sleep(SETTLE_MS);
    const fullRss = rss(pid);
    return { name: 'tmux', sessions, baseRss, fullRss, perSession: (fullRss - baseRss) / sessions };
  } finally {
    // kill-server alone once left a 1,000-window server running: signal what it leaves, and check.
    const how = await stopTmuxServer(pid, () => { execFileSync('tmux', ['-L', sock, 'kill-server'], { timeout: 20_000, stdio: 'ignore', env: { ...process.env, TMUX_TMPDIR: root } }); }, log);
    log(`tmux: server ${pid} and its windows ended (${how})`);
  }
}

/** The figures that explain termpool's RSS, from a Prometheus text scrape. */
function metricsBreakdown(text: string): Record<string, number> {
  const pick = (re: RegExp): number => Number(re.exec(text)?.[1] ?? NaN);
  return {
    'hot pages (lent)': pick(/^termpool_pool_bytes\{state="lent"\} (\S+)/m),
    'free pages': pick(/^termpool_pool_bytes\{state="free"\} (\S+)/m),
    'compressed pages': pick(/^termpool_pool_bytes\{state="compressed"\} (\S+)/m),
    'V8 heap used': pick(/^nodejs_heap_size_used_bytes (\S+)/m),
    'external (ArrayBuffers, incl. pages)': pick(/^nodejs_external_memory_bytes (\S+)/m),
  };
}

const mb = (b: number): string => (b / 1e6).toFixed(2);

export function formatService(rows: readonly ServiceResult[], lines: number): string {
  const out = [
    `| server | sessions | RSS before (MB) | RSS with all (MB) | per session (MB) | RSS after deleting all (MB) | threads |`,
    '|---|---:|---:|---:|---:|---:|---:|',
  ];
  for (const r of rows) {
    out.push(`| ${r.name} | ${r.sessions} | ${mb(r.baseRss)} | ${mb(r.fullRss)} | ${mb(r.perSession)} | ${r.afterDeleteRss === undefined ? '–' : mb(r.afterDeleteRss)} | ${r.threads ?? '–'} |`);
  }
  const tp = rows.find((r) => r.name.startsWith('termpool (fixed'));
  if (tp?.breakdown) {
    out.push('', `termpool's own figures at full load (/metrics), per session: ${Object.entries(tp.breakdown).map(([k, v]) => `${k} ${(v / tp.sessions / 1e3).toFixed(0)} kB`).join(', ')}.`);
  }
  const tm = rows.find((r) => r.name === 'tmux');
  if (tp && tm) out.push('', `termpool per session / tmux per window: ${(tp.perSession / tm.perSession).toFixed(2)} (target ≤ 0.33).`);
  out.push('', `Each session/window: bash printing ${lines.toLocaleString('en-US')} log lines (timestamp, worker, random ids and latencies; builtins only), then \`cat\`; scrollback/history-limit ${lines.toLocaleString('en-US')}; 80x24. RSS of the server process only (the programs are not counted for either).`);
  return out.join('\n');
}

/** `npm run bench -- service ...` (run.ts hands over argv after the sub-command). */
export async function serviceMain(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv, strict: true,
    options: { sessions: { type: 'string' }, lines: { type: 'string' }, only: { type: 'string' }, write: { type: 'boolean' } },
  });
  const sessions = Number(values.sessions ?? SERVICE_SESSIONS);
  const lines = Number(values.lines ?? SERVICE_LINES);
  if (!Number.isInteger(sessions) || sessions < 1 || !Number.isInteger(lines) || lines < 1) throw new Error('--sessions and --lines must be positive integers');
  const log = (m: string): void => { process.stderr.write(`service: ${m}\n`); };
  const env = environmentLines('service', argv);
  const root = mkdtempSync(path.join(tmpdir(), 'termpool-bench-service-'));
  const rows: ServiceResult[] = [];
  try {
    if (values.only !== 'tmux') {
      rows.push(await measureTermpool(sessions, lines, root, log, 'fixed threshold'));
      rows.push(await measureTermpool(sessions, lines, root, log, 'glibc default'));
    }
    if (values.only !== 'termpool') {
      if (existsSync('/usr/bin/tmux')) rows.push(await measureTmux(sessions, lines, root, log));
      else log('tmux not installed: termpool only');
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
  const title = `## Service memory per session (${sessions.toLocaleString('en-US')} bash sessions, beside tmux)`;
  const body = `${env}\n\n${formatService(rows, lines)}`;
  process.stdout.write(`${title}\n\n${body}\n\n`);
  if (values.write) writeBenchSection('service', title, body);
}
