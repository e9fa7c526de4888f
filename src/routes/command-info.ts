/** A /run outcome → the RunResult body (REST and MCP answer the same). */
export function runResult(s: Session, r: RunOutcome): z.infer<typeof RunResult> {
  return {
    reason: r.reason,
    exitCode: r.reason === 'finished' ? (r.record?.exitCode ?? null) : null,
    output: r.output,
    truncated: r.truncated,
    durationMs: r.durationMs,
    cwd: r.record?.cwd ?? (s.isDisposed ? null : s.terminal.semantic.cwd),
    command: r.record === null ? null : commandInfo(r.record),
    session: sessionInfo(s),
  };
}

/** A shell command record (src/engine/terminal/semantic-prompt.ts) → its public JSON (the `Command` schema). */
import type { z } from 'zod';
import type { CommandRecord } from '../engine/index.js';
import type { CommandInfo, RunResult } from '../schemas/commands.js';
import type { RunOutcome } from '../sessions/run-command.js';
import type { Session } from '../sessions/session.js';
import { sessionInfo } from './session-info.js';

export function commandInfo(c: CommandRecord): z.infer<typeof CommandInfo> {
  return {
    id: c.id,
    command: c.command,
    startedAt: new Date(c.startedAt).toISOString(),
    finishedAt: c.finishedAt === null ? null : new Date(c.finishedAt).toISOString(),
    durationMs: c.finishedAt === null ? null : c.finishedAt - c.startedAt,
    exitCode: c.exitCode,
    cwd: c.cwd,
    promptLine: c.promptLine,
    outputStartLine: c.outputStart.line,
    outputEndLine: c.outputEnd?.line ?? null,
  };
}
