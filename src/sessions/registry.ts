/**
 * The session registry: id → Session, the limits a client cannot exceed, reaping of exited
 * sessions after the retention period, and `closeAll()` for shutdown. With an archive
 * (src/archive/session-archive.ts) it also archives every session whose program exits while it
 * is registered or during shutdown (not one being deleted), and answers for archived sessions:
 * `read` and `listAll` include them, `get` refuses them with 409 SESSION_ARCHIVED.
 *
 * Limits are checked here (not in routes) so every entry point — HTTP, WebSocket, tests — gets
 * the same coded errors. An exited session still counts towards `maxSessions` (it holds pages)
 * until reaped, but when the cap is reached the oldest exited session is dropped to make room.
 */
import { RecordingBudget } from '../cast/index.js';
import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { statSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '../config.js';
import { defaultPool, type PagePool } from '../engine/index.js';
import { ServiceError, archiveCorrupt, archived, exited, notFound } from '../errors.js';
import type { ArchivedSession } from '../archive/archived-session.js';
import type { SessionArchive } from '../archive/session-archive.js';
import { Session, type SessionOptions, type SessionSpec } from './session.js';
import { childEnv } from './child-env.js';
import { checkExecLimits } from './exec-limits.js';
import { Containment } from './containment.js';
import { Sandbox } from './sandbox.js';
import { findOnPath, isExecutableFile } from './executable.js';
import { RegexBudget } from './regex-budget.js';
import { Waits } from './wait.js';
import { ShellRuns } from './run-command.js';
import { resolveShell, ShellIntegration, type ShellRequest } from './shell-integration.js';

export type CreateRequest = Partial<Omit<SessionSpec, 'command'>> & ShellRequest & { record?: SessionOptions['record'] };

/** `created` fires once per session, right after it is registered (metrics count sessions and bytes by it). */
export class SessionRegistry extends EventEmitter<{ created: [session: Session] }> {
  private readonly sessions = new Map<string, Session>();
  private readonly reapTimers = new Map<string, NodeJS.Timeout>();
  private closing = false;

  /** Bytes all recordings may hold together (TERMPOOL_RECORDING_TOTAL_MAX_BYTES). */
  readonly recordingBudget: RecordingBudget;

  /** What contains each session's processes (TERMPOOL_CONTAINMENT; reported by /healthz). */
  readonly containment: Containment;
  /** The sandbox every program runs in (TERMPOOL_SANDBOX), or null. */
  readonly sandbox: Sandbox | null;

  /** The event loop's share for wait checks and history searches (TERMPOOL_REGEX_SLICE_MS, _SEARCHES). */
  readonly regexBudget: RegexBudget;
  /** Every pending wait, within TERMPOOL_MAX_WAITS_PER_SESSION / TERMPOOL_MAX_WAITS. */
  readonly waits: Waits;
  /** The generated start-up files of sessions with shell integration (removed at closeAll). */
  readonly shells = new ShellIntegration();
  /** POST /run and MCP run_command: one command at a time per session, waiting through `waits`. */
  readonly runs: ShellRuns;

  /** Throws ConfigError when TERMPOOL_CONTAINMENT=cgroup or TERMPOOL_SANDBOX=bwrap cannot work here. */
  constructor(readonly config: Config, readonly pool: PagePool = defaultPool, readonly archive: SessionArchive | null = null) {
    super();
    this.recordingBudget = new RecordingBudget(config.recordingTotalMaxBytes);
    this.sandbox = Sandbox.create(config.sandbox, {
      network: config.sandboxNetwork,
      // The archive's whole directory: SQLite keeps -wal and -shm files beside the database.
      hide: [...(config.archivePath !== null ? [path.dirname(config.archivePath)] : []), ...config.sandboxHide],
    });
    this.containment = Containment.create(config.containment);
    this.regexBudget = new RegexBudget({ sliceMs: config.regexSliceMs, searches: config.regexSearches });
    this.waits = new Waits({ perSession: config.maxWaitsPerSession, total: config.maxWaits }, this.regexBudget);
    this.runs = new ShellRuns(this.waits);
  }

  get size(): number { return this.sessions.size; }

  /** Live sessions (running and exited, not yet reaped). */
  list(): Session[] { return [...this.sessions.values()]; }

  /** Live sessions, then archived ones that are no longer live. */
  listAll(): (Session | ArchivedSession)[] {
    const archived = this.archive?.list().filter((a) => !this.sessions.has(a.id)) ?? [];
    return [...this.sessions.values(), ...archived];
  }

  /** The live session, or 409 SESSION_ARCHIVED / 410 ARCHIVE_CORRUPT / 404. */
  get(id: string): Session {
    const s = this.sessions.get(id);
    if (!s) {
      if (this.archive?.get(id)) throw archived(id);
      throw this.missing(id);
    }
    s.touch();
    return s;
  }

  /** For reading: the live session or its archived copy; else 410 ARCHIVE_CORRUPT / 404. */
  read(id: string): Session | ArchivedSession {
    const s = this.sessions.get(id);
    if (s) {
      s.touch();
      return s;
    }
    const a = this.archive?.get(id);
    if (a) return a;
    throw this.missing(id);
  }

  private missing(id: string): ServiceError {
    const why = this.archive?.damage(id);
    return why === undefined ? notFound(id) : archiveCorrupt(id, why);
  }

  /** The session if it is still running, else 404/409. */
  getRunning(id: string): Session {
    const s = this.get(id);
    if (!s.running) throw exited(id);
    return s;
  }

  /** Validates the request against the limits, spawns the program and registers it. */
  create(req: CreateRequest): Session {
    if (this.closing) throw new ServiceError('SHUTTING_DOWN', 'the server is shutting down; no new sessions');
    const c = this.config;
    const cols = req.cols ?? 80;
    const rows = req.rows ?? 24;
    this.checkSize(cols, rows);
    const scrollback = req.scrollback ?? c.scrollback;
    if (scrollback > c.scrollback) {
      throw new ServiceError('BAD_SIZE', `scrollback ${scrollback} is over the server limit ${c.scrollback} (TERMPOOL_SCROLLBACK)`);
    }
    checkNoNul(req);
    const { command, kind: shell } = resolveShell(req);
    const cwd = req.cwd ?? process.cwd();
    checkCwd(cwd);
    let env = req.env ?? {};
    let childEnvironment = childEnv({ inherited: process.env, drop: c.envDrop, requested: env });
    checkCommand(command, cwd, childEnvironment['PATH'] ?? '');
    // Shell integration: our start-up file before the request's arguments (src/sessions/shell-integration.ts).
    const program = shell === null ? { command, args: req.args ?? [], env: {}, mounts: {}, nonce: undefined, release: () => {} } : this.shells.launch(shell, command, req.args ?? [], childEnvironment);
    if (shell !== null) {
      env = { ...env, ...program.env };
      childEnvironment = childEnv({ inherited: process.env, drop: c.envDrop, requested: env });
    }
    // Past the kernel's limits exec fails in the child, after a 201: refuse before spawning.
    const launched = this.sandbox?.launch(program.command, program.args, cwd, program.mounts) ?? program;
    try { checkExecLimits([launched.command, ...launched.args], childEnvironment); } catch (err) { program.release(); throw err; }
    if (this.sessions.size >= c.maxSessions) this.evictOldestExited();
    if (this.sessions.size >= c.maxSessions) {
      program.release();
      throw new ServiceError(
        'SESSION_LIMIT',
        `session limit reached: ${c.maxSessions} sessions are open (TERMPOOL_MAX_SESSIONS); delete one first`,
      );
    }
    const id = this.newId();
    let session: Session;
    try {
      session = new Session({
        envDrop: c.envDrop, processes: this.containment.forSession(id), sandbox: this.sandbox,
        id, command: program.command, args: program.args, cwd, env, cols, rows, scrollback, shell, sandboxMounts: program.mounts,
        ...(program.nonce !== undefined && { shellNonce: program.nonce }),
        pool: this.pool, idleTimeoutMs: c.idleTimeoutMs,
        record: req.record ?? false, recordingMaxBytes: c.recordingMaxBytes, recordingBudget: this.recordingBudget,
        inputBacklogBytes: c.inputBacklogBytes,
      });
    } catch (err) {
      program.release();
      throw new ServiceError('SPAWN_FAILED', `cannot start '${command}': ${err instanceof Error ? err.message : String(err)}`);
    }
    this.sessions.set(id, session);
    session.once('exit', () => {
      program.release(); // the nonce's file, if the shell could not delete it (shell-integration.ts)
      // Synchronous, before anything disposes the terminal (Session.dispose awaits this exit).
      if (this.archive && (this.closing || this.sessions.get(id) === session)) this.archive.save(session);
      this.scheduleReap(session);
    });
    this.emit('created', session);
    return session;
  }

  /** Throws BAD_SIZE unless cols×rows is within the configured limits. */
  checkSize(cols: number, rows: number): void {
    const c = this.config;
    if (cols < 2 || cols > c.maxCols || rows < 1 || rows > c.maxRows) {
      throw new ServiceError('BAD_SIZE', `size ${cols}x${rows} is outside the limits 2..${c.maxCols} columns, 1..${c.maxRows} rows`);
    }
  }

  /** Kills the session's process group, releases its pages and forgets it, archived copy included. */
  async remove(id: string): Promise<void> {
    const s = this.sessions.get(id);
    const inArchive = this.archive?.has(id) ?? false;
    if (!s && !inArchive) throw notFound(id);
    if (inArchive) this.archive!.delete(id);
    if (!s) return;
    this.forget(id);
    await s.dispose();
  }

  /** Shutdown: no new sessions; every process group killed, every Terminal disposed. */
  async closeAll(): Promise<void> {
    this.closing = true;
    const all = this.list();
    for (const s of all) this.forget(s.id);
    await Promise.all(all.map((s) => s.dispose()));
    this.containment.close();
    this.shells.close();
  }

  private forget(id: string): void {
    this.sessions.delete(id);
    const t = this.reapTimers.get(id);
    if (t) { clearTimeout(t); this.reapTimers.delete(id); }
  }

  private scheduleReap(s: Session): void {
    if (this.sessions.get(s.id) !== s) return;
    const reap = (): void => {
      this.reapTimers.delete(s.id);
      if (this.sessions.get(s.id) !== s) return;
      this.sessions.delete(s.id);
      // The archive's own timer deletes the row at the same moment; this covers clock skew.
      this.archive?.delete(s.id);
      void s.dispose();
    };
    const t = setTimeout(reap, this.config.exitedRetentionMs);
    t.unref();
    this.reapTimers.set(s.id, t);
  }

  private evictOldestExited(): void {
    let oldest: Session | null = null;
    for (const s of this.sessions.values()) {
      if (!s.running && (oldest === null || (s.exitedAt?.getTime() ?? 0) < (oldest.exitedAt?.getTime() ?? 0))) oldest = s;
    }
    if (oldest) {
      this.forget(oldest.id);
      void oldest.dispose();
    }
  }

  /** 12 random hex digits, after `TERMPOOL_ID_PREFIX-` when set (the pod name, for routing). */
  private newId(): string {
    const prefix = this.config.idPrefix ? `${this.config.idPrefix}-` : '';
    for (;;) {
      const id = prefix + randomBytes(6).toString('hex');
      if (!this.sessions.has(id) && !(this.archive?.has(id) ?? false)) return id;
    }
  }
}

/** exec takes C strings: a NUL would silently cut an argument or variable short, so refuse it. */
function checkNoNul(req: CreateRequest): void {
  const bad = (s: string): boolean => s.includes('\0');
  const i = (req.args ?? []).findIndex(bad);
  if (i >= 0) throw new ServiceError('VALIDATION', `args[${i}] contains a NUL byte, which a program cannot receive`);
  const k = Object.entries(req.env ?? {}).find(([, v]) => bad(v))?.[0];
  if (k !== undefined) throw new ServiceError('VALIDATION', `env ${k} contains a NUL byte, which a program cannot receive`);
}

function checkCwd(cwd: string): void {
  let isDir = false;
  try { isDir = statSync(cwd).isDirectory(); } catch { /* missing */ }
  if (!path.isAbsolute(cwd)) throw new ServiceError('BAD_CWD', `cwd '${cwd}' must be an absolute path`);
  if (!isDir) throw new ServiceError('BAD_CWD', `cwd '${cwd}' does not exist or is not a directory`);
}

/** node-pty reports a missing program only as an exit; check first so the client gets a 400. */
export function checkCommand(command: string, cwd: string, searchPath: string): void {
  if (command.includes('/')) {
    if (!isExecutableFile(path.resolve(cwd, command))) throw new ServiceError('SPAWN_FAILED', `command '${command}' is not an executable file`);
    return;
  }
  if (findOnPath(command, searchPath) !== null) return;
  throw new ServiceError('SPAWN_FAILED', `command '${command}' not found in PATH`);
}
