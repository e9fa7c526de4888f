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
 *
 * Signals: bwrap does not forward them, and it would share the program's process group (the
 * session leader's, node-pty's child being bwrap), so a SIGINT for the program — Ctrl-C typed,
 * or POST /signal, both sent to the terminal's foreground group — would also reach bwrap, which
 * dies of it and takes the sandbox with it, however the program handles SIGINT. So bwrap starts
 * the program through LAUNCHER (perl, which Debian always has: perl-base is Essential), which
 * moves it into a process group of its own and makes that the terminal's foreground group
 * (setpgid + tcsetpgrp, as a job-control shell does for a job) before exec'ing it: the kernel's
 * ^C and /signal reach the program and its children only, bwrap stays in a background group.
 * NOTE: one difference is left. Unsandboxed, the program's group is orphaned (its parent, the
 * server, is in another session), and the kernel discards a Ctrl-Z (SIGTSTP) sent to it; here
 * its parent is bwrap, in the same session, so a program that does not handle SIGTSTP stops
 * (SIGCONT, through /signal, resumes it). And a program killed by a signal ends the session with
 * exit code 128 + the signal's number (what bwrap reports), not with the signal's name.
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

/**
 * Run by perl inside the sandbox as `perl -e LAUNCHER -- command args` (see the header): its own
 * process group, made the terminal's foreground one, then exec. SIGTTOU is ignored for the
 * tcsetpgrp (a background group asking for the terminal is otherwise stopped) and set back to
 * the default before exec, since an ignored signal stays ignored in the program. Without a
 * terminal on stdin (the startup probe) it only execs. NOTE: perl reads PERL5OPT and PERL5LIB
 * from the session's environment before the script: a request that sets them to something perl
 * cannot load ends its session at once, with perl's message on the screen. A Ctrl-C typed
 * before the launcher has run (the program's first milliseconds) still reaches bwrap.
 */
export const LAUNCHER = [
  'use POSIX ();',
  'if (-t STDIN) {',
  '  $SIG{TTOU} = "IGNORE";',
  '  POSIX::setpgid(0, 0) or die "termpool: setpgid: $!\\n";',
  '  POSIX::tcsetpgrp(0, $$) or die "termpool: tcsetpgrp: $!\\n";',
  '  $SIG{TTOU} = "DEFAULT";',
  '}',
  'exec { $ARGV[0] } @ARGV;',
  'print STDERR "termpool: cannot run $ARGV[0]: $!\\n";',
  'exit 127;',
].join('\n');

/** How long the startup probe may take before bwrap counts as unusable. */
const PROBE_TIMEOUT_MS = 10_000;

export class Sandbox {
  private constructor(readonly bwrap: string, private readonly perl: string, private readonly opts: SandboxOptions) {}

  /**
   * The sandbox for `setting`, or null when off. Runs bwrap once (`true` inside the same
   * namespaces) and throws ConfigError when it cannot start there: a server asked to sandbox
   * must not quietly run programs unsandboxed.
   */
  static create(setting: SandboxSetting, opts: SandboxOptions): Sandbox | null {
    if (setting === 'off') return null;
    const bwrap = findOnPath('bwrap', process.env['PATH'] ?? '');
    if (bwrap === null) throw new ConfigError('TERMPOOL_SANDBOX=bwrap, but bwrap is not on PATH (Debian: apt-get install bubblewrap)');
    const perl = findOnPath('perl', process.env['PATH'] ?? '');
    if (perl === null) throw new ConfigError('TERMPOOL_SANDBOX=bwrap, but perl is not on PATH: it starts the program in its own process group inside the sandbox (Debian: perl-base)');
    const sandbox = new Sandbox(bwrap, perl, opts);
    const probe = sandbox.launch('true', [], '/');
    const r = spawnSync(probe.command, probe.args, { encoding: 'utf8', timeout: PROBE_TIMEOUT_MS, stdio: ['ignore', 'pipe', 'pipe'] });
    if (r.error || r.status !== 0) {
      const why = r.error?.message ?? (r.stderr.trim() || `exit status ${r.status ?? r.signal}`);
      throw new ConfigError(`TERMPOOL_SANDBOX=bwrap, but bwrap cannot run here: ${why}`);
    }
    return sandbox;
  }

  get network(): boolean { return this.opts.network; }

  /** The bwrap command line that runs `command args` in `cwd` inside the sandbox, with `mounts` added. */
  launch(command: string, args: readonly string[], cwd: string, mounts: SandboxMounts = {}): { command: string; args: string[] } {
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
    for (const r of mounts.readOnly ?? []) {
      const p = real(r);
      if (p !== null && p !== '/') a.push('--ro-bind', p, p);
    }
    // In this order: an empty tmpfs over part of what was bound read-only, then one path of it back, writable.
    for (const c of mounts.covered ?? []) {
      const p = real(c);
      if (p !== null && p !== '/') a.push('--tmpfs', p);
    }
    for (const w of mounts.readWrite ?? []) {
      const p = real(w);
      if (p !== null && p !== '/') a.push('--bind', p, p);
    }
    // Last, so they also cover what the working directory's bind brought back.
    for (const h of this.opts.hide) {
      const p = real(h);
      if (p === null || p === '/') continue;
      let isDir = false;
      try { isDir = statSync(p).isDirectory(); } catch { continue; }
      a.push(...(isDir ? ['--tmpfs', p] : ['--ro-bind', '/dev/null', p]));
    }
    a.push('--chdir', dir ?? cwd, '--', this.perl, '-e', LAUNCHER, '--', command, ...args);
    return { command: this.bwrap, args: a };
  }
}

/**
 * Paths a program needs although /tmp is its own (shell integration's files, which live under the
 * system temp directory), applied in this order: `readOnly` bound read-only, `covered` hidden under
 * an empty tmpfs, `readWrite` bound read-write (on top of a covered one: only that part shows).
 */
export interface SandboxMounts {
  readOnly?: readonly string[];
  covered?: readonly string[];
  readWrite?: readonly string[];
}

/** The path with symlinks resolved (a hidden path must be covered where it really is); null if missing. */
function real(p: string): string | null {
  try { return realpathSync(p); } catch { return null; }
}
