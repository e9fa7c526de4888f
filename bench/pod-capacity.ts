/**
 * Sessions a pod holds at a memory limit: `npm run bench -- pod-capacity [--memory-limit MiB]
 * [--lines N] [--batch N] [--idle bash|cat] [--write]`.
 *
 * Owns the procedure. The real server (`bin/termpool.js serve`, as `npm start` runs it) is
 * started inside a memory cgroup of its own with the limit a Kubernetes pod would have (cgroup
 * v1 `memory.limit_in_bytes`, or v2 `memory.max`), so its sessions' programs are charged to it
 * too, as in a pod. Sessions are added in batches; each is a real bash printing `lines` log lines
 * into a scrollback of that size, then an interactive bash at its prompt (or `cat`, `--idle`). After
 * each batch has printed its last line and the quiet sweep ran, the cgroup's working set is read
 * the way the kubelet reads it (usage minus inactive file cache). It stops at the first batch
 * that would pass 90 % of the limit — the headroom a cap should leave, since a pod at its limit
 * is OOM-killed with all its sessions — and reports that count as TERMPOOL_MAX_SESSIONS for
 * this limit, with the working set per session.
 *
 * Needs a writable cgroup (root in a container, or a delegated systemd unit); says so otherwise.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { environmentLines, writeBenchSection } from './capacity.js';
import { freePort, serviceProgram, SERVICE_LINES } from './service.js';
import { MMAP_THRESHOLD_BYTES, MMAP_THRESHOLD_ENV } from '../src/malloc-tuning.js';

/** The shipped StatefulSet's limit (deploy/k8s): the figure docs/scale-out.md plans with. */
export const POD_LIMIT_MIB = 1536;
/** Stop before a batch would take the working set past this share of the limit. */
const HEADROOM = 0.9;
const SETTLE_MS = 4000;

/**
 * What a session runs once its output is printed: an interactive bash at its prompt (an agent's
 * or a test's shell session, the common case) or `cat` (the smallest program: the server's share).
 */
const IDLE = { bash: 'bash --norc --noprofile -i', cat: 'cat' } as const;
type IdleProgram = keyof typeof IDLE;

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** A memory cgroup with a limit, v1 or v2, removed by `close`. */
interface MemoryCgroup {
  readonly dir: string;
  readonly version: 1 | 2;
  /** Working set as the kubelet computes it: usage − inactive file cache. */
  workingSet(): number;
  /** Times the limit was hit (v1 failcnt, v2 events' max). */
  limitHits(): number;
  close(): void;
}

function ownCgroup(controller: string): string | undefined {
  for (const line of readFileSync('/proc/self/cgroup', 'utf8').split('\n')) {
    const [, ctrls, p] = line.split(':');
    if (controller === '' ? ctrls === '' && line.startsWith('0::') : ctrls?.split(',').includes(controller)) return p;
  }
  return undefined;
}

function statField(text: string, name: string): number {
  return Number(new RegExp(`^${name} (\\d+)$`, 'm').exec(text)?.[1] ?? 0);
}

function openMemoryCgroup(limitBytes: number): MemoryCgroup {
  const name = `termpool-pod-bench-${process.pid}`;
  const v1 = ownCgroup('memory');
  if (v1 !== undefined && existsSync('/sys/fs/cgroup/memory/memory.limit_in_bytes')) {
    const dir = path.join('/sys/fs/cgroup/memory', v1, name);
    mkdirSync(dir);
    writeFileSync(path.join(dir, 'memory.limit_in_bytes'), String(limitBytes));
    return {
      dir, version: 1,
      workingSet: () => {
        const usage = Number(readFileSync(path.join(dir, 'memory.usage_in_bytes'), 'utf8'));
        return usage - statField(readFileSync(path.join(dir, 'memory.stat'), 'utf8'), 'total_inactive_file');
      },
      limitHits: () => Number(readFileSync(path.join(dir, 'memory.failcnt'), 'utf8')),
      close: () => { try { rmdirSync(dir); } catch { /* still has processes: left for the OS */ } },
    };
  }
  const v2 = ownCgroup('');
  const root = '/sys/fs/cgroup';
  if (v2 !== undefined && existsSync(path.join(root, 'cgroup.controllers'))) {
    const parent = path.join(root, v2);
    writeFileSync(path.join(parent, 'cgroup.subtree_control'), '+memory');
    const dir = path.join(parent, name);
    mkdirSync(dir);
    writeFileSync(path.join(dir, 'memory.max'), String(limitBytes));
    return {
      dir, version: 2,
      workingSet: () => Number(readFileSync(path.join(dir, 'memory.current'), 'utf8')) -
        statField(readFileSync(path.join(dir, 'memory.stat'), 'utf8'), 'inactive_file'),
      limitHits: () => statField(readFileSync(path.join(dir, 'memory.events'), 'utf8'), 'max'),
      close: () => { try { rmdirSync(dir); } catch { /* still has processes */ } },
    };
  }
  throw new Error('no writable memory cgroup here (needs root in a container or a delegated systemd unit)');
}

export interface PodCapacityResult {
  limitBytes: number;
  cgroupVersion: 1 | 2;
  lines: number;
  /** Working set with the server alone. */
  baseBytes: number;
  idle: IdleProgram;
  /** Sessions held with the working set at most HEADROOM of the limit. */
  sessions: number;
  workingSetBytes: number;
  perSessionBytes: number;
  /** Server RSS alone at that point (the rest is the programs). */
  serverRssBytes: number;
  limitHits: number;
  stoppedBecause: string;
}

function rss(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : NaN;
}

export async function measurePodCapacity(limitMiB: number, lines: number, batch: number, idle: IdleProgram, log: (m: string) => void): Promise<PodCapacityResult> {
  const limitBytes = limitMiB * 1024 * 1024;
  const cg = openMemoryCgroup(limitBytes);
  const root = mkdtempSync(path.join(tmpdir(), 'termpool-pod-bench-'));
  const home = path.join(root, 'home');
  const done = path.join(root, 'done');
  mkdirSync(home);
  mkdirSync(done);
  const port = await freePort();
  const bin = fileURLToPath(new URL('../../bin/termpool.js', import.meta.url));
  // The shell joins the cgroup, then becomes the server: every session's program is charged to it.
  const procs = path.join(cg.dir, 'cgroup.procs');
  const server: ChildProcess = spawn('sh', ['-c', `echo $$ > '${procs}' && exec "$0" "$@"`, process.execPath, bin, 'serve'], {
    env: {
      ...process.env, [MMAP_THRESHOLD_ENV]: String(MMAP_THRESHOLD_BYTES), HOME: home, XDG_STATE_HOME: home, XDG_CONFIG_HOME: home,
      XDG_CACHE_HOME: home, TERMPOOL_HOST: '127.0.0.1', TERMPOOL_PORT: String(port), TERMPOOL_TOKEN: '', TERMPOOL_ARCHIVE: 'off',
      TERMPOOL_MAX_SESSIONS: '100000', TERMPOOL_SCROLLBACK: String(lines), TERMPOOL_LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const base = `http://127.0.0.1:${port}`;
  try {
    for (let k = 0; ; k++) {
      try { await fetch(`${base}/healthz`); break; } catch { if (k > 300) throw new Error('termpool did not start'); await sleep(100); }
    }
    await sleep(1000);
    const baseBytes = cg.workingSet();
    log(`pod-capacity: limit ${limitMiB} MiB (cgroup v${cg.version}), server alone ${(baseBytes / 2 ** 20).toFixed(0)} MiB`);
    let sessions = 0;
    let ws = baseBytes;
    let stoppedBecause = '';
    for (;;) {
      // The next batch would cost what the last ones cost on average; stop before it passes the headroom.
      const per = sessions > 0 ? (ws - baseBytes) / sessions : 0;
      if (sessions > 0 && ws + per * batch > limitBytes * HEADROOM) { stoppedBecause = `the next ${batch} would pass ${HEADROOM * 100} % of the limit`; break; }
      await Promise.all(Array.from({ length: batch }, async (_, k) => {
        const res = await fetch(`${base}/v1/sessions`, {
          method: 'POST', headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ command: 'bash', args: ['--norc', '--noprofile', '-c', serviceProgram(lines, done, sessions + k, IDLE[idle])], cols: 80, rows: 24 }),
        });
        if (!res.ok) throw new Error(`create: ${res.status} ${await res.text()}`);
      }));
      const deadline = Date.now() + 300_000;
      while (readdirSync(done).length < sessions + batch) {
        if (server.exitCode !== null || server.signalCode !== null) throw new Error(`the server ended (${server.signalCode ?? server.exitCode}) at ${sessions} sessions`);
        if (Date.now() > deadline) throw new Error('a batch did not finish printing in 5 min');
        await sleep(200);
      }
      sessions += batch;
      await sleep(SETTLE_MS);
      ws = cg.workingSet();
      if (sessions % (batch * 5) === 0) log(`pod-capacity: ${sessions} sessions, working set ${(ws / 2 ** 20).toFixed(0)} MiB`);
    }
    return {
      limitBytes, cgroupVersion: cg.version, lines, baseBytes, idle, sessions, workingSetBytes: ws,
      perSessionBytes: (ws - baseBytes) / sessions, serverRssBytes: rss(server.pid!), limitHits: cg.limitHits(), stoppedBecause,
    };
  } finally {
    server.kill('SIGTERM');
    await new Promise((r) => { if (server.exitCode !== null || server.signalCode !== null) r(null); else server.once('exit', r); });
    // Sessions end with the server (SIGHUP to their groups); wait for the cgroup to empty before removing it.
    for (let k = 0; k < 100 && readFileSync(procs, 'utf8').trim() !== ''; k++) await sleep(100);
    for (const pid of readFileSync(procs, 'utf8').split('\n').filter(Boolean)) { try { process.kill(Number(pid), 'SIGKILL'); } catch { /* gone */ } }
    await sleep(200);
    cg.close();
    rmSync(root, { recursive: true, force: true });
  }
}

const mib = (b: number): string => (b / 2 ** 20).toFixed(0);

export function formatPodCapacity(r: PodCapacityResult): string {
  return [
    `| memory limit | server alone | sessions held (≤ ${HEADROOM * 100} % of the limit) | working set then | per session (server + its bash) | server RSS then | times the limit was hit |`,
    '|---:|---:|---:|---:|---:|---:|---:|',
    `| ${mib(r.limitBytes)} MiB | ${mib(r.baseBytes)} MiB | **${r.sessions}** | ${mib(r.workingSetBytes)} MiB | ${(r.perSessionBytes / 1e6).toFixed(2)} MB | ${mib(r.serverRssBytes)} MiB | ${r.limitHits} |`,
    '',
    `The server (as \`npm start\` runs it) in a memory cgroup (v${r.cgroupVersion}) of that limit, as a pod; each session a real bash printing ${r.lines.toLocaleString('en-US')} log lines into a ${r.lines.toLocaleString('en-US')}-line scrollback, then ${r.idle === 'bash' ? 'an interactive bash at its prompt (`exec bash -i`)' : 'waiting in `cat`'} (bench/service.ts's program), 80x24. Working set = usage − inactive file cache, as the kubelet reads it; the programs are charged to the pod too. Stopped: ${r.stoppedBecause}. Set TERMPOOL_MAX_SESSIONS at or below the sessions held for this kind of session.`,
  ].join('\n');
}

export async function podCapacityMain(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv, strict: true,
    options: { 'memory-limit': { type: 'string' }, idle: { type: 'string' }, lines: { type: 'string' }, batch: { type: 'string' }, write: { type: 'boolean' } },
  });
  const int = (name: string, v: string | undefined, dflt: number): number => {
    if (v === undefined) return dflt;
    if (!/^\d+$/.test(v) || Number(v) < 1) { process.stderr.write(`bench pod-capacity: --${name} must be a positive integer, got '${v}'\n`); process.exit(2); }
    return Number(v);
  };
  const limit = int('memory-limit', values['memory-limit'], POD_LIMIT_MIB);
  const lines = int('lines', values.lines, SERVICE_LINES);
  const batch = int('batch', values.batch, 25);
  const idle = values.idle ?? 'bash';
  if (idle !== 'bash' && idle !== 'cat') { process.stderr.write(`bench pod-capacity: --idle must be bash or cat, got '${idle}'\n`); process.exit(2); }
  const env = environmentLines('pod-capacity', argv);
  const r = await measurePodCapacity(limit, lines, batch, idle, (m) => process.stderr.write(`${m}\n`));
  const body = `${env}\n\n${formatPodCapacity(r)}`;
  process.stdout.write(`${body}\n`);
  if (values.write) writeBenchSection('pod-capacity', '## Sessions per pod at a memory limit', body);
}
