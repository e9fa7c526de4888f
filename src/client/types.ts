/**
 * The client's request and response types, inferred from the server's own zod schemas
 * (src/schemas): requests are `z.input` (defaults optional), responses `z.infer`. Type-only
 * imports, so the client never loads zod at run time.
 */
import type { z } from 'zod';
import type { ErrorBody } from '../schemas/common.js';
import type { InputBody, InputResult as InputResultSchema, MouseEvent as MouseEventSchema } from '../schemas/input.js';
import type {
  ScreenDelta as ScreenDeltaSchema, ScreenFormats, ScreenQuery, ScreenSnapshot as ScreenSnapshotSchema, ScrollbackRange as ScrollbackRangeSchema,
  ScrollbackSearch as ScrollbackSearchSchema, WaitBody, WaitResult as WaitResultSchema,
} from '../schemas/screen.js';
import type { CreateSessionBody, Health as HealthSchema, ResizeBody, SessionInfo } from '../schemas/sessions.js';
import type {
  CommandInfo, CommandList as CommandListSchema, RunBody, RunResult as RunResultSchema,
} from '../schemas/commands.js';
import type { WsClientMessage as WsClientMessageSchema, WsServerMessage as WsServerMessageSchema } from '../schemas/ws.js';
import type { SignalBody, SignalResult as SignalResultSchema } from '../schemas/signal.js';

/** POST /v1/sessions body: `command` is required, everything else has a server default. */
export type CreateSessionRequest = z.input<typeof CreateSessionBody>;
/** A session as the server describes it (state, exit code, size, title, pages, ...). */
export type Session = z.infer<typeof SessionInfo>;
/** POST /v1/sessions/{id}/input body: exactly one of text, keys (with `literal`), paste, mouse. */
export type InputRequest = z.input<typeof InputBody>;
export type MouseEvent = z.input<typeof MouseEventSchema>;
export type InputResult = z.infer<typeof InputResultSchema>;
export type ResizeRequest = z.input<typeof ResizeBody>;
export type ScreenFormat = (typeof ScreenFormats)[number];
export type ScreenOptions = z.input<typeof ScreenQuery>;
export type ScreenSnapshot = z.infer<typeof ScreenSnapshotSchema>;
/** GET /screen?since=<etag>: the rows changed since that ETag's screen (every row with `full: true` when it is no longer known). */
export type ScreenDelta = z.infer<typeof ScreenDeltaSchema>;
export type ScrollbackRange = z.infer<typeof ScrollbackRangeSchema>;
export type ScrollbackSearch = z.infer<typeof ScrollbackSearchSchema>;
/**
 * POST /v1/sessions/{id}/wait body: text / regex / absent / title / cursor / cell / stableMs / exit / command, all of
 * which must hold; trim and scrollback say how text is matched.
 */
export type WaitRequest = z.input<typeof WaitBody>;
/** The wait outcome; `satisfied: false` (HTTP 408) is a result, not an error, and `failing` names what did not hold. */
export type WaitResult = z.infer<typeof WaitResultSchema>;
export type Health = z.infer<typeof HealthSchema>;
/** A signal POST /v1/sessions/{id}/signal accepts: SIGINT, SIGTERM, SIGHUP, SIGKILL, SIGQUIT, SIGTSTP, SIGCONT, SIGUSR1, SIGUSR2, SIGWINCH. */
export type SignalName = z.infer<typeof SignalBody>['signal'];
/** Its answer: the signal, the process group it went to, whether that was the foreground group, the session. */
export type SignalResult = z.infer<typeof SignalResultSchema>;
/** POST /v1/sessions/{id}/run body (shell integration): the command, timeoutMs, maxLines. */
export type RunRequest = z.input<typeof RunBody>;
/** Its answer: reason finished (200) or timeout / exited (408, a result too), exitCode, output, cwd. */
export type RunResult = z.infer<typeof RunResultSchema>;
/** A command of the shell's history (GET /commands, a finished wait, run results). */
export type Command = z.infer<typeof CommandInfo>;
/** GET /commands paging: ids above `after` (default 0), at most `limit` (default 100, at most 1,000). */
export interface CommandsOptions { after?: number; limit?: number }
export type CommandList = z.infer<typeof CommandListSchema>;
/** The JSON body of every 4xx/5xx answer. */
export type ApiErrorBody = z.infer<typeof ErrorBody>;
export type WsServerMessage = z.infer<typeof WsServerMessageSchema>;
export type WsClientMessage = z.input<typeof WsClientMessageSchema>;
