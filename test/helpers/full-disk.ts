/**
 * A real full file system without root: a child process in a new user and mount namespace
 * (`unshare -rm`, unprivileged user namespaces) with a tmpfs of a few KiB mounted on a directory
 * of ours. Writes there fail with the kernel's own ENOSPC, as on a full disk (not a stand-in such
 * as /dev/full, which only covers one open file, or RLIMIT_FSIZE's EFBIG). The mount is private to
 * the child: nothing to unmount, nothing left behind when it exits. Where user namespaces are
 * off, `fullDiskAvailable()` is false and the tests that need it are skipped (saying why).
 */
import { spawn, spawnSync, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

let available: boolean | null = null;

/** Whether `unshare -rm` can mount a tmpfs here. */
export function fullDiskAvailable(): boolean {
  if (available !== null) return available;
  const dir = mkdtempSync(path.join(tmpdir(), 'tp-fulldisk-probe-'));
  try {
    available = spawnSync('unshare', ['-rm', 'sh', '-c', 'mount -t tmpfs -o size=16k tmpfs "$0"', dir], { stdio: 'ignore' }).status === 0;
  } finally { rmSync(dir, { recursive: true, force: true }); }
  return available;
}

/** The argv that runs `command args` with `dir` a tmpfs of `kib` KiB (the child fills it or not). */
function argv(dir: string, kib: number, command: string, args: readonly string[]): string[] {
  return ['-rm', 'sh', '-c', `mount -t tmpfs -o size=${kib}k,mode=0700 tmpfs "$0" && exec "$@"`, dir, command, ...args];
}

/** Runs it to the end. */
export function runOnTinyFs(dir: string, kib: number, command: string, args: readonly string[], opts: { env?: NodeJS.ProcessEnv; timeout?: number } = {}): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync('unshare', argv(dir, kib, command, args), { encoding: 'utf8', env: opts.env ?? process.env, timeout: opts.timeout ?? 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Starts it (a server): the caller owns the child. */
export function spawnOnTinyFs(dir: string, kib: number, command: string, args: readonly string[], opts: SpawnOptions = {}): ChildProcess {
  return spawn('unshare', argv(dir, kib, command, args), opts);
}
