/**
 * Service settings: read once from TERMPOOL_* environment variables, validated with zod.
 *
 * Every setting has a default that is safe on a developer machine (loopback, no token). The one
 * hard rule lives in `assertSafeBind`: a non-loopback host without a token is refused, because
 * the API runs arbitrary commands as the server's user.
 */
import path from 'node:path';
import { z } from 'zod';
import { MAX_COLS, MAX_ROWS } from './engine/index.js';

/** Environment variables understood by the server, with defaults (documented in the README). */
export const ENV_DEFAULTS = {
  TERMPOOL_HOST: '127.0.0.1',
  TERMPOOL_PORT: '7681',
  TERMPOOL_TOKEN: '',
  TERMPOOL_MAX_SESSIONS: '64',
  TERMPOOL_MAX_COLS: '500',
  TERMPOOL_MAX_ROWS: '200',
  TERMPOOL_SCROLLBACK: '10000',
  TERMPOOL_IDLE_TIMEOUT_MS: '1800000',
  TERMPOOL_EXITED_RETENTION_MS: '300000',
  TERMPOOL_BODY_LIMIT: '1048576',
  TERMPOOL_INPUT_BACKLOG_BYTES: '1048576',
  TERMPOOL_BODY_TIMEOUT_MS: '30000',
  TERMPOOL_SHUTDOWN_GRACE_MS: '10000',
  TERMPOOL_ID_PREFIX: '',
  TERMPOOL_RECORDING_MAX_BYTES: '33554432',
  TERMPOOL_RECORDING_TOTAL_MAX_BYTES: '268435456',
  TERMPOOL_ARCHIVE: 'on',
  /** Empty: $XDG_STATE_HOME/termpool/archive.sqlite, else ~/.local/state/termpool/archive.sqlite. */
  TERMPOOL_ARCHIVE_PATH: '',
} as const;

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

const ConfigSchema = z.object({
  host: z.string().min(1),
  port: int(0, 65535),
  /** Bearer token; empty = no auth (loopback only). */
  token: z.string(),
  maxSessions: int(1, 100_000),
  maxCols: int(2, MAX_COLS),
  maxRows: int(1, MAX_ROWS),
  /** Default scrollback limit (lines) for sessions that do not ask for one; also the per-session cap. */
  scrollback: int(0, 1_000_000),
  /** Kill a session nobody has touched (no request, no output) for this long; 0 = never. */
  idleTimeoutMs: int(0, 2 ** 31 - 1),
  /** How long an exited session keeps its final screen and scrollback; 0 = drop at once. */
  exitedRetentionMs: int(0, 2 ** 31 - 1),
  /** Largest accepted request body in bytes (413 beyond). */
  bodyLimit: int(1024, 256 * 1024 * 1024),
  /**
   * Input a session's program has not read yet, at most (bytes); beyond it /input is a 429
   * INPUT_BACKLOG. Bounds what a client can park in the server by writing to a program that
   * does not read (src/sessions/pty-input.ts).
   */
  inputBacklogBytes: int(4096, 256 * 1024 * 1024),
  /**
   * Time a client has to send a whole request, headers and body, from its first byte (or from
   * connecting); 408 REQUEST_TIMEOUT and the connection closed beyond. Only receiving is bounded:
   * a /wait whose body has arrived answers after its own timeoutMs, however long that is.
   */
  bodyTimeoutMs: int(500, 600_000),
  /**
   * On SIGTERM/SIGINT, how long requests and WebSockets still open may take to finish after every
   * session is closed; then their connections are destroyed and the process exits.
   */
  shutdownGraceMs: int(0, 600_000),
  /**
   * Prepended to every session id as `<prefix>-<12 hex>` (empty: no prefix). In a cluster it is the
   * pod name, so a gateway can route `/v1/sessions/<id>/...` to the pod that holds the session
   * (docs/scale-out.md). Letters, digits, '.', '_' and '-' only (a URL path segment that needs no
   * escaping), at most 40 characters so the id stays within the 64 the API accepts.
   */
  /** Cap on one session's asciicast recording (record: true); recording stops, marked, beyond. */
  recordingMaxBytes: int(1024, 2 ** 31 - 1),
  /** Cap on all sessions' recordings together; a recording that would pass it stops, marked. */
  recordingTotalMaxBytes: int(1024, 2 ** 40),
  idPrefix: z.string().max(40).regex(/^(?:[A-Za-z0-9][A-Za-z0-9._-]*)?$/, 'letters, digits, ".", "_" and "-" only, starting with a letter or digit'),
  /**
   * SQLite file that keeps exited sessions' final screens across restarts (src/archive/); null =
   * off (TERMPOOL_ARCHIVE=off, or no path given and neither XDG_STATE_HOME nor HOME set).
   */
  archivePath: z.string().min(1).nullable(),
});

export type Config = z.infer<typeof ConfigSchema>;

/** A setting that cannot be used; the server prints it and exits with status 2. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** Builds the configuration from an environment (process.env by default); throws ConfigError. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const get = (k: keyof typeof ENV_DEFAULTS): string => {
    const v = env[k];
    return v === undefined || v.trim() === '' ? ENV_DEFAULTS[k] : v.trim();
  };
  const raw = {
    host: get('TERMPOOL_HOST'),
    port: get('TERMPOOL_PORT'),
    token: (env['TERMPOOL_TOKEN'] ?? '').trim(),
    maxSessions: get('TERMPOOL_MAX_SESSIONS'),
    maxCols: get('TERMPOOL_MAX_COLS'),
    maxRows: get('TERMPOOL_MAX_ROWS'),
    scrollback: get('TERMPOOL_SCROLLBACK'),
    idleTimeoutMs: get('TERMPOOL_IDLE_TIMEOUT_MS'),
    exitedRetentionMs: get('TERMPOOL_EXITED_RETENTION_MS'),
    bodyLimit: get('TERMPOOL_BODY_LIMIT'),
    inputBacklogBytes: get('TERMPOOL_INPUT_BACKLOG_BYTES'),
    bodyTimeoutMs: get('TERMPOOL_BODY_TIMEOUT_MS'),
    shutdownGraceMs: get('TERMPOOL_SHUTDOWN_GRACE_MS'),
    idPrefix: get('TERMPOOL_ID_PREFIX'),
    recordingMaxBytes: get('TERMPOOL_RECORDING_MAX_BYTES'),
    recordingTotalMaxBytes: get('TERMPOOL_RECORDING_TOTAL_MAX_BYTES'),
    archivePath: archivePath(get('TERMPOOL_ARCHIVE'), get('TERMPOOL_ARCHIVE_PATH'), env),
  };
  const res = ConfigSchema.safeParse(raw);
  if (!res.success) {
    const keys: Record<string, string> = {
      host: 'TERMPOOL_HOST', port: 'TERMPOOL_PORT', token: 'TERMPOOL_TOKEN', maxSessions: 'TERMPOOL_MAX_SESSIONS',
      maxCols: 'TERMPOOL_MAX_COLS', maxRows: 'TERMPOOL_MAX_ROWS', scrollback: 'TERMPOOL_SCROLLBACK',
      idleTimeoutMs: 'TERMPOOL_IDLE_TIMEOUT_MS', exitedRetentionMs: 'TERMPOOL_EXITED_RETENTION_MS',
      bodyLimit: 'TERMPOOL_BODY_LIMIT', inputBacklogBytes: 'TERMPOOL_INPUT_BACKLOG_BYTES', bodyTimeoutMs: 'TERMPOOL_BODY_TIMEOUT_MS', shutdownGraceMs: 'TERMPOOL_SHUTDOWN_GRACE_MS',
      idPrefix: 'TERMPOOL_ID_PREFIX', recordingMaxBytes: 'TERMPOOL_RECORDING_MAX_BYTES',
      recordingTotalMaxBytes: 'TERMPOOL_RECORDING_TOTAL_MAX_BYTES',
      archivePath: 'TERMPOOL_ARCHIVE_PATH',
    };
    const msg = res.error.issues
      .map((i) => `${keys[String(i.path[0])] ?? String(i.path[0])}=${JSON.stringify(raw[i.path[0] as keyof typeof raw])}: ${i.message}`)
      .join('; ');
    throw new ConfigError(`invalid configuration: ${msg}`);
  }
  return res.data;
}

/**
 * Where the archive lives. The default follows the XDG base directories: an archive is state that
 * should outlive a restart but is not a user's document, so neither the working directory (which
 * changes between starts) nor a config dir is right.
 */
function archivePath(mode: string, given: string, env: NodeJS.ProcessEnv): string | null {
  const m = mode.toLowerCase();
  if (m === 'off' || m === '0' || m === 'false') return null;
  if (m !== 'on' && m !== '1' && m !== 'true') throw new ConfigError(`invalid configuration: TERMPOOL_ARCHIVE=${JSON.stringify(mode)}: use on or off`);
  if (given !== '') return path.resolve(given);
  const state = env['XDG_STATE_HOME']?.trim() || (env['HOME']?.trim() ? path.join(env['HOME'].trim(), '.local', 'state') : '');
  return state === '' ? null : path.join(state, 'termpool', 'archive.sqlite');
}

/** True for 127.0.0.0/8, ::1 and `localhost`. */
export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h) || h === '::ffff:127.0.0.1';
}

/** Refuses a bind beyond loopback without a token: anyone who can reach the port could run commands. */
export function assertSafeBind(config: Config): void {
  if (!isLoopback(config.host) && config.token === '') {
    throw new ConfigError(
      `refusing to listen on ${config.host} without a token: set TERMPOOL_TOKEN (clients then send ` +
        `'Authorization: Bearer <token>') or bind to 127.0.0.1`,
    );
  }
}
