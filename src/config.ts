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
import { fontDirProblem, parseFontDirs } from './render/font-dirs.js';
import { parseEnvDrop } from './sessions/child-env.js';
import { parsePeers, type PeerSource } from './cluster/peers.js';

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
  /** Comma-separated variables (or `PREFIX_*` patterns) of the server's environment its sessions do not inherit. */
  TERMPOOL_ENV_DROP: '',
  /** auto | cgroup | session: what contains a session's processes (src/sessions/containment.ts). */
  TERMPOOL_CONTAINMENT: 'auto',
  /** off | bwrap: run each session's program under bubblewrap (src/sessions/sandbox.ts). */
  TERMPOOL_SANDBOX: 'off',
  /** on | off: a sandboxed program keeps the host's network (off: only its own loopback). */
  TERMPOOL_SANDBOX_NETWORK: 'off',
  /** Comma-separated paths covered (empty) inside the sandbox, besides the archive's directory. */
  TERMPOOL_SANDBOX_HIDE: '',
  /** Comma-separated host names a browser may use besides loopback (no token only; src/plugins/host-guard.ts). */
  TERMPOOL_ALLOWED_HOSTS: '',
  /** Comma-separated origins whose pages may change state, besides the server's own. */
  TERMPOOL_ALLOWED_ORIGINS: '',
  /** Budget of one POST /v1/render replay, in ms of its worker's time (422 RENDER_BUDGET beyond). */
  TERMPOOL_RENDER_TIMEOUT_MS: '10000',
  /** Renders run at once, each on a worker thread; 0 = on the main thread, unbounded (debugging and measuring only). */
  TERMPOOL_RENDER_CONCURRENCY: '2',
  /** Renders waiting for a worker, at most (429 RENDER_BUSY beyond). */
  TERMPOOL_RENDER_QUEUE: '8',
  /** V8 heap of one render worker, in MiB (422 RENDER_BUDGET when a replay needs more). */
  TERMPOOL_RENDER_HEAP_MB: '256',
  /** Bytes of a refused (413) body read and thrown away so the client sees the answer; 0 = none. */
  TERMPOOL_BODY_DRAIN_BYTES: '16777216',
  /** Cells (cols × lines) of one screen snapshot with its scrollback, at most (422 SNAPSHOT_TOO_LARGE beyond). */
  TERMPOOL_SNAPSHOT_MAX_CELLS: '5100000',
  /** Bytes of terminal copies all streamed screen reads in flight may hold together (429 SNAPSHOT_BUSY beyond). */
  TERMPOOL_SNAPSHOT_COPY_BYTES: '268435456',
  /** Waits (REST /wait, MCP wait_for) pending on one session, at most (429 WAIT_LIMIT beyond). */
  TERMPOOL_MAX_WAITS_PER_SESSION: '64',
  /** Waits pending on the whole server, at most (429 WAIT_LIMIT beyond). */
  TERMPOOL_MAX_WAITS: '1024',
  /** Longest the server spends on wait checks and history searches in one turn of its event loop, ms. */
  TERMPOOL_REGEX_SLICE_MS: '50',
  /** Scrollback searches (?q=, ?regex=, MCP read_scrollback) in progress at once, at most (429 REGEX_BUSY beyond). */
  TERMPOOL_REGEX_SEARCHES: '16',
  /** Colon-separated directories whose .ttf/.otf/.ttc files PNG snapshots load after their own fonts (src/render/font-dirs.ts). */
  TERMPOOL_FONT_DIRS: '',
  /** all | top:N | off: which sessions get per-session series in /metrics (src/metrics/registry.ts). */
  TERMPOOL_METRICS_SESSIONS: 'top:10',
  /** The other pods of a cluster (name=url,... or dns-srv:<record>), for the cluster-wide session list; empty = none (src/cluster/peers.ts). */
  TERMPOOL_PEERS: '',
} as const;

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

/** A DNS name (labels of letters, digits, '-' and '_'), an IPv4 address, or a bracketed IPv6 one. */
const HOST_NAME = /^(?:[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?(?:\.[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?)*|\[[0-9a-f:.]+\])$/;
const ORIGIN = /^[a-z][a-z0-9+.-]*:\/\/(?:[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?(?:\.[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?)*|\[[0-9a-f:.]+\])(?::\d{1,5})?$/;

/** A comma-separated setting as its lower-cased entries. */
const list = (v: string): string[] => v.split(',').map((s) => s.trim().toLowerCase()).filter((s) => s !== '');

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
   * On SIGTERM/SIGINT, how long from the signal requests and WebSockets still open may take to
   * finish while every session is closed (src/server.ts); then their connections are destroyed.
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
  /**
   * Variables of the server's environment that sessions do not inherit, besides every TERMPOOL_*
   * one (the token above all): exact names, or prefixes ending in `*` (src/sessions/child-env.ts).
   */
  envDrop: z.array(z.string()),
  /** What kills all of a session's processes with it: cgroup v2 where usable (`auto`), or session ids. */
  containment: z.enum(['auto', 'cgroup', 'session']),
  /** `bwrap`: each session's program runs under bubblewrap in namespaces of its own. */
  sandbox: z.enum(['off', 'bwrap']),
  /** A sandboxed program keeps the host's network (and can reach this API: only a token stops it). */
  sandboxNetwork: z.boolean(),
  /** Absolute paths the sandbox covers with an empty directory (or /dev/null for a file). */
  sandboxHide: z.array(z.string().refine((p) => path.isAbsolute(p), 'absolute paths only')),
  /**
   * Host names (no port, lower case) a server without a token answers for besides loopback; every
   * other Host is refused so that a web page cannot reach it by DNS rebinding (src/plugins/host-guard.ts).
   * For a name that resolves to this machine, e.g. one a reverse proxy passes on. No wildcard:
   * a server that must answer any name sets a token.
   */
  allowedHosts: z.array(z.string().max(253).regex(HOST_NAME, 'a host name without scheme or port (e.g. termpool.internal), or an IP address ([...] for IPv6); no wildcards')),
  /**
   * Origins (`scheme://host[:port]`, lower case, default port dropped) whose pages may POST,
   * DELETE, open a WebSocket or call /mcp besides the server's own `http(s)://<Host>`. No `*`
   * and no `null`: allowing every page would undo the protection.
   */
  allowedOrigins: z.array(z.string().max(300).regex(ORIGIN, 'an origin: scheme://host[:port], no path (e.g. https://termpool.example.com); no * or null')
    .transform((o) => o.replace(/^(http:\/\/.*):80$|^(https:\/\/.*):443$/, '$1$2'))),
  /**
   * POST /v1/render replays bytes a client uploaded: a few hundred KB of resizes or repeats can
   * cost minutes of CPU. Each replay runs on a worker thread (src/plugins/render-pool.ts) that is
   * terminated once it has run this long; the client gets 422 RENDER_BUDGET.
   */
  renderTimeoutMs: int(100, 600_000),
  /** Replays running at once (one worker thread each); 0 runs them on the main thread with no budget. */
  renderConcurrency: int(0, 64),
  /** Replays waiting for a free worker, at most; 429 RENDER_BUSY beyond. */
  renderQueue: int(0, 10_000),
  /** Heap limit of a render worker (MiB); a replay that needs more ends it: 422 RENDER_BUDGET. */
  renderHeapMb: int(32, 16_384),
  /**
   * A body over bodyLimit is refused (413 BODY_TOO_LARGE), but a client that sends the whole body
   * before reading (Node's fetch, the typed client) only sees that answer if the server reads
   * what it sends: closing mid-body gives it EPIPE instead. Up to this many bytes of a refused
   * body are read and discarded (never held) before the answer; a declared length beyond it is
   * answered at once. Receiving stays within bodyTimeoutMs (src/plugins/json-body.ts).
   */
  bodyDrainBytes: int(0, 2 ** 30),
  /**
   * Largest screen read, in cells: cols × (screen rows + scrollback lines asked for). The work of
   * a snapshot is proportional to it (src/routes/snapshot-budget.ts); 422 SNAPSHOT_TOO_LARGE beyond.
   */
  snapshotMaxCells: int(1, 2 ** 31 - 1),
  /**
   * A streamed screen read holds a compressed copy of the terminal until its client has read the
   * answer (3.9 MB for 10,000 lines of random text at 500 columns, 12 MB with a colour a cell):
   * bounded per client, but not in the number of clients. All copies held at once, at most;
   * a read that would pass it is 429 SNAPSHOT_BUSY (src/routes/snapshot-budget.ts).
   */
  snapshotCopyBytes: int(0, 2 ** 40),
  /**
   * Pending waits on one session, and on the server, at most: each holds a request, timers and a
   * place in its condition's checks; 429 WAIT_LIMIT beyond (src/sessions/wait.ts).
   */
  maxWaitsPerSession: int(1, 100_000),
  maxWaits: int(1, 1_000_000),
  /**
   * Wait checks and history searches (regexes above all) share the event loop in slices of this
   * long per turn; the rest waits for the next turn, after other requests were served
   * (src/sessions/regex-budget.ts). A turn lasts at most this plus one search step (≤ 100 ms).
   */
  regexSliceMs: int(1, 10_000),
  /** Scrollback searches in progress at once; 429 REGEX_BUSY beyond. */
  regexSearches: int(1, 10_000),
  /**
   * Directories of extra fonts for PNG snapshots, after the packaged ones (absolute, existing:
   * checked when the server starts). Each file costs on every PNG: resvg reads them all each time.
   */
  fontDirs: z.array(z.string()),
  /**
   * Which sessions /metrics gives series of their own (`termpool_session_*{session}`): every one,
   * the N holding the most pages, or none. Each session is a new series per family, so `all` at one
   * session a second makes ~10,800 new series an hour; `top:N` bounds them at N per family.
   */
  metricsSessions: z.union([
    z.object({ mode: z.literal('all') }),
    z.object({ mode: z.literal('off') }),
    z.object({ mode: z.literal('top'), n: int(1, 100_000) }),
  ]),
  /**
   * The other termpool processes of a cluster (src/cluster/peers.ts): GET /v1/sessions and MCP's
   * list_sessions then answer for all of them, and MCP tool calls on a peer's session go to that
   * peer. null (the default): this server alone, as without a cluster.
   */
  peers: z.custom<PeerSource>().nullable(),
});

/** TERMPOOL_METRICS_SESSIONS, parsed. */
export type MetricsSessions = Config['metricsSessions'];

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
    envDrop: envDrop(get('TERMPOOL_ENV_DROP')),
    containment: get('TERMPOOL_CONTAINMENT').toLowerCase(),
    sandbox: get('TERMPOOL_SANDBOX').toLowerCase(),
    sandboxNetwork: onOff('TERMPOOL_SANDBOX_NETWORK', get('TERMPOOL_SANDBOX_NETWORK')),
    sandboxHide: get('TERMPOOL_SANDBOX_HIDE').split(',').map((s) => s.trim()).filter((s) => s !== ''),
    allowedHosts: list(get('TERMPOOL_ALLOWED_HOSTS')),
    allowedOrigins: list(get('TERMPOOL_ALLOWED_ORIGINS')),
    renderTimeoutMs: get('TERMPOOL_RENDER_TIMEOUT_MS'),
    renderConcurrency: get('TERMPOOL_RENDER_CONCURRENCY'),
    renderQueue: get('TERMPOOL_RENDER_QUEUE'),
    renderHeapMb: get('TERMPOOL_RENDER_HEAP_MB'),
    bodyDrainBytes: get('TERMPOOL_BODY_DRAIN_BYTES'),
    snapshotMaxCells: get('TERMPOOL_SNAPSHOT_MAX_CELLS'),
    snapshotCopyBytes: get('TERMPOOL_SNAPSHOT_COPY_BYTES'),
    maxWaitsPerSession: get('TERMPOOL_MAX_WAITS_PER_SESSION'),
    maxWaits: get('TERMPOOL_MAX_WAITS'),
    regexSliceMs: get('TERMPOOL_REGEX_SLICE_MS'),
    regexSearches: get('TERMPOOL_REGEX_SEARCHES'),
    fontDirs: fontDirs(get('TERMPOOL_FONT_DIRS')),
    metricsSessions: metricsSessions(get('TERMPOOL_METRICS_SESSIONS')),
    peers: peers(get('TERMPOOL_PEERS')),
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
      archivePath: 'TERMPOOL_ARCHIVE_PATH', envDrop: 'TERMPOOL_ENV_DROP', containment: 'TERMPOOL_CONTAINMENT',
      sandbox: 'TERMPOOL_SANDBOX', sandboxNetwork: 'TERMPOOL_SANDBOX_NETWORK', sandboxHide: 'TERMPOOL_SANDBOX_HIDE', allowedHosts: 'TERMPOOL_ALLOWED_HOSTS', allowedOrigins: 'TERMPOOL_ALLOWED_ORIGINS',
      renderTimeoutMs: 'TERMPOOL_RENDER_TIMEOUT_MS', renderConcurrency: 'TERMPOOL_RENDER_CONCURRENCY',
      renderQueue: 'TERMPOOL_RENDER_QUEUE', renderHeapMb: 'TERMPOOL_RENDER_HEAP_MB',
      bodyDrainBytes: 'TERMPOOL_BODY_DRAIN_BYTES', snapshotMaxCells: 'TERMPOOL_SNAPSHOT_MAX_CELLS',
      snapshotCopyBytes: 'TERMPOOL_SNAPSHOT_COPY_BYTES',
      maxWaitsPerSession: 'TERMPOOL_MAX_WAITS_PER_SESSION', maxWaits: 'TERMPOOL_MAX_WAITS',
      regexSliceMs: 'TERMPOOL_REGEX_SLICE_MS', regexSearches: 'TERMPOOL_REGEX_SEARCHES', fontDirs: 'TERMPOOL_FONT_DIRS',
      metricsSessions: 'TERMPOOL_METRICS_SESSIONS', peers: 'TERMPOOL_PEERS',
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

function envDrop(spec: string): string[] {
  try {
    return parseEnvDrop(spec);
  } catch (err) {
    throw new ConfigError(`invalid configuration: TERMPOOL_ENV_DROP=${JSON.stringify(spec)}: ${(err as Error).message}`);
  }
}

/** TERMPOOL_FONT_DIRS: every directory must exist and be readable, so a typo fails at startup, not as missing glyphs. */
function fontDirs(spec: string): string[] {
  const dirs = parseFontDirs(spec);
  const problems = dirs.map(fontDirProblem).filter((p) => p !== null);
  if (problems.length > 0) throw new ConfigError(`invalid configuration: TERMPOOL_FONT_DIRS=${JSON.stringify(spec)}: ${problems.join('; ')}`);
  return dirs;
}

/** `all`, `off` or `top:N` (N from 1 to 100,000), case-insensitive. */
function metricsSessions(spec: string): { mode: 'all' | 'off' } | { mode: 'top'; n: number } {
  const m = spec.toLowerCase();
  if (m === 'all' || m === 'off') return { mode: m };
  const top = /^top:\s*(\d{1,6})$/.exec(m);
  const n = top === null ? NaN : Number(top[1]);
  if (n >= 1 && n <= 100_000) return { mode: 'top', n };
  throw new ConfigError(`invalid configuration: TERMPOOL_METRICS_SESSIONS=${JSON.stringify(spec)}: use all, off or top:N ` +
    '(N from 1 to 100000: the N sessions holding the most pages)');
}

function peers(spec: string): PeerSource | null {
  try {
    return parsePeers(spec);
  } catch (err) {
    throw new ConfigError(`invalid configuration: TERMPOOL_PEERS=${JSON.stringify(spec)}: ${(err as Error).message}`);
  }
}

function onOff(name: string, v: string): boolean {
  const m = v.toLowerCase();
  if (m === 'on' || m === '1' || m === 'true') return true;
  if (m === 'off' || m === '0' || m === 'false') return false;
  throw new ConfigError(`invalid configuration: ${name}=${JSON.stringify(v)}: use on or off`);
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
