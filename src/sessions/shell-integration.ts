/**
 * Shell integration for sessions created with `shell: "bash" | "zsh" | "fish"` (or
 * `shellIntegration: true` with one of those as the command): how each shell is started so that
 * it sends OSC 133 marks and OSC 7 (src/engine/terminal/semantic-prompt.ts reads them) without
 * touching the user's files. Owns the server's private directory of generated start-up files
 * (shell-scripts.ts): made on first use with mode 0700 under the system temp directory, never in
 * $HOME, removed by `close()` at shutdown. A sandboxed program sees it through a read-only bind
 * (sandbox.ts's `SandboxMounts`), since the sandbox gives /tmp a fresh tmpfs.
 *
 *   bash: `bash --rcfile <dir>/bashrc -i …`, the file sourcing ~/.bashrc first;
 *   zsh:  `zsh -i …` with ZDOTDIR=<dir>/zsh, whose files read the user's ones (the user's ZDOTDIR
 *         passes in __TP_SI_USER_ZDOTDIR, removed from the environment by the first of them);
 *   fish: `fish --init-command 'source <dir>/init.fish' -i …`.
 * Arguments that would skip the start-up files or make the shell non-interactive are refused
 * (400 VALIDATION naming them): the marks would never come.
 *
 * Each session's shell gets a random nonce, passed in a file, never in the environment: the
 * server writes it to `<dir>/nonce/<random name>/nonce` (0600) and names that file in
 * __TP_SI_NONCE_FILE; the scripts read it into a shell variable that is not exported, delete the
 * file and unset the variable before the user's start-up files run (fish: after them; it has no
 * earlier hook), then add it to their C and D marks as `nonce=…`. So neither `env`, nor the
 * shell's /proc/<pid>/environ (the start environment: it names a file that is gone), nor the file
 * system shows it once the shell is up. The session's Terminal trusts only marks with it
 * (semantic-prompt.ts), so what a program prints cannot end a /run or a command with a status of
 * its choosing. `release()` deletes it from the server's side (spawn failure, or a shell that never
 * read it). A sandboxed shell sees the directory read-only except `nonce/`, covered by an empty
 * tmpfs with only its own nonce's directory bound back writable: it deletes its file as any shell
 * does, and never sees another session's. NOTE: the shell's memory still holds
 * it: the nonce stops output that fakes marks, not a program that sets out to read its shell's
 * memory (ptrace needs the same uid and, under Yama, a parent).
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ServiceError } from '../errors.js';
import type { SandboxMounts } from './sandbox.js';
import { BASH_RC, FISH_INIT, ZSH_ENV, ZSH_PROFILE, ZSH_RC } from './shell-scripts.js';

export const SHELL_KINDS = ['bash', 'zsh', 'fish'] as const;

/** The variable that names the file holding the shell's nonce (the scripts unset it at once). */
export const NONCE_FILE_VARIABLE = '__TP_SI_NONCE_FILE';
export type ShellKind = (typeof SHELL_KINDS)[number];

/** The shell a command names (by its file name: `bash`, `/bin/zsh`), or null. */
export function shellKindOf(command: string): ShellKind | null {
  const base = path.basename(command);
  return (SHELL_KINDS as readonly string[]).includes(base) ? (base as ShellKind) : null;
}

/** Options that would skip our start-up file or end interactivity, by shell; and short-option letters. */
const REFUSED: Record<ShellKind, { long: string[]; letters: string }> = {
  // -l/--login: a login bash reads ~/.bash_profile and never the rcfile; --posix reads $ENV instead.
  bash: { long: ['--norc', '--rcfile', '--init-file', '--login', '--posix'], letters: 'cls' },
  zsh: { long: ['--no-rcs', '--rcs', '--no-globalrcs'], letters: 'cfs' },
  fish: { long: ['--command', '--init-command', '--no-config'], letters: 'cN' },
};

export interface ShellLaunch {
  command: string;
  args: string[];
  /** Variables to add to the program's environment. */
  env: Record<string, string>;
  /** What a sandboxed program must see of the directory: all of it read-only but the nonces, its own nonce's directory writable. */
  mounts: SandboxMounts;
  /** The secret the shell adds to its C and D marks (see the header); the session trusts only those. */
  nonce: string;
  /** Deletes the nonce's file if the shell has not (idempotent): call once the shell ends or failed to start. */
  release(): void;
}

export class ShellIntegration {
  private dir: string | null = null;

  /** The directory of generated files (made on first use). */
  get directory(): string | null { return this.dir; }

  /**
   * How to start `kind` with integration: `command` is what the request named (a path or a
   * name), `args` the request's own (after ours), `env` the environment the program would get
   * (to find the user's ZDOTDIR).
   */
  launch(kind: ShellKind, command: string, args: readonly string[], env: Readonly<Record<string, string>>): ShellLaunch {
    checkArgs(kind, args);
    const dir = this.files();
    const nonce = randomBytes(16).toString('hex');
    // A name nobody can guess (the directory is the server's, 0700), made exclusively; a directory
    // of its own, so that a sandbox can show the shell this one (writable: it deletes the file) and
    // no other session's.
    const own = path.join(dir, 'nonce', randomBytes(16).toString('hex'));
    mkdirSync(own, { mode: 0o700 });
    const file = path.join(own, 'nonce');
    writeFileSync(file, `${nonce}\n`, { mode: 0o600, flag: 'wx' });
    const secret = { [NONCE_FILE_VARIABLE]: file };
    const release = (): void => rmSync(own, { recursive: true, force: true });
    const mounts: SandboxMounts = { readOnly: [dir], covered: [path.join(dir, 'nonce')], readWrite: [own] };
    switch (kind) {
      case 'bash':
        return { command, args: ['--rcfile', path.join(dir, 'bashrc'), '-i', ...args], env: secret, mounts, nonce, release };
      case 'zsh': {
        const user = env['ZDOTDIR'];
        return {
          command, args: ['-i', ...args], mounts, nonce, release,
          env: { ...secret, ZDOTDIR: path.join(dir, 'zsh'), ...(user !== undefined && { __TP_SI_USER_ZDOTDIR: user }) },
        };
      }
      case 'fish':
        return { command, args: ['--init-command', `source ${fishQuote(path.join(dir, 'init.fish'))}`, '-i', ...args], env: secret, mounts, nonce, release };
    }
  }

  /** Removes the generated files (shutdown). */
  close(): void {
    if (this.dir === null) return;
    rmSync(this.dir, { recursive: true, force: true });
    this.dir = null;
  }

  private files(): string {
    if (this.dir !== null) return this.dir;
    // mkdtemp makes it 0700: no other user can read or replace what our shells execute.
    const dir = mkdtempSync(path.join(tmpdir(), 'termpool-shell-'));
    const write = (name: string, text: string): void => writeFileSync(path.join(dir, name), text, { mode: 0o600 });
    write('bashrc', BASH_RC);
    write('init.fish', FISH_INIT);
    mkdirSync(path.join(dir, 'zsh'), { mode: 0o700 });
    mkdirSync(path.join(dir, 'nonce'), { mode: 0o700 });
    write('zsh/.zshenv', ZSH_ENV);
    write('zsh/.zprofile', ZSH_PROFILE);
    write('zsh/.zshrc', ZSH_RC);
    this.dir = dir;
    return dir;
  }
}

function checkArgs(kind: ShellKind, args: readonly string[]): void {
  const refused = REFUSED[kind];
  for (const a of args) {
    const long = refused.long.find((o) => a === o || a.startsWith(`${o}=`));
    const short = /^-[A-Za-z]+$/.test(a) ? [...a.slice(1)].find((ch) => refused.letters.includes(ch)) : undefined;
    if (long !== undefined || short !== undefined) {
      throw new ServiceError('VALIDATION', `argument '${a}' cannot be used with shell integration: ${kind} would then skip the start-up file that adds the marks, or not be interactive (run it without shell integration instead)`);
    }
    if (a === '--') return;
  }
}

/** A fish single-quoted string. */
function fishQuote(s: string): string {
  return `'${s.replace(/[\\']/g, (c) => `\\${c}`)}'`;
}

/** What a create request says about the program and its integration. */
export interface ShellRequest {
  command?: string | undefined;
  shell?: ShellKind | undefined;
  shellIntegration?: boolean | undefined;
}

/**
 * The program to run and the integration to inject (null: none), from `command`, `shell` and
 * `shellIntegration`; 400 VALIDATION naming the conflict otherwise. `shell: "bash"` is bash with
 * integration, found in PATH; `command` + `shellIntegration: true` is for another bash (a path).
 */
export function resolveShell(req: ShellRequest): { command: string; kind: ShellKind | null } {
  if (req.shell !== undefined) {
    if (req.command !== undefined) {
      throw new ServiceError('VALIDATION', `give command or shell, not both: shell: "${req.shell}" runs ${req.shell} from PATH with shell integration; to run another ${req.shell} give its path as command with shellIntegration: true`);
    }
    if (req.shellIntegration === false) {
      throw new ServiceError('VALIDATION', `shell: "${req.shell}" always has shell integration: give command: "${req.shell}" instead to run it without`);
    }
    return { command: req.shell, kind: req.shell };
  }
  if (req.command === undefined) throw new ServiceError('VALIDATION', 'give command (the program to run) or shell ("bash", "zsh" or "fish", with shell integration)');
  if (req.shellIntegration !== true) return { command: req.command, kind: null };
  const kind = shellKindOf(req.command);
  if (kind === null) {
    throw new ServiceError('VALIDATION', `shellIntegration needs bash, zsh or fish as the command (by its file name): '${req.command}' is none of them, and only those shells can be made to send the marks`);
  }
  return { command: req.command, kind };
}
