/** Shell integration schemas: POST /run, GET /commands, and the command a wait or an event names. */
import { z } from 'zod';
import { SessionInfo } from './sessions.js';

export const CommandInfo = z
  .object({
    id: z.number().int().describe('1, 2, … in the order the shell ran them'),
    command: z.string().describe('what was typed (the screen text between the OSC 133 B and C marks; continuation prompts included), at most 4,096 characters'),
    startedAt: z.string().describe('ISO 8601, when the shell sent C'),
    finishedAt: z.string().nullable().describe('when it sent D; null while running'),
    durationMs: z.number().int().nullable(),
    exitCode: z.number().int().nullable().describe('from D; null while running or when the shell gave none'),
    cwd: z.string().nullable().describe('the shell\'s working directory (OSC 7) when the command finished, or when it started while it runs'),
    promptLine: z.number().int().nullable().describe('absolute line of its prompt (A). Absolute lines never shift: minus firstLine it is a GET /scrollback line, from scrollbackLength on a screen row'),
    outputStartLine: z.number().int().describe('absolute line of the C mark, where its output begins'),
    outputEndLine: z.number().int().nullable().describe('absolute line of the D mark: its output ends before it (or on it, when D came after text on that line); null while running'),
  })
  .meta({ id: 'Command' });

export const RunBody = z
  .object({
    command: z.string().min(1).max(65536).regex(/^[^\0]*$/, 'must not contain a NUL byte')
      .describe('typed at the prompt and followed by Enter; several lines go in as one paste (one command line)'),
    timeoutMs: z.number().int().min(0).max(3_600_000).default(30_000).describe('give up waiting (408) after this long; the command keeps running'),
    maxLines: z.number().int().min(1).max(100_000).default(2000).describe('output lines returned at most: the last ones (truncated: true when more were printed)'),
  })
  .strict()
  .meta({ id: 'Run' });

export const RunResult = z
  .object({
    reason: z.enum(['finished', 'timeout', 'exited']).describe('finished (200): the command ended; timeout (408): not yet — it goes on; exited (408): the shell ended first (also after a DELETE)'),
    exitCode: z.number().int().nullable().describe('the command\'s exit status; null unless finished (or when the shell gave none)'),
    output: z.array(z.string()).describe('what the command printed, as lines (soft-wrapped rows joined, right-trimmed, trailing blank lines dropped), scrollback included; so far on a timeout'),
    truncated: z.boolean().describe('lines were left out: over maxLines, or already pruned from the scrollback'),
    durationMs: z.number().int().describe('from the command\'s start (C) to its end (D), or until now'),
    cwd: z.string().nullable().describe('the shell\'s working directory after the command (OSC 7)'),
    command: CommandInfo.nullable().describe('the command as the shell recorded it; null when it never started (the prompt never came)'),
    session: SessionInfo,
  })
  .meta({ id: 'RunResult' });

export const CommandsQuery = z
  .object({
    after: z.coerce.number().int().min(0).default(0).describe('only commands with an id above this (page on with the last id you got)'),
    limit: z.coerce.number().int().min(1).max(1000).default(100),
  })
  .strict();

export const CommandList = z
  .object({
    commands: z.array(CommandInfo).describe('oldest first; the last 1,000 commands are kept'),
    more: z.boolean().describe('more commands follow: ask again with after = the last id'),
    state: z.enum(['unknown', 'prompt', 'input', 'running']).describe('the shell now: unknown (no mark yet), prompt (drawing it), input (waiting for a command), running'),
    cwd: z.string().nullable().describe('its working directory (last OSC 7)'),
    firstLine: z.number().int().describe('absolute line of the oldest kept scrollback line (GET /scrollback line 0)'),
    scrollbackLength: z.number().int(),
  })
  .meta({ id: 'CommandList' });
