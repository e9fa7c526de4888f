/**
 * Running one command in a shell with integration (POST /run, MCP run_command): wait until the
 * shell shows its prompt, clear whatever is already typed there (CLEAR_INPUT_KEY, which
 * the injected scripts bind to deleting the whole command line in emacs and vi modes alike: text a
 * person or an earlier keys request left unsent must not run with the command), type the command
 * and Enter through the session's bounded input, wait for
 * the command's OSC 133 D, and read what it printed back from between its C and D marks
 * (scrollback included). Both waits are ordinary waits (src/sessions/wait.ts): they count toward
 * the wait limits, end when the client goes away (`signal`), and when the program exits (a DELETE,
 * a shutdown) they end as /wait's do, 408 `exited`, with what was known. A timeout leaves nothing
 * registered: the command goes on running, and the next /run is 409 COMMAND_RUNNING until it ends.
 *
 * Owns which sessions have a /run in progress (one at a time per session: a second one could not
 * tell its output from the first's).
 */
import type { CommandRecord } from '../engine/index.js';
import { ServiceError, exited, inputBacklog } from '../errors.js';
import { encodeInput } from '../input/index.js';
import type { Session } from './session.js';
import { CLEAR_INPUT_KEY } from './shell-scripts.js';
import type { Waits, WaitOutcome } from './wait.js';

/** Output lines a run returns by default, and at most (the last ones: the end tells how it went). */
export const DEFAULT_RUN_MAX_LINES = 2000;
export const MAX_RUN_MAX_LINES = 100_000;

export interface RunRequest {
  command: string;
  timeoutMs: number;
  maxLines: number;
  signal?: AbortSignal;
}

export interface RunOutcome {
  /** finished: its D came; timeout: not yet (it may still run); exited: the shell ended first. */
  reason: 'finished' | 'timeout' | 'exited';
  /** The command as the shell recorded it (null: it never started, e.g. the prompt never came). */
  record: CommandRecord | null;
  output: string[];
  truncated: boolean;
  durationMs: number;
}

export const noShellIntegration = (id: string): ServiceError =>
  new ServiceError('NO_SHELL_INTEGRATION', `session '${id}' was started without shell integration, so termpool cannot tell when a command ends: create it with "shell": "bash" (or zsh, fish), or with "shellIntegration": true and bash, zsh or fish as the command`);

/**
 * The `commandAfter` of a wait for "a command finished" (409 NO_SHELL_INTEGRATION without
 * integration): `afterCommand` as given, else the command running now, else the next one.
 */
export function commandAfter(s: Session, afterCommand: number | undefined): number {
  if (s.shell === null) throw noShellIntegration(s.id);
  if (afterCommand !== undefined) return afterCommand;
  const sp = s.terminal.semantic;
  return (sp.running?.id ?? sp.nextCommandId) - 1;
}

export class ShellRuns {
  private readonly inProgress = new Set<Session>();

  constructor(private readonly waits: Waits) {}

  /** Runs `req.command` in `s` (see the header). Throws NO_SHELL_INTEGRATION, COMMAND_RUNNING, SESSION_EXITED, INPUT_BACKLOG, WAIT_LIMIT. */
  run(s: Session, req: RunRequest): Promise<RunOutcome> {
    if (s.shell === null) throw noShellIntegration(s.id);
    if (!s.running) throw exited(s.id);
    const busy = s.terminal.semantic.running;
    if (this.inProgress.has(s) || busy !== null) {
      throw new ServiceError('COMMAND_RUNNING', busy !== null
        ? `session '${s.id}' is running command ${busy.id} (${JSON.stringify(busy.command)}) since ${new Date(busy.startedAt).toISOString()}: wait for it (POST /wait {"command": "finished"}) or interrupt it (keys ["C-c"]) first`
        : `session '${s.id}' already has a /run in progress: one command at a time`, busy !== null ? { id: busy.id, command: busy.command } : undefined);
    }
    this.inProgress.add(s);
    const work = this.runIn(s, req).finally(() => this.inProgress.delete(s));
    // A DELETE or shutdown waits for this run to read the final screen before the pages go.
    s.holdOpen(work);
    return work;
  }

  private async runIn(s: Session, req: RunRequest): Promise<RunOutcome> {
    const sp = s.terminal.semantic;
    const t0 = Date.now();
    const left = (): number => Math.max(0, req.timeoutMs - (Date.now() - t0));
    const signal = req.signal !== undefined ? { signal: req.signal } : {};
    if (sp.state !== 'input') {
      const ready = await this.waits.wait(s, { prompt: true, timeoutMs: left(), ...signal });
      if (!ready.satisfied) return { reason: reasonOf(ready), record: null, output: [], truncated: false, durationMs: Date.now() - t0 };
      // Someone typed a command of their own meanwhile.
      const other = sp.running;
      if (other !== null) throw new ServiceError('COMMAND_RUNNING', `session '${s.id}' started command ${other.id} (${JSON.stringify(other.command)}) while this one waited for the prompt`);
    }
    const after = sp.nextCommandId - 1;
    // Several lines go in as one paste (bracketed when the shell asked for it), so the shell runs
    // them as one command line, with one C and one D, instead of one command per line.
    const typed = req.command.includes('\n') || req.command.includes('\r')
      ? Buffer.concat([Buffer.from(CLEAR_INPUT_KEY), Buffer.from(encodeInput({ paste: req.command }, s.inputModes())), Buffer.from('\r')])
      : `${CLEAR_INPUT_KEY}${req.command}\r`;
    if (!s.write(typed)) throw inputBacklog(s.id, s.inputPending, s.inputBacklogLimit);
    const done = await this.waits.wait(s, { commandAfter: after, timeoutMs: left(), ...signal });
    const cur = sp.running;
    const record = sp.finishedAfter(after) ?? (cur !== null && cur.id > after ? cur : null);
    const reason = done.satisfied ? 'finished' : reasonOf(done);
    if (record === null || s.isDisposed) return { reason, record, output: [], truncated: false, durationMs: Date.now() - t0 };
    const out = s.terminal.commandOutput(record, req.maxLines);
    return { reason, record, output: out.lines, truncated: out.truncated, durationMs: (record.finishedAt ?? Date.now()) - record.startedAt };
  }
}

function reasonOf(o: WaitOutcome): 'timeout' | 'exited' {
  return o.reason === 'exited' ? 'exited' : 'timeout';
}
