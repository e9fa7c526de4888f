/** A shell command record (src/engine/terminal/semantic-prompt.ts) → its public JSON (the `Command` schema). */
import type { z } from 'zod';
import type { CommandRecord } from '../engine/index.js';
import type { CommandInfo } from '../schemas/commands.js';

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
