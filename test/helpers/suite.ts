/**
 * The test run's own corner of the machine, shared by vitest.config.ts (which names it), the
 * global setup (which creates it, and at the end checks that nothing escaped it), the skip
 * reporter, and the tests.
 *
 * Each run gets a root under the OS temp dir, `termpool-test-<hex>/`. Every test worker starts
 * with HOME and the XDG base directories pointing inside it (vitest's `test.env`), so neither a
 * test, nor a server it starts, nor a program in one of that server's sessions (bash history,
 * vim's viminfo, chromium's profile, the default archive) can write into the user's real home.
 * `TP_TEST_RUN=<root>` marks every process the run starts: a session's program inherits it
 * (src/sessions/child-env.ts drops only TERMPOOL_* names), so the global teardown finds
 * survivors by their environment, whatever process group or parent they ended up with.
 *
 *   <root>/home/            HOME (.config, .cache, .local/state, .local/share: the XDG dirs)
 *   <root>/run/             XDG_RUNTIME_DIR (mode 0700)
 *   <root>/skips.jsonl      why a file's tests are skipped ({ file, reason } per line)
 */
import { appendFileSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The marker variable; not TERMPOOL_*, which servers keep from their sessions' programs. */
export const RUN_VAR = 'TP_TEST_RUN';

/** The environment every test worker (and so everything it starts) runs with. */
export function suiteEnv(root: string): Record<string, string> {
  const home = path.join(root, 'home');
  return {
    [RUN_VAR]: root,
    HOME: home,
    XDG_CONFIG_HOME: path.join(home, '.config'),
    XDG_CACHE_HOME: path.join(home, '.cache'),
    XDG_STATE_HOME: path.join(home, '.local', 'state'),
    XDG_DATA_HOME: path.join(home, '.local', 'share'),
    XDG_RUNTIME_DIR: path.join(root, 'run'),
  };
}

/** This run's root, in a test worker (null outside vitest's workers, e.g. a bench). */
export function runRoot(): string | null {
  return process.env[RUN_VAR] || null;
}

/**
 * Records why the tests of `fileUrl` (import.meta.url) that are skipped are skipped; the skip
 * reporter prints it beside them, and fails the run for a skip with no recorded reason. Returns
 * `reason`, so `describe.skipIf(skipBecause(import.meta.url, why) !== null)` reads as one step.
 * Only for what this machine cannot do (no writable cgroup, no user namespaces): a program the
 * pretest installs (bwrap, chromium, vim) that is missing is a failure, not a skip.
 * NOTE: the reporter cannot tell `skipIf` from a plain `it.skip`, so a recorded reason covers
 * every skipped test of the file; a single test that may skip should use `ctx.skip(note)`.
 */
export function skipBecause(fileUrl: string, reason: string | null): string | null {
  const root = runRoot();
  if (reason !== null && root !== null) {
    appendFileSync(path.join(root, 'skips.jsonl'), JSON.stringify({ file: fileURLToPath(fileUrl), reason }) + '\n');
  }
  return reason;
}

/** The recorded reasons by file. */
export function recordedSkips(root: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  let text = '';
  try { text = readFileSync(path.join(root, 'skips.jsonl'), 'utf8'); } catch { return out; }
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const { file, reason } = JSON.parse(line) as { file: string; reason: string };
    const list = out.get(file) ?? [];
    if (!list.includes(reason)) list.push(reason);
    out.set(file, list);
  }
  return out;
}

export interface MarkedProcess {
  pid: number;
  ppid: number;
  cmdline: string;
}

/**
 * Live (non-zombie) processes started by the run `root`: those whose environment carries
 * `RUN_VAR=root`, and the descendants of `ancestor` (processes started with an environment of
 * their own, e.g. a server run as nobody). Processes in `except` are left out.
 */
export function runProcesses(root: string, ancestor: number, except: (p: MarkedProcess) => boolean): MarkedProcess[] {
  // Roots differ in a fixed-length random part, so no root is a prefix of another's.
  const marker = Buffer.from(`${RUN_VAR}=${root}`);
  const all = new Map<number, MarkedProcess & { marked: boolean }>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const pid = Number(name);
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (fields[0] === 'Z' || fields[0] === 'X') continue;
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'latin1').replace(/\0+$/, '').replace(/\0/g, ' ');
      let marked = false;
      try {
        const env = readFileSync(`/proc/${pid}/environ`);
        marked = env.includes(marker);
      } catch { /* not ours to read */ }
      all.set(pid, { pid, ppid: Number(fields[1]), cmdline, marked });
    } catch { /* exited meanwhile */ }
  }
  const descends = (p: MarkedProcess): boolean => {
    for (let q: MarkedProcess | undefined = p, n = 0; q && n < 64; q = all.get(q.ppid), n++) {
      if (q.ppid === ancestor) return true;
    }
    return false;
  };
  return [...all.values()]
    .filter((p) => p.pid !== process.pid && (p.marked || descends(p)) && !except(p))
    .map(({ pid, ppid, cmdline }) => ({ pid, ppid, cmdline }));
}

/**
 * Runs every step of a teardown in order, even after one fails, then throws the first failure:
 * a browser that would not close must not keep the server after it running. Steps may find
 * their resource unset (its set-up failed first) and should then do nothing (`srv?.close()`).
 */
export async function teardown(...steps: (() => unknown)[]): Promise<void> {
  const errors: unknown[] = [];
  for (const step of steps) {
    try { await step(); } catch (err) { errors.push(err); }
  }
  if (errors.length > 0) throw errors[0];
}
