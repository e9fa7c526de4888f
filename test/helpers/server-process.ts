/**
 * The real server as a child process (`node bin/termpool.js serve`), for tests and benches that
 * need what only a separate process shows: its own RSS (/proc/<pid>/status), its log output,
 * its exit status on SIGTERM, and the process table it leaves behind. `client` drives it through
 * the typed client (src/client), as a user of the package would.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { TermpoolClient } from '../../src/client/index.js';
import { runRoot } from './suite.js';

/** bin/termpool.js from the source tree (test/helpers) or from the compiled tree (dist/test/helpers). */
const BIN = ['../../bin/termpool.js', '../../../bin/termpool.js']
  .map((p) => fileURLToPath(new URL(p, import.meta.url)))
  .find((p) => existsSync(p))!;

export interface ServerProcess {
  url: string;
  pid: number;
  child: ChildProcess;
  token: string;
  /** The typed client (src/client), with the token. */
  client: TermpoolClient;
  /** Everything the server wrote to stdout and stderr (the last `keepLog` bytes). */
  log(): string;
  /** Resident set size in bytes, from /proc (0 once it has exited). */
  rss(): number;
  /** fetch with the token, JSON in and out. */
  api<T = any>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }>;
  /**
   * Sends `sig` and resolves with the exit code (or signal) and how long it took. A server that
   * is still there 30 s later gets SIGKILL (and so fails a test that expects a clean exit), so
   * that a teardown never leaves it running.
   */
  stop(sig?: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null; ms: number }>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export async function spawnServer(env: Record<string, string> = {}, opts: { keepLog?: number; bin?: string; port?: number } = {}): Promise<ServerProcess> {
  const keep = opts.keepLog ?? 4 << 20;
  // A free port chosen here: the "listening at" line is not logged below level info.
  // `port`: chosen by the caller when other processes must know it first (test/deploy/multi-pod.test.ts).
  const port = opts.port ?? await freePort();
  const url = `http://127.0.0.1:${port}`;
  // A state dir of its own (XDG_STATE_HOME, where the default archive would go), removed when
  // the server exits. The archive is off unless a test asks for one: servers in parallel tests
  // must not share (or list each other's sessions from) a store.
  const state = mkdtempSync(path.join(runRoot() ?? tmpdir(), 'server-state-'));
  // `bin`: another build's bin/termpool.js (bench/hostile.ts compares against an older checkout).
  const child = spawn(process.execPath, [opts.bin ?? BIN, 'serve'], {
    env: { ...process.env, XDG_STATE_HOME: state, TERMPOOL_HOST: '127.0.0.1', TERMPOOL_ARCHIVE: 'off', ...env, TERMPOOL_PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  const append = (d: Buffer): void => {
    log += d.toString('utf8');
    if (log.length > keep) log = log.slice(-keep);
  };
  child.stdout!.on('data', append);
  child.stderr!.on('data', append);
  let done: { code: number | null; signal: NodeJS.Signals | null } | null = null;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => {
      done = { code, signal };
      rmSync(state, { recursive: true, force: true });
      resolve(done);
    });
  });
  child.once('error', () => rmSync(state, { recursive: true, force: true }));
  // 30 s: a node start on a 2-core machine busy with other test files can take several seconds.
  for (const end = Date.now() + 30_000; ;) {
    if (done) throw new Error(`server exited (${(done as { code: number | null }).code}) before listening: ${log}`);
    try {
      if ((await fetch(`${url}/healthz`)).ok) break;
    } catch { /* not yet */ }
    if (Date.now() > end) {
      child.kill('SIGKILL');
      await exited;
      throw new Error(`server did not answer /healthz in 30 s: ${log}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  const token = env['TERMPOOL_TOKEN'] ?? '';
  const pid = child.pid!;
  return {
    url,
    pid,
    child,
    token,
    client: new TermpoolClient({ url, token }),
    exited,
    log: () => log,
    rss() {
      try {
        const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
        return m ? Number(m[1]) * 1024 : 0;
      } catch {
        return 0;
      }
    },
    async api(method, path, body) {
      const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
      if (body !== undefined) headers['content-type'] = 'application/json';
      const r = await fetch(url + path, { method, headers, ...(body !== undefined && { body: JSON.stringify(body) }) });
      const text = await r.text();
      let parsed: any = text;
      try { parsed = JSON.parse(text); } catch { /* text */ }
      return { status: r.status, body: parsed };
    },
    async stop(sig = 'SIGTERM') {
      const t0 = Date.now();
      if (child.exitCode === null && child.signalCode === null) child.kill(sig);
      const last = setTimeout(() => child.kill('SIGKILL'), 30_000);
      const r = await exited;
      clearTimeout(last);
      return { ...r, ms: Date.now() - t0 };
    },
  };
}

/** The process table (`ps -eo pid,pgid,ppid,stat,comm`): every process with its group and parent. */
export function processTable(): { pid: number; pgid: number; ppid: number; stat: string; comm: string }[] {
  const r = spawnSync('ps', ['-eo', 'pid,pgid,ppid,stat,comm'], { encoding: 'utf8' });
  if (r.error) throw r.error;
  const out: { pid: number; pgid: number; ppid: number; stat: string; comm: string }[] = [];
  for (const line of r.stdout.split('\n').slice(1)) {
    const m = /^\s*(\d+)\s+(\d+)\s+(\d+)\s+(\S+)\s+(.*)$/.exec(line);
    if (m) out.push({ pid: Number(m[1]), pgid: Number(m[2]), ppid: Number(m[3]), stat: m[4]!, comm: m[5]! });
  }
  return out;
}

/** A TCP port nobody listens on right now. */
export function freePort(): Promise<number> {
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
