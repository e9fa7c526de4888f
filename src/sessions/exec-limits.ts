/**
 * What the kernel lets a program start with: the size of its argument list and environment.
 * A request past these limits is refused before spawning (400 ARGS_TOO_LONG); otherwise node-pty
 * forks, execve fails with E2BIG in the child, and the client gets a 201 for a session that has
 * already exited with nothing on its screen.
 *
 * Linux (fs/exec.c, bprm_stack_limits and copy_strings):
 *   - each string — an argument, or an environment entry `NAME=value` — is at most
 *     MAX_ARG_STRLEN = 32 pages = 131072 bytes with its terminating NUL;
 *   - all strings (argv, envp and the program's path, each with its NUL) plus one 8-byte pointer
 *     per argument and variable fit in a quarter of the stack's soft rlimit, capped at 6 MiB
 *     (3/4 of _STK_LIM), and never less than 128 KiB. With the usual 8 MiB stack that is the
 *     2 MiB `getconf ARG_MAX` reports. Measured on this kernel: 2,097,152 bytes exactly.
 * The rlimit is the server's (a child inherits it), read from /proc/self/limits; without /proc
 * 1 MiB (macOS's ARG_MAX) is assumed.
 *
 * The check sees the program's own argv and environment, and of any wrapper (the sandbox's bwrap
 * command line) what the caller passes; RESERVE_BYTES is left for what it cannot see: the path
 * execvp resolves the command to and the containment's `/bin/sh -c` prelude with its cgroup path.
 */
import { readFileSync } from 'node:fs';
import { ServiceError } from '../errors.js';

/** Longest single string exec takes, its NUL included (MAX_ARG_STRLEN). */
export const MAX_ARG_STRLEN = 131072;

/** Bytes kept back for the resolved program path and the containment's wrapper (see the header). */
export const RESERVE_BYTES = 8192;

const POINTER_BYTES = 8;
const MIN_LIMIT = 128 * 1024;
const MAX_LIMIT = 6 * 1024 * 1024;
/** Without /proc (not Linux): macOS's ARG_MAX. */
const FALLBACK_LIMIT = 1024 * 1024;

let cachedLimit: number | null = null;

/** The byte budget for argv + envp + pointers, as the kernel computes it for this process's children. */
export function argSpaceLimit(): number {
  if (cachedLimit !== null) return cachedLimit;
  let limit = FALLBACK_LIMIT;
  try {
    const m = /^Max stack size\s+(\S+)/m.exec(readFileSync('/proc/self/limits', 'utf8'));
    if (m) {
      const soft = m[1] === 'unlimited' ? Infinity : Number(m[1]);
      if (!Number.isNaN(soft)) limit = Math.max(MIN_LIMIT, Math.min(MAX_LIMIT, Math.floor(soft / 4)));
    }
  } catch { /* not Linux */ }
  cachedLimit = limit;
  return limit;
}

/**
 * Throws 400 ARGS_TOO_LONG when `argv` (program first) with `env` could not be passed to exec:
 * a string over MAX_ARG_STRLEN, or all of them over argSpaceLimit() less RESERVE_BYTES. The
 * message names the offending argument or variable and the limit.
 */
export function checkExecLimits(argv: readonly string[], env: Readonly<Record<string, string>>): void {
  const limit = argSpaceLimit() - RESERVE_BYTES;
  let total = 0;
  const add = (bytes: number, what: () => string): void => {
    if (bytes + 1 > MAX_ARG_STRLEN) {
      throw new ServiceError('ARGS_TOO_LONG', `${what()} is ${bytes} bytes; a program can receive at most ${MAX_ARG_STRLEN - 1} bytes in one argument or variable (Linux MAX_ARG_STRLEN)`);
    }
    total += bytes + 1 + POINTER_BYTES;
  };
  argv.forEach((a, i) => add(Buffer.byteLength(a, 'utf8'), () => (i === 0 ? 'the command' : `args[${i - 1}]`)));
  for (const [k, v] of Object.entries(env)) add(Buffer.byteLength(k, 'utf8') + 1 + Buffer.byteLength(v, 'utf8'), () => `env ${k}`);
  if (total > limit) {
    throw new ServiceError('ARGS_TOO_LONG', `the arguments and environment come to ${total} bytes; a program can be started with at most ${limit} ` +
      `(the kernel's ARG_MAX of ${argSpaceLimit()} bytes for this server, less ${RESERVE_BYTES} for the program path and launcher; ` +
      `strings count with a NUL and an ${POINTER_BYTES}-byte pointer each)`);
  }
}
