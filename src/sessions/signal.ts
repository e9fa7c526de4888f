/**
 * Signals to a session (POST /v1/sessions/{id}/signal, MCP send_signal): delivered to the
 * terminal's foreground process group, the group Ctrl-C would reach (what a person at the
 * terminal signals), not necessarily the program termpool started: in a shell running `sleep 60`
 * SIGINT reaches sleep, not the shell; at the shell's prompt it reaches the shell.
 *
 * The group is the pty's foreground process group (tcgetpgrp), read as field 8 (tpgid) of
 * /proc/<leader>/stat: the leader has the pty as its controlling terminal, so its tpgid is the
 * terminal's. The kernel lets only a process group of the terminal's own session be foreground
 * (tcsetpgrp), so this never reaches outside the session. When there is none (tpgid -1, /proc
 * unreadable) the leader's own group gets it, as DELETE's SIGHUP does. Under TERMPOOL_SANDBOX=bwrap
 * the leader is bwrap, and the foreground group the program's own (sandbox.ts's launcher): the
 * number read is the host's, which is what kill(2) from the server needs. Names only, from a fixed
 * list: numbers differ between architectures, and signals that stop or kill nothing useful
 * (SIGSEGV, SIGPIPE, …) are no tool for driving a program.
 */
import { readFileSync } from 'node:fs';
import type { Session } from './session.js';

export const SESSION_SIGNALS = [
  'SIGINT', 'SIGTERM', 'SIGHUP', 'SIGKILL', 'SIGQUIT', 'SIGTSTP', 'SIGCONT', 'SIGUSR1', 'SIGUSR2', 'SIGWINCH',
] as const;
export type SessionSignal = (typeof SESSION_SIGNALS)[number];

/** The foreground process group of `leader`'s controlling terminal, or null when it has none (or is gone). */
export function foregroundGroup(leader: number): number | null {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${leader}/stat`, 'latin1');
  } catch {
    return null;
  }
  // "pid (comm) state ppid pgrp session tty_nr tpgid …": comm may hold spaces and parentheses.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const tpgid = Number(fields[5]);
  return Number.isSafeInteger(tpgid) && tpgid > 0 ? tpgid : null;
}

/**
 * Sends `sig` to the foreground process group of the running session `s` (see the header) and
 * returns that group; callers check `running` first (the leader's pid may be reused once reaped).
 */
export function signalSession(s: Session, sig: SessionSignal): { processGroup: number; foreground: boolean } {
  const fg = foregroundGroup(s.pid);
  const group = fg ?? s.pid;
  try {
    process.kill(-group, sig);
  } catch {
    // ESRCH: the group ended between the read and the kill; its members are gone, nothing to signal.
  }
  return { processGroup: group, foreground: fg !== null };
}
