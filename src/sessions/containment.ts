/**
 * What contains a session's processes, so that they all end with it: when it is deleted, when
 * its program exits, and when the server shuts down.
 *
 * The process group is not enough. Everything that leaves it survives a group kill and is
 * reparented to init: `setsid cmd &`, `setsid -f cmd`, `set -m; cmd &`, and every job of an
 * interactive shell (`nohup cmd &`, `cmd & disown`: job control gives each job its own group).
 * Two mechanisms, reported as `containment` in /healthz:
 *
 *   - `cgroup`: each session runs in its own cgroup v2 (src/sessions/cgroup.ts), which nothing
 *     short of a write to cgroup.procs leaves (a daemon's double fork and setsid included).
 *     The program joins it itself before it starts: it is launched through
 *     `/bin/sh -c 'echo $$ > <cgroup>/cgroup.procs; exec "$@"'`, so there is no window between
 *     fork and joining in which a fast program could fork out. Killing is `cgroup.kill`, which
 *     the kernel makes race-free against fork. Chosen when the server can create cgroups.
 *   - `session`: every process whose POSIX session id (field 6 of /proc/<pid>/stat) is the
 *     session leader's pid — node-pty makes the program a session leader, and group and job
 *     changes keep the session id — plus every descendant of those (a ppid walk over /proc),
 *     which finds `setsid cmd &` while its parent lives. NOTE: a process that calls setsid and
 *     whose parent then exits (`setsid -f`, a daemon's double fork) is reparented to init and
 *     can no longer be told from any other process: it escapes this mode. Use cgroups.
 *
 * NOTE: `cgroup` mode reads only the cgroup's own list, no /proc walk. The walk is what makes
 * `session` mode cost something: about 6.5 ms for 85 processes and 90 ms for 1,090 on the test
 * VM (every /proc/<pid>/stat opened and read), paid on the event loop at each session's end.
 * What it would add in `cgroup` mode is a program that deliberately writes itself into another
 * cgroup (which takes the server's privileges over its cgroup: the sandbox's read-only /sys and
 * dropped capabilities stop it) and then also keeps its session id — not worth that price.
 * A shutdown's SIGHUP walks for all sessions share one read of /proc (`processTable`).
 *
 * NOTE on pid reuse: pids are only ever signalled right after being read from /proc (or from
 * cgroup.procs) as members; a session id cannot be reused while any process still has it, and a
 * session's walk stops for good once it finds no member after the program has exited. The
 * remaining window (a member exits and its pid is reused between the read and the kill) is the
 * one every pid-based kill has; pidfds would close it, and Node has none.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { ConfigError } from '../config.js';
import { CgroupRoot, cgroupKill, cgroupPids, cgroupPopulated, cgroupRemove } from './cgroup.js';

export type ContainmentMode = 'cgroup' | 'session';
/** TERMPOOL_CONTAINMENT: `auto` = cgroup where it works, else session. */
export type ContainmentSetting = 'auto' | ContainmentMode;

/** Rounds of "find members, SIGKILL them" before giving up for now (a fork can race a round). */
const KILL_ROUNDS = 8;
/** How long `release` waits for the last members to die before reporting survivors. */
export const RELEASE_TIMEOUT_MS = 3000;
const RELEASE_POLL_MS = 20;

/** Server-wide: which mechanism contains sessions, and this server's cgroup when there is one. */
export class Containment {
  private constructor(readonly mode: ContainmentMode, private readonly cgroups: CgroupRoot | null, readonly why: string) {}

  /**
   * Picks the mechanism. `cgroup` insists (ConfigError when cgroups cannot be used here), `auto`
   * falls back to session ids and says why in `why`.
   */
  static create(setting: ContainmentSetting): Containment {
    if (setting === 'session') return new Containment('session', null, 'TERMPOOL_CONTAINMENT=session');
    const root = CgroupRoot.open();
    if (typeof root !== 'string') return new Containment('cgroup', root, `cgroup v2 at ${root.dir}`);
    if (setting === 'cgroup') throw new ConfigError(`TERMPOOL_CONTAINMENT=cgroup, but cgroups cannot be used: ${root}`);
    return new Containment('session', null, `cgroups unavailable (${root}); containing by session id`);
  }

  /** Session ids only, nothing to set up: for sessions made outside a registry (the CLI's snap). */
  static sessionIds(): Containment { return new Containment('session', null, 'default'); }

  /** The containment for a new session (creates its cgroup in `cgroup` mode). */
  forSession(id: string): SessionProcesses {
    return new SessionProcesses(this.cgroups?.createSession(id) ?? null);
  }

  /** Removes this server's cgroup; call after every session is released. */
  close(): void { this.cgroups?.close(); }
}

/** One session's processes: how to launch its program inside them, find them, signal and kill them. */
export class SessionProcesses {
  private leader = 0;
  private leaderExited = false;
  /** Set once nothing is left after the program exited: no pid is ever looked up again. */
  private finished = false;

  constructor(readonly cgroupDir: string | null) {}

  /** The command line that starts `command args` inside this containment. */
  launch(command: string, args: readonly string[]): { command: string; args: string[] } {
    if (this.cgroupDir === null) return { command, args: [...args] };
    // $0 is the cgroup directory (no quoting to get wrong); the program replaces the shell, so
    // its pid is the pty's child and the session leader.
    const script = 'echo $$ > "$0/cgroup.procs" || { echo "termpool: cannot join the session\'s cgroup $0" >&2; exit 126; }; exec "$@"';
    return { command: '/bin/sh', args: ['-c', script, this.cgroupDir, command, ...args] };
  }

  /** The program has started with this pid (the session leader). */
  attach(pid: number): void { this.leader = pid; }

  /** The leader has been reaped: its pid is no longer its own, only its session id still counts. */
  leaderGone(): void { this.leaderExited = true; }

  /**
   * Every process of the session: the cgroup's members, or (session mode) those with the
   * leader's session id and all their descendants. Never the server itself. `fresh`: re-read
   * /proc even if this tick has read it already (after a kill round).
   */
  members(fresh = false): number[] {
    if (this.finished || this.leader === 0) return [];
    // A cgroup holds every descendant however it detached (forks inherit it); none can be missed.
    if (this.cgroupDir !== null) return cgroupPids(this.cgroupDir).filter((pid) => pid !== process.pid);
    const table = processTable(fresh);
    const found = new Set<number>();
    for (const p of table) if (p.sid === this.leader) found.add(p.pid);
    if (!this.leaderExited && table.some((p) => p.pid === this.leader)) found.add(this.leader);
    // Descendants: children of members, transitively (a `setsid cmd &` child of a live shell).
    // Through zombies too: a parent that has exited but is not yet reaped still holds its
    // children, which are orphaned (and lost to this walk) the moment it is reaped.
    const children = new Map<number, number[]>();
    for (const p of table) {
      const c = children.get(p.ppid);
      if (c) c.push(p.pid); else children.set(p.ppid, [p.pid]);
    }
    const queue = [...found];
    while (queue.length > 0) {
      for (const c of children.get(queue.pop()!) ?? []) {
        if (!found.has(c)) { found.add(c); queue.push(c); }
      }
    }
    found.delete(process.pid);
    found.delete(1);
    const zombies = new Set(table.filter((p) => p.zombie).map((p) => p.pid));
    return [...found].filter((pid) => !zombies.has(pid));
  }

  /** Sends `sig` to every member (SIGHUP before the grace period: a chance to clean up). */
  signal(sig: NodeJS.Signals): void {
    for (const pid of this.members()) {
      try { process.kill(pid, sig); } catch { /* exited meanwhile */ }
    }
  }

  /**
   * SIGKILLs every member, in rounds until a walk finds none (a process may fork while a round
   * runs). Returns the members still found after the last round (0 normally; they may be
   * dying). After the program's exit, a walk that finds nothing ends the session's walks.
   */
  killAll(): number {
    if (this.finished) return 0;
    if (this.cgroupDir !== null) cgroupKill(this.cgroupDir);
    for (let round = 0; round < KILL_ROUNDS; round++) {
      const members = this.members(round > 0);
      if (members.length === 0) {
        if (this.leaderExited) this.finished = true;
        return 0;
      }
      for (const pid of members) {
        try { process.kill(pid, 'SIGKILL'); } catch { /* exited meanwhile */ }
      }
    }
    return this.members(true).length;
  }

  /**
   * After the program's exit: kills what is left, waits (bounded by `timeoutMs`) until every
   * member is gone and removes the cgroup. Resolves with the number of processes still there
   * (0 normally).
   */
  async release(timeoutMs = RELEASE_TIMEOUT_MS): Promise<number> {
    this.leaderExited = true;
    const end = Date.now() + timeoutMs;
    for (;;) {
      const left = this.killAll();
      const populated = this.cgroupDir !== null && cgroupPopulated(this.cgroupDir);
      if (left === 0 && !populated) {
        if (this.cgroupDir === null || cgroupRemove(this.cgroupDir)) return 0;
      }
      if (Date.now() >= end) return Math.max(left, this.cgroupDir !== null ? cgroupPids(this.cgroupDir).length : 0);
      await new Promise((r) => setTimeout(r, RELEASE_POLL_MS));
    }
  }
}

interface ProcessRow { pid: number; ppid: number; sid: number; zombie: boolean }

/**
 * The last read of /proc, kept until the current task of the event loop ends: at shutdown
 * every session's SIGHUP walk runs in one task, and one read serves them all. The only
 * module-level state here.
 */
let lastTable: ProcessRow[] | null = null;

/** Every process: pid, parent, session id and whether it is a zombie, from /proc/<pid>/stat. */
function processTable(fresh: boolean): ProcessRow[] {
  if (lastTable !== null && !fresh) return lastTable;
  const rows = readProcessTable();
  if (lastTable === null) setImmediate(() => { lastTable = null; });
  lastTable = rows;
  return rows;
}

function readProcessTable(): ProcessRow[] {
  const rows: ProcessRow[] = [];
  let names: string[];
  try { names = readdirSync('/proc'); } catch { return rows; }
  for (const name of names) {
    const c = name.charCodeAt(0);
    if (c < 48 || c > 57) continue;
    let stat: string;
    try { stat = readFileSync(`/proc/${name}/stat`, 'latin1'); } catch { continue; }
    // "pid (comm) state ppid pgrp session …": comm may hold spaces and parentheses.
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ', 4);
    rows.push({ pid: Number(name), ppid: Number(f[1]), sid: Number(f[3]), zombie: f[0] === 'Z' || f[0] === 'X' });
  }
  return rows;
}
