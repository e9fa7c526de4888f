/**
 * Coded service errors. Every failure a client can cause is one of these: a stable `code`
 * (machine-readable, in the response body as `error`), the HTTP status it maps to, and a
 * message a person can act on. The error plugin is the only place that turns them into replies.
 */

export const ErrorCodes = {
  VALIDATION: 400,
  BAD_CWD: 400,
  /** Arguments and environment past what exec takes (src/sessions/exec-limits.ts). */
  ARGS_TOO_LONG: 400,
  BAD_REGEX: 400,
  BAD_SIZE: 400,
  BAD_INPUT: 400,
  BAD_CAST: 400,
  SPAWN_FAILED: 400,
  UNAUTHORIZED: 401,
  /** A state-changing request from a web page of a foreign origin (src/plugins/host-guard.ts). */
  ORIGIN_NOT_ALLOWED: 403,
  SESSION_NOT_FOUND: 404,
  ROUTE_NOT_FOUND: 404,
  NOT_RECORDED: 404,
  METHOD_NOT_ALLOWED: 405,
  REQUEST_TIMEOUT: 408,
  SESSION_EXITED: 409,
  SESSION_ARCHIVED: 409,
  /** POST /marker on a session that records nothing (not created with record, stopped by the cap, or its program exited). */
  NOT_RECORDING: 409,
  /** POST /run, /wait command, GET /commands on a session started without shell integration (src/sessions/run-command.ts). */
  NO_SHELL_INTEGRATION: 409,
  /** POST /run while a command runs in the session's shell, or another /run is in progress. */
  COMMAND_RUNNING: 409,
  SESSION_CLOSED: 410,
  ARCHIVE_CORRUPT: 410,
  BODY_TOO_LARGE: 413,
  /** A Host that does not name loopback on a server without a token: DNS rebinding (src/plugins/host-guard.ts). */
  HOST_NOT_ALLOWED: 421,
  HEADERS_TOO_LARGE: 431,
  SNAPSHOT_TOO_LARGE: 422,
  /** A POST /v1/render replay that ran past TERMPOOL_RENDER_TIMEOUT_MS or TERMPOOL_RENDER_HEAP_MB (src/plugins/render-pool.ts). */
  RENDER_BUDGET: 422,
  UNSUPPORTED_MEDIA_TYPE: 415,
  UPGRADE_REQUIRED: 426,
  SESSION_LIMIT: 429,
  INPUT_BACKLOG: 429,
  /** Every render worker busy and TERMPOOL_RENDER_QUEUE renders already waiting. */
  RENDER_BUSY: 429,
  /** TERMPOOL_MAX_WAITS_PER_SESSION waits on the session, or TERMPOOL_MAX_WAITS on the server, already pending (src/sessions/wait.ts). */
  WAIT_LIMIT: 429,
  /** TERMPOOL_REGEX_SEARCHES scrollback searches already in progress (src/sessions/regex-budget.ts). */
  REGEX_BUSY: 429,
  /** Streamed screen reads already hold TERMPOOL_SNAPSHOT_COPY_BYTES of copies (src/routes/snapshot-budget.ts). */
  SNAPSHOT_BUSY: 429,
  INTERNAL: 500,
  RENDER_UNAVAILABLE: 503,
  SHUTTING_DOWN: 503,
} as const;

export type ErrorCode = keyof typeof ErrorCodes;

export class ServiceError extends Error {
  override readonly name = 'ServiceError';
  readonly statusCode: number;

  constructor(readonly code: ErrorCode, message: string, readonly details?: unknown) {
    super(message);
    this.statusCode = ErrorCodes[code];
  }
}

export const notFound = (id: string): ServiceError =>
  new ServiceError('SESSION_NOT_FOUND', `no session '${id}' (it may have been deleted or reaped after exiting)`);

export const exited = (id: string): ServiceError =>
  new ServiceError('SESSION_EXITED', `session '${id}' has exited; it no longer accepts input or resizes`);

export const archived = (id: string): ServiceError =>
  new ServiceError('SESSION_ARCHIVED', `session '${id}' is archived (its program has ended and it is kept in the archive store): only its description, screen and scrollback can be read`);

export const archiveCorrupt = (id: string, why: string): ServiceError =>
  new ServiceError('ARCHIVE_CORRUPT', `archived session '${id}' is damaged in the archive store and cannot be read (${why}); DELETE it to drop it`);

export const inputBacklog = (id: string, pending: number, limit: number): ServiceError =>
  new ServiceError('INPUT_BACKLOG', `session '${id}' has ${pending} bytes of input its program has not read yet; at most ${limit} may wait (TERMPOOL_INPUT_BACKLOG_BYTES): retry once it reads`, { pending, limit });

/** Type guard for anything carrying our code shape (also errors thrown by the input encoders). */
export function isServiceError(err: unknown): err is ServiceError {
  return err instanceof ServiceError;
}
