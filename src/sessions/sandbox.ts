/**
 * The opt-in sandbox (TERMPOOL_SANDBOX=bwrap): each session's program runs under bubblewrap in
 * namespaces of its own. What it changes for the program:
 *
 *   - its own PID namespace with its own /proc: it sees only its session's processes — not the
 *     server (whose /proc/<pid>/environ holds TERMPOOL_TOKEN), not other sessions;
 *   - the file system read-only (`--ro-bind / /`), except its working directory (bound
 *     read-write, unless it is `/`) and a private, empty /tmp; a minimal /dev;
 *   - the archive's directory (TERMPOOL_ARCHIVE_PATH's) and every path in TERMPOOL_SANDBOX_HIDE
 *     covered by an empty tmpfs (a file by /dev/null): the archive holds every session's screens;
 *   - no network unless TERMPOOL_SANDBOX_NETWORK=on (`--unshare-net`: only its own loopback, so
 *     the API on 127.0.0.1 is unreachable too). With the network on it can reach the API like
 *     any local process: only a token keeps it out;
 *   - no capabilities, even when the server runs as root (`--cap-drop ALL`): it cannot unmount
 *     what hides the archive or write itself out of its cgroup;
 *   - its own IPC and UTS namespaces, and its cgroup namespace where the kernel allows;
 *   - `--die-with-parent`: if the server dies, the whole namespace is killed.
 *
 * NOTE: no `--new-session`. That flag calls setsid against TIOCSTI (typing into the terminal of
 * the program that started bwrap), but here the pty belongs to the session itself — the only
 * readers a program could type to are its own session's — while a new session would cut the
 * program off its controlling terminal: no job control, no SIGWINCH on resize, no SIGHUP when
 * the session is deleted. Not setsid-ing also keeps the sandbox inside the leader's POSIX
 * session, which containment by session id relies on.
 */
import { spawnSync } from 'node:child_process';
import { realpathSync, statSync } from 'node:fs';
import { ConfigError } from '../config.js';
import { findOnPath } from './executable.js';

export type SandboxSetting = 'off' | 'bwrap';

export interface SandboxOptions {
  /** TERMPOOL_SANDBOX_NETWORK: keep the host's network (and so the loopback API) reachable. */
  network: boolean;
  /** Paths covered inside the sandbox: the archive's directory and TERMPOOL_SANDBOX_HIDE. */
  hide: readonly string[];
}

/** How long the startup probe may take before bwrap counts as unusable. */
const PROBE_TIMEOUT_MS = 10_000;

export class Sandbox {
  private constructor(readonly bwrap: string, private readonly opts: SandboxOptions) {}

  /**
   * The sandbox for `setting`, or null when off. Runs bwrap once (`true` inside the same
   * namespaces) and throws ConfigError when it cannot start there: a server asked to sandbox
   * must not quietly run programs unsandboxed.
   */
  static create(setting: SandboxSetting, opts: SandboxOptions): Sandbox | null {
    if (setting === 'off') return null;
    const bwrap = findOnPath('bwrap', process.env['PATH'] ?? '');
    if (bwrap === null) throw new ConfigError('TERMPOOL_SANDBOX=bwrap, but bwrap is not on PATH (Debian: apt-get install bubblewrap)');
    const sandbox = new Sandbox(bwrap, opts);
    const probe = sandbox.launch('true', [], '/');
    const r = spawnSync(probe.command, probe.args, { encoding: 'utf8', timeout: PROBE_TIMEOUT_MS, stdio: ['ignore', 'pipe', 'pipe'] });
    if (r.error || r.status !== 0) {
      const why = r.error?.message ?? (r.stderr.trim() || `exit status ${r.status ?? r.signal}`);
      throw new ConfigError(`TERMPOOL_SANDBOX=bwrap, but bwrap cannot run here: ${why}`);
    }
    return sandbox;
  }

  get network(): boolean { return this.opts.network; }

  /**
   * The bwrap command line that runs `command args` in `cwd` inside the sandbox; `readOnly`: more
   * paths the program must read although /tmp is its own (shell integration's start-up files).
   */
  launch(command: string, args: readonly string[], cwd: string, readOnly: readonly string[] = []): { command: string; args: string[] } {
    const a = [
      '--die-with-parent',
      '--unshare-pid', '--unshare-ipc', '--unshare-uts', '--unshare-cgroup-try',
      ...(this.opts.network ? [] : ['--unshare-net']),
      '--cap-drop', 'ALL',
      '--ro-bind', '/', '/',
      '--dev', '/dev',
      '--proc', '/proc',
      '--tmpfs', '/tmp',
    ];
    const dir = real(cwd);
    // After /tmp's tmpfs, so a working directory under /tmp is still the real one. `/` stays
    // read-only: binding it would bring back the host's /tmp.
    if (dir !== null && dir !== '/') a.push('--bind', dir, dir);
    for (const r of readOnly) {
      const p = real(r);
      if (p !== null && p !== '/') a.push('--ro-bind', p, p);
    }
    // Last, so they also cover what the working directory's bind brought back.
    for (const h of this.opts.hide) {
      const p = real(h);
      if (p === null || p === '/') continue;
      let isDir = false;
      try { isDir = statSync(p).isDirectory(); } catch { continue; }
      a.push(...(isDir ? ['--tmpfs', p] : ['--ro-bind', '/dev/null', p]));
    }
    a.push('--chdir', dir ?? cwd, '--', command, ...args);
    return { command: this.bwrap, args: a };
  }
}

/** The path with symlinks resolved (a hidden path must be covered where it really is); null if missing. */
function real(p: string): string | null {
  try { return realpathSync(p); } catch { return null; }
}
