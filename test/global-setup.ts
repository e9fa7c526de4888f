/**
 * vitest globalSetup, in the main process: before any test file runs, compile the project
 * (tsc → dist/) and create the run's root (test/helpers/suite.ts); after the last one, check
 * that the run left nothing behind, and fail it (exit status 1) if it did:
 *   - no process the suite started is still running, after a grace period: each survivor is
 *     named (pid, parent, command line), then killed, so the machine is clean either way;
 *   - nothing new or changed in the real home's termpool state and XDG directories (HOME was
 *     somewhere else all along; this catches a test that finds the real one anyway);
 *   - cgroups that servers killed with SIGKILL could not remove (src/sessions/cgroup.ts) are
 *     removed here, as the next server's start would.
 * The root is removed when the run passed, kept (and named) when it failed.
 *
 * Type errors do not abort the build: tsc still emits, and `npm test` type-checks separately;
 * a half-finished file elsewhere must not make every spawned-CLI test fail. Set
 * TERMPOOL_SKIP_BUILD=1 to skip the build when dist/ is known to be fresh.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, rmdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';
import { RUN_VAR, runProcesses, suiteEnv, type MarkedProcess } from './helpers/suite.js';

/** How long processes may take to go after the last test file, before they count as leaked. */
const GRACE_MS = 10_000;

export default function setup(project: TestProject): () => Promise<void> {
  build();
  const root = project.config.env[RUN_VAR];
  if (!root) throw new Error(`global-setup: vitest.config.ts sets no ${RUN_VAR}`);
  const env = suiteEnv(root);
  for (const dir of [env['XDG_CONFIG_HOME']!, env['XDG_CACHE_HOME']!, env['XDG_STATE_HOME']!, env['XDG_DATA_HOME']!]) mkdirSync(dir, { recursive: true, mode: 0o700 });
  mkdirSync(env['XDG_RUNTIME_DIR']!, { mode: 0o700 });
  const home = realHome();
  const homeBefore = snapshot(home);
  const cgroupsBefore = new Set(termpoolCgroups());

  return async function teardown(): Promise<void> {
    const problems: string[] = [];
    const leaked = await survivors(root);
    if (leaked.length > 0) {
      problems.push(`${leaked.length} process(es) the suite started still run ${GRACE_MS / 1000} s after the last test (killed now):`);
      for (const p of leaked) problems.push(`  pid ${p.pid} (parent ${p.ppid}): ${p.cmdline.slice(0, 300)}`);
      for (const p of leaked) { try { process.kill(p.pid, 'SIGKILL'); } catch { /* gone */ } }
    }
    const changed = diff(homeBefore, snapshot(home));
    if (changed.length > 0) {
      problems.push(`the run wrote into the real home (${home.dir}), which tests never see:`);
      for (const c of changed) problems.push(`  ${c}`);
    }
    const stale = termpoolCgroups().filter((d) => !cgroupsBefore.has(d) && !pidAlive(Number(/termpool-(\d+)-/.exec(d)![1])));
    for (const d of stale) removeCgroup(d);
    if (stale.length > 0) process.stderr.write(`global-teardown: removed ${stale.length} cgroup(s) of servers killed with SIGKILL\n`);

    if (problems.length > 0) {
      process.stderr.write(`\nglobal-teardown: FAILED\n${problems.join('\n')}\nthe run's root is kept: ${root}\n\n`);
      process.exitCode = 1;
    } else if (process.exitCode !== undefined && process.exitCode !== 0) {
      process.stderr.write(`global-teardown: the run failed; its root is kept: ${root}\n`);
    } else {
      rmSync(root, { recursive: true, force: true });
    }
  };
}

function build(): void {
  if (process.env['TERMPOOL_SKIP_BUILD'] === '1') return;
  const root = fileURLToPath(new URL('..', import.meta.url));
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const res = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.json'], { cwd: root, encoding: 'utf8' });
  if (res.error) throw res.error;
  if (res.status !== 0) {
    const errors = (res.stdout.match(/error TS\d+/g) ?? []).length;
    process.stderr.write(`global-setup: tsc reported ${errors} type error(s); continuing with the emitted dist/\n`);
  }
  if (!existsSync(new URL('../dist/src/cli/main.js', import.meta.url))) {
    throw new Error(`global-setup: build produced no dist/src/cli/main.js\n${res.stdout}${res.stderr}`);
  }
}

/** The run's processes, once none is left or the grace period is over; vitest's own workers are not counted. */
async function survivors(root: string): Promise<MarkedProcess[]> {
  const worker = (p: MarkedProcess): boolean => p.ppid === process.pid && p.cmdline.includes('/vitest/dist/workers/');
  let left = runProcesses(root, process.pid, worker);
  for (const end = Date.now() + GRACE_MS; left.length > 0 && Date.now() < end; left = runProcesses(root, process.pid, worker)) {
    await new Promise((r) => setTimeout(r, 200));
  }
  return left;
}

/**
 * The user's real home and the places in it that termpool, or a program a test starts (bash,
 * vim, less, chromium, fontconfig), would write to: its top level (new entries only: other
 * programs of the user's update existing dotfiles while the suite runs) and, two levels down,
 * the XDG directories (including an XDG_*_HOME set outside the home) and ~/.pki.
 */
interface Home { dir: string; top: string[]; deep: string[] }

function realHome(): Home {
  const dir = process.env['HOME'] ?? '/nonexistent';
  const x = (name: string, fallback: string): string => process.env[name] || path.join(dir, fallback);
  const deep = [x('XDG_CONFIG_HOME', '.config'), x('XDG_CACHE_HOME', '.cache'), x('XDG_STATE_HOME', '.local/state'),
    x('XDG_DATA_HOME', '.local/share'), path.join(dir, '.pki')];
  return { dir, top: [dir, path.join(dir, '.local')], deep };
}

type Snapshot = Map<string, string>;

function snapshot(home: Home): Snapshot {
  const out: Snapshot = new Map();
  const walk = (dir: string, depth: number, modified: boolean): void => {
    let names: string[];
    try { names = readdirSync(dir); } catch { return; }
    for (const n of names) {
      const p = path.join(dir, n);
      try {
        const st = lstatSync(p);
        out.set(p, modified ? `${st.mtimeMs}/${st.size}` : 'exists');
        if (depth > 1 && st.isDirectory()) walk(p, depth - 1, modified);
      } catch { /* gone meanwhile */ }
    }
  };
  for (const d of home.top) walk(d, 1, false);
  for (const d of home.deep) walk(d, 3, true);
  return out;
}

function diff(before: Snapshot, after: Snapshot): string[] {
  const out: string[] = [];
  for (const [p, v] of after) {
    const was = before.get(p);
    if (was === undefined) out.push(`new: ${p}`);
    else if (was !== v && was !== 'exists') out.push(`changed: ${p}`);
  }
  return out.sort();
}

/** termpool-<pid>-<hex> cgroups beside this process's own (where servers it starts create them). */
function termpoolCgroups(): string[] {
  try {
    const line = readFileSync('/proc/self/mountinfo', 'utf8').split('\n').find((l) => l.split(' - ')[1]?.startsWith('cgroup2 '));
    const own = readFileSync('/proc/self/cgroup', 'utf8').split('\n').find((l) => l.startsWith('0::'))?.slice(3);
    if (!line || own === undefined) return [];
    const f = line.split(' - ')[0]!.split(' ');
    const dir = path.join(f[4]!, path.posix.relative(f[3]!, own));
    return readdirSync(dir).filter((n) => /^termpool-\d+-[0-9a-f]+$/.test(n)).map((n) => path.join(dir, n));
  } catch {
    return [];
  }
}

function removeCgroup(dir: string): void {
  try {
    for (const e of readdirSync(dir, { withFileTypes: true })) if (e.isDirectory()) removeCgroup(path.join(dir, e.name));
    rmdirSync(dir);
  } catch { /* still has processes, or gone */ }
}

function pidAlive(pid: number): boolean {
  try { process.kill(pid, 0); return true; } catch (err) { return (err as NodeJS.ErrnoException).code === 'EPERM'; }
}
