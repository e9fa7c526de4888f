/**
 * cgroup v2, as far as termpool uses it: find the server's own cgroup, create a child for this
 * server and one under it for each session, list a cgroup's processes, kill them all
 * (`cgroup.kill`) and remove the empty cgroup. src/sessions/containment.ts decides when.
 *
 * Layout: `<the server's cgroup>/termpool-<pid>-<hex>/<session id>`. The server stays where it
 * is: a cgroup with processes may have children as long as it enables no controllers for them
 * (the "no internal processes" rule only concerns controllers), and termpool enables none.
 * Limits per session (pids.max against fork bombs, memory.max) would need the server moved into
 * a leaf first; not done.
 *
 * Works wherever the server may write its own cgroup: as root in a container (cgroup2 mounted
 * at /sys/fs/cgroup, or /sys/fs/cgroup/unified on a hybrid host), or in a systemd unit with
 * `Delegate=yes`. Elsewhere `CgroupRoot.open` returns why not, and containment falls back to
 * session ids.
 */
import { randomBytes } from 'node:crypto';
import { accessSync, constants as fsConstants, existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** Where cgroup2 is mounted and the server's cgroup under it, from /proc/self/{mountinfo,cgroup}. */
function ownCgroupDir(): string | string[] {
  let mount: { point: string; root: string } | null = null;
  for (const line of readFileSync('/proc/self/mountinfo', 'utf8').split('\n')) {
    // "<id> <parent> <maj:min> <root> <mount point> <options> <optional…> - <fstype> <source> <super options>"
    const [pre, post] = line.split(' - ');
    if (post?.split(' ')[0] !== 'cgroup2') continue;
    const f = pre!.split(' ');
    mount = { root: unescapeMount(f[3]!), point: unescapeMount(f[4]!) };
    break;
  }
  if (mount === null) return ['no cgroup2 file system is mounted'];
  const own = readFileSync('/proc/self/cgroup', 'utf8').split('\n').find((l) => l.startsWith('0::'))?.slice(3);
  if (own === undefined) return ['/proc/self/cgroup has no cgroup2 line'];
  // Our path is relative to the cgroup namespace root, which the mount shows as its root.
  const rel = path.posix.relative(mount.root, own);
  if (rel.startsWith('..')) return [`our cgroup ${own} is outside the mounted part ${mount.root}`];
  return path.join(mount.point, rel);
}

/** mountinfo escapes spaces, tabs, newlines and backslashes as octal. */
function unescapeMount(s: string): string {
  return s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));
}

/** This server's cgroup for sessions (`<own>/termpool-<pid>-<hex>`), created on open. */
export class CgroupRoot {
  private constructor(readonly dir: string) {}

  /** Creates this server's cgroup, or returns why cgroup containment cannot be used here. */
  static open(): CgroupRoot | string {
    let own: string | string[];
    try { own = ownCgroupDir(); } catch (err) { return `cannot read /proc: ${(err as Error).message}`; }
    if (Array.isArray(own)) return own[0]!;
    try {
      // Moving a process between two cgroups takes write access to cgroup.procs of their
      // common ancestor, which is our own cgroup.
      accessSync(path.join(own, 'cgroup.procs'), fsConstants.W_OK);
    } catch {
      return `${own}/cgroup.procs is not writable (not root, and the cgroup is not delegated)`;
    }
    removeStale(own);
    const dir = path.join(own, `termpool-${process.pid}-${randomBytes(3).toString('hex')}`);
    try { mkdirSync(dir); } catch (err) { return `cannot create ${dir}: ${(err as Error).message}`; }
    if (!existsSync(path.join(dir, 'cgroup.kill'))) {
      // cgroup.kill (Linux 5.14) is what makes the kill race-free against fork: without it a
      // forking program could stay ahead of a kill loop. Session ids are used instead.
      try { rmdirSync(dir); } catch { /* left empty */ }
      return 'the kernel has no cgroup.kill (Linux < 5.14)';
    }
    return new CgroupRoot(dir);
  }

  /** Creates the cgroup for one session; returns its directory. */
  createSession(id: string): string {
    const dir = path.join(this.dir, id);
    mkdirSync(dir);
    return dir;
  }

  /** Removes this server's cgroup (sessions' cgroups must be gone). Best effort. */
  close(): void {
    try { rmdirSync(this.dir); } catch { /* a session's cgroup is still there; left for the operator */ }
  }
}

/**
 * Removes the empty cgroups of servers that are gone (killed before they could clean up).
 * NOTE: only empty ones. Processes still in them are escapees of a server killed with SIGKILL;
 * killing them here would be right only if that server's pid is really dead, which cannot be
 * told across PID namespaces sharing one cgroup. They are left for the operator (`cgroup.kill`).
 */
function removeStale(own: string): void {
  let names: string[];
  try { names = readdirSync(own); } catch { return; }
  for (const name of names) {
    const m = /^termpool-(\d+)-[0-9a-f]+$/.exec(name);
    if (!m || existsSync(`/proc/${m[1]}`)) continue;
    const dir = path.join(own, name);
    try {
      for (const child of readdirSync(dir, { withFileTypes: true })) if (child.isDirectory()) cgroupRemove(path.join(dir, child.name));
      rmdirSync(dir);
    } catch { /* not empty: left */ }
  }
}

/** Pids in the cgroup at `dir` (empty when it is gone). */
export function cgroupPids(dir: string): number[] {
  let text: string;
  try { text = readFileSync(path.join(dir, 'cgroup.procs'), 'utf8'); } catch { return []; }
  return text.split('\n').filter((l) => l !== '').map(Number);
}

/** True while any process is in the cgroup (or one below it). */
export function cgroupPopulated(dir: string): boolean {
  try { return /^populated 1$/m.test(readFileSync(path.join(dir, 'cgroup.events'), 'utf8')); } catch { return false; }
}

/** SIGKILLs every process in the cgroup, including ones forking while it happens (the kernel's guarantee). */
export function cgroupKill(dir: string): void {
  try { writeFileSync(path.join(dir, 'cgroup.kill'), '1'); } catch { /* gone */ }
}

/** Removes the cgroup if it is empty; true when it is gone. */
export function cgroupRemove(dir: string): boolean {
  try { rmdirSync(dir); return true; } catch (err) { return (err as NodeJS.ErrnoException).code === 'ENOENT'; }
}
