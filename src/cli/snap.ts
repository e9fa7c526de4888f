/**
 * `termpool snap`: run a command headless under a pty with termpool's engine in-process (no
 * server), wait until its screen settles (or shows a text / regex, or the program exits),
 * write the screen as text, ANSI, HTML, SVG or PNG, then end the program.
 *
 * Reuses the service's Session (pty + Terminal, the only node-pty import) and waitFor (no
 * polling: it wakes on output), which pull in nothing of fastify. Owns only flag parsing, the
 * exit-status contract (the program's own status when it exited by itself, 0 when the wait
 * succeeded and the program was ended, 124 on timeout like timeout(1), 127 when the command is
 * not found) and the timeout message.
 */
import { constants as osConstants } from 'node:os';
import { parseArgs } from 'node:util';
import { MAX_COLS, MAX_ROWS } from '../engine/index.js';
import { ServiceError } from '../errors.js';
import { checkCommand } from '../sessions/registry.js';
import { Session } from '../sessions/session.js';
import { compileRegex } from '../sessions/regex.js';
import { waitFor, type WaitOutcome } from '../sessions/wait.js';
import { CliError, type Io } from './errors.js';
import { checkDestination, formatSnapshot, SCREEN_FORMATS, screenFormat, writeResult, type ScreenFormat } from './screen-output.js';

export const SNAP_USAGE = `usage: termpool snap [options] [--] COMMAND [ARGS...]
  --cols C          terminal width (default 80)
  --rows R          terminal height (default 24)
  --wait-text TEXT  wait until the screen shows TEXT
  --wait-regex RE   wait until RE (JavaScript, flag m) matches the screen lines joined by \\n
  --stable MS       and until there was no output for MS ms (default 300; 0 = don't wait for quiet)
  --timeout MS      give up after MS ms (default 10000; 0 = never): exit 124, message on stderr
  --format F        ${SCREEN_FORMATS.join(', ')} (default text; json: the ScreenSnapshot)
  --out FILE        write there instead of stdout ('-' = stdout)
The wait also ends when the program exits. Exit status: the program's own when it exited by
itself, else 0 once the snapshot is written (the program is then ended with SIGHUP); 124 on
timeout, 127 when COMMAND is not found, 2 for usage errors.
`;

export const EXIT_TIMEOUT = 124;
export const EXIT_NOT_FOUND = 127;
export const DEFAULT_TIMEOUT_MS = 10_000;

export interface SnapOptions {
  cols: number;
  rows: number;
  waitText?: string;
  waitRegex?: string;
  stableMs: number;
  /** 0 = never. */
  timeoutMs: number;
  format: ScreenFormat;
  out?: string;
  command: string;
  args: string[];
}

const VALUE_FLAGS = new Set(['--cols', '--rows', '--wait-text', '--wait-regex', '--stable', '--timeout', '--format', '--out', '-o']);

/** Splits at `--`, or else at the first word that is not an option or an option's value. */
function splitCommand(args: readonly string[]): { flags: string[]; command: string[] } {
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--') return { flags: args.slice(0, i), command: args.slice(i + 1) };
    if (!a.startsWith('-') || a === '-') return { flags: args.slice(0, i), command: args.slice(i) };
    if (VALUE_FLAGS.has(a)) i++;
  }
  return { flags: [...args], command: [] };
}

function integer(name: string, raw: string | undefined, dflt: number, min: number, max: number): number {
  if (raw === undefined) return dflt;
  const n = /^\d+$/.test(raw) ? Number(raw) : NaN;
  if (!(n >= min && n <= max)) throw new CliError(`snap: --${name} must be an integer from ${min} to ${max}, got '${raw}'`);
  return n;
}

/** Parses snap's arguments; null when help was requested. */
export function parseSnapArgs(args: readonly string[]): SnapOptions | null {
  const { flags, command } = splitCommand(args);
  let values;
  try {
    ({ values } = parseArgs({
      args: flags,
      strict: true,
      allowPositionals: false,
      options: {
        cols: { type: 'string' }, rows: { type: 'string' },
        'wait-text': { type: 'string' }, 'wait-regex': { type: 'string' },
        stable: { type: 'string' }, timeout: { type: 'string' },
        format: { type: 'string' }, out: { type: 'string', short: 'o' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (err) {
    const msg = ((err as Error).message ?? String(err)).split(/\.\s/)[0]!.replace(/\.$/, '');
    throw new CliError(`snap: ${msg.charAt(0).toLowerCase()}${msg.slice(1)}`);
  }
  if (values.help) return null;
  if (values['wait-text'] !== undefined && values['wait-regex'] !== undefined) throw new CliError('snap: give --wait-text or --wait-regex, not both');
  if (values['wait-text'] === '') throw new CliError('snap: --wait-text must not be empty');
  if (command.length === 0) throw new CliError('snap: missing COMMAND (termpool snap [options] -- COMMAND [ARGS...])');
  return {
    cols: integer('cols', values.cols, 80, 2, MAX_COLS),
    rows: integer('rows', values.rows, 24, 1, MAX_ROWS),
    ...(values['wait-text'] !== undefined && { waitText: values['wait-text'] }),
    ...(values['wait-regex'] !== undefined && { waitRegex: values['wait-regex'] }),
    stableMs: integer('stable', values.stable, 300, 0, 600_000),
    timeoutMs: integer('timeout', values.timeout, DEFAULT_TIMEOUT_MS, 0, 2 ** 31 - 1),
    format: screenFormat('snap', values.format, 'text', SCREEN_FORMATS),
    ...(values.out !== undefined && { out: values.out }),
    command: command[0]!,
    args: command.slice(1),
  };
}

/** Shell convention: the exit code, or 128 + the signal number when a signal ended it. */
function programStatus(s: Session): number {
  if (s.exitCode !== null) return s.exitCode;
  const n = s.signal !== null ? (osConstants.signals as Record<string, number>)[s.signal] : undefined;
  return 128 + (n ?? 0);
}

export async function runSnap(args: string[], io: Io): Promise<number> {
  const opts = parseSnapArgs(args);
  if (opts === null) {
    io.stdout.write(SNAP_USAGE);
    return 0;
  }
  checkDestination('snap', opts.format, opts.out, io);
  let regex;
  try {
    if (opts.waitRegex !== undefined) regex = compileRegex(opts.waitRegex);
    checkCommand(opts.command, process.cwd(), process.env['PATH'] ?? '');
  } catch (err) {
    if (err instanceof ServiceError && err.code === 'SPAWN_FAILED') throw new CliError(`snap: ${err.message}`, EXIT_NOT_FOUND);
    if (err instanceof ServiceError) throw new CliError(`snap: ${err.message}`);
    throw err;
  }
  let session: Session;
  try {
    session = new Session({
      id: 'snap', command: opts.command, args: opts.args, cwd: process.cwd(), env: {},
      cols: opts.cols, rows: opts.rows, scrollback: 0, idleTimeoutMs: 0,
    });
  } catch (err) {
    throw new CliError(`snap: cannot start '${opts.command}': ${err instanceof Error ? err.message : String(err)}`, EXIT_NOT_FOUND);
  }
  try {
    const stop = new AbortController();
    const waiting = waitFor(session, {
      ...(opts.waitText !== undefined && { text: opts.waitText }),
      ...(regex !== undefined && { regex }),
      ...(opts.stableMs > 0 && { stableMs: opts.stableMs }),
      timeoutMs: opts.timeoutMs === 0 ? 2 ** 31 - 1 : opts.timeoutMs,
      signal: stop.signal,
    });
    // The program exiting ends the wait too: its last screen is the one to show.
    const outcome: WaitOutcome | 'exited' = await Promise.race([waiting, session.whenExited().then(() => 'exited' as const)]);
    stop.abort();
    await waiting.catch(() => undefined);
    if (outcome !== 'exited' && !outcome.satisfied && session.running) {
      const what = [opts.waitText !== undefined && `text ${JSON.stringify(opts.waitText)}`, regex && `regex /${regex.source}/`, opts.stableMs > 0 && `${opts.stableMs} ms without output`]
        .filter(Boolean).join(' and ');
      const screen = session.screenLines().join('\n').replace(/\n+$/, '');
      io.stderr.write(`termpool: snap: timed out after ${opts.timeoutMs} ms waiting for ${what || 'the screen'}; the screen was:\n${screen}\n`);
      return EXIT_TIMEOUT;
    }
    await writeResult('snap', io, opts.out, await formatSnapshot(session.snapshot(), opts.format));
    return session.running ? 0 : programStatus(session);
  } catch (err) {
    if (err instanceof ServiceError) throw new CliError(`snap: ${err.message}`);
    throw err;
  } finally {
    await session.dispose();
  }
}
