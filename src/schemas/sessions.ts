/** Session creation, description and resize schemas. */
import { z } from 'zod';
import { RecordOption } from './record-option.js';
import { SHELL_KINDS } from '../sessions/shell-integration.js';

/**
 * exec takes C strings, and a variable as one `NAME=value` string: a NUL would silently cut an
 * argument or variable short, and a name with `=` would set a variable other than the one named.
 * Both are refused here, for REST and MCP alike.
 */
const NoNul = /^[^\0]*$/;
const NO_NUL = 'must not contain a NUL byte (a program cannot receive one)';
const EnvName = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The program, as REST (POST /v1/sessions) and MCP (create_session) take it. */
export const SessionCommand = z.string().min(1).max(4096).regex(NoNul, NO_NUL);

/** The directory it starts in, likewise (the registry checks it is an existing absolute one). */
export const SessionCwd = z.string().min(1).max(4096).regex(NoNul, NO_NUL);

/**
 * Its arguments, likewise. Their total with the environment is bounded by what exec accepts
 * (src/sessions/exec-limits.ts), which no per-item limit here can express.
 */
export const SessionArgs = z.array(z.string().max(65536).regex(NoNul, NO_NUL)).max(1024);

/** Variables added to a program's environment, likewise. */
const ENV_NAME = 'is not an environment variable name (letters, digits and _, not starting with a digit)';
export const SessionEnv = z.record(
  z.string().regex(EnvName, ENV_NAME),
  z.string().max(65536).regex(NoNul, NO_NUL),
  // zod reports a bad key as "Invalid key in record", hiding the key schema's own message.
  { error: (issue) => (issue.code === 'invalid_key' ? ENV_NAME : undefined) },
);

export const CreateSessionBody = z
  .object({
    command: SessionCommand.optional().describe('program to run; looked up in PATH unless it contains a slash (give command or shell)'),
    shell: z.enum(SHELL_KINDS).optional().describe(
      'instead of command: run this shell (from PATH) with shell integration — OSC 133 prompt marks and OSC 7 injected through a ' +
      'generated start-up file that reads your own (~/.bashrc, $ZDOTDIR/.zshrc, config.fish), none of which is changed. ' +
      'Enables POST /run, GET /commands and /wait {"command": "finished"}'),
    shellIntegration: z.boolean().optional().describe(
      'with command: inject shell integration into it, which must be bash, zsh or fish by its file name (e.g. "/usr/local/bin/bash")'),
    args: SessionArgs.default([]).describe('arguments; with shell integration they follow ours, and those that would skip the start-up files (bash --norc, -c, -l; zsh -f; fish -c) are refused'),
    cwd: SessionCwd.optional().describe('absolute path of an existing directory; default: the server\'s cwd'),
    env: SessionEnv
      .optional()
      .describe('added to the server environment; TERM is always xterm-256color'),
    cols: z.number().int().min(2).max(4096).default(80),
    rows: z.number().int().min(1).max(4096).default(24),
    scrollback: z.number().int().min(0).optional().describe('scrollback lines; default and maximum: TERMPOOL_SCROLLBACK'),
    record: RecordOption,
  })
  .strict()
  .meta({ id: 'CreateSession' });

export const SessionInfo = z
  .object({
    id: z.string(),
    pid: z.number().int(),
    command: z.string(),
    args: z.array(z.string()),
    cwd: z.string(),
    state: z.enum(['running', 'exited', 'archived']).describe('archived: the program ended and the session is read from the archive store (after a restart, or once evicted from memory); only its description, screen and scrollback can be read'),
    exitCode: z.number().int().nullable().describe('null while running or when ended by a signal'),
    signal: z.string().nullable().describe('signal name (e.g. SIGHUP) when the program was killed by one'),
    cols: z.number().int(),
    rows: z.number().int(),
    scrollback: z.number().int().describe('scrollback limit in lines'),
    scrollbackLength: z.number().int().describe('scrollback lines currently kept'),
    title: z.string(),
    pageCount: z.number().int().describe('pool pages the terminal holds'),
    bytesParsed: z.number().int(),
    inputPending: z.number().int().describe('bytes of input the program has not read yet (at most TERMPOOL_INPUT_BACKLOG_BYTES; more is refused with 429 INPUT_BACKLOG)'),
    createdAt: z.string().describe('ISO 8601'),
    exitedAt: z.string().nullable(),
    recording: z.boolean().describe('created with record: true'),
    recordingTruncated: z.boolean().describe('the recording reached TERMPOOL_RECORDING_MAX_BYTES and stopped'),
    shell: z.enum(SHELL_KINDS).nullable().optional().describe('the shell integration injected (POST /run works), or null'),
  })
  .meta({ id: 'Session' });

/** One peer's part of a cluster-wide list (TERMPOOL_PEERS, src/cluster/cluster-list.ts). */
const PeerStatus = z.object({
  name: z.string().describe('the peer\'s TERMPOOL_ID_PREFIX (its pod name)'),
  url: z.string(),
  ok: z.boolean().describe('false: the peer did not answer in time or answered an error; its sessions are missing'),
  sessions: z.number().int().describe('sessions it listed'),
  error: z.string().optional().describe('why it is missing (at most 300 characters of the peer\'s own error, then how long it was)'),
});

export const SessionList = z.object({
  sessions: z.array(SessionInfo),
  cluster: z.object({
    self: z.string().describe('the answering server\'s TERMPOOL_ID_PREFIX'),
    complete: z.boolean().describe('every peer answered: the list holds every session of the cluster'),
    peers: z.array(PeerStatus),
  }).optional().describe('only with TERMPOOL_PEERS set: the list is cluster-wide, and these are the other pods asked'),
}).meta({ id: 'SessionList' });

export const ResizeBody = z
  .object({
    cols: z.number().int().min(2).max(4096),
    rows: z.number().int().min(1).max(4096),
  })
  .strict()
  .meta({ id: 'Resize' });

export const ArchiveHealth = z
  .object({
    status: z.enum(['ok', 'degraded', 'off', 'unavailable']).describe('degraded: working, with the problems listed; unavailable: no usable store'),
    sessions: z.number().int().describe('archived sessions that can be read'),
    damagedSessions: z.number().int().describe('archived sessions whose stored copy failed its checks (answered with 410 ARCHIVE_CORRUPT)'),
    code: z.enum(['ARCHIVE_FOREIGN', 'ARCHIVE_NOT_SQLITE', 'ARCHIVE_UNIDENTIFIED', 'ARCHIVE_NOT_A_FILE', 'ARCHIVE_NO_ACCESS', 'ARCHIVE_READ_ONLY', 'ARCHIVE_NO_SPACE', 'ARCHIVE_TOO_NEW', 'ARCHIVE_IO']).optional()
      .describe('only when unavailable: why (the file at the path was left untouched): another program\'s SQLite database, not SQLite, an unreadable database without termpool\'s mark, a directory, permission denied, read-only, no space, a newer schema, another I/O error. Names no path, so it is given without the token too'),
    problems: z.array(z.string()).optional()
      .describe('latest problems (damaged file moved aside, failed writes); they name session ids and file paths, so with TERMPOOL_TOKEN set only a request carrying the token gets them'),
  })
  .meta({ id: 'ArchiveHealth' });

export const Health = z
  .object({
    status: z.literal('ok'),
    sessions: z.number().int(),
    uptimeSeconds: z.number(),
    archive: ArchiveHealth,
    containment: z.enum(['cgroup', 'session'])
      .describe('what ends every process of a session with it: cgroup = its own cgroup v2 (left only by a deliberate write to another cgroup); session = its POSIX session id and descendants (a setsid-ed process whose parent exited escapes)'),
    sandbox: z.enum(['off', 'bwrap']).describe('bwrap: each program runs under bubblewrap (TERMPOOL_SANDBOX)'),
  })
  .meta({ id: 'Health' });
