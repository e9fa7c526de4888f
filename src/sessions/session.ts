/**
 * One session: a program under a pty (the only node-pty import in termpool) feeding a Terminal
 * that takes its pages from the shared pool, labelled with the session id.
 *
 * Owns: the pty and its process group, the Terminal, exit status, the last complete frame of a
 * synchronized update, the idle timer, and the served screen's lines (cached until the screen
 * can have changed, so readers between two outputs — snapshot requests, waiters, viewers —
 * share one read of the Terminal). Everything that watches a session (wait, WebSocket,
 * metrics) subscribes to its events instead of polling:
 *   - `output` (bytes the program wrote, after the Terminal parsed them)
 *   - `update` (the served screen may have changed: output, resize, end of a sync frame, exit)
 *   - `exit`   (the program exited; final screen and scrollback stay until `dispose`)
 *   - `closed` (disposed: Terminal pages are back in the pool; no more events)
 *
 * Recording (`record: true`): output, typed input and resizes are tapped into an asciicast
 * writer (src/cast), which outlives the program until the session is disposed.
 *
 * Synchronized output (DEC mode 2026): output is split at `CSI ? 2026 h`, and the screen at that
 * instant is kept as `frame` (a snapshot without scrollback). While the mode is on, readers get
 * that frame, not the half-drawn screen; when the program resets the mode (or after
 * SYNC_FRAME_TIMEOUT_MS, as terminals do, so a crashed program cannot freeze the view) readers
 * see the live screen again. Cost: one screen-sized snapshot per frame start, nothing otherwise.
 * NOTE: a `CSI ? 2026 h` split across two pty reads, or set together with other modes
 * (`CSI ? 1;2026 h`), is only noticed after the read, so that frame may include the first part
 * of the update.
 */
import { EventEmitter } from 'node:events';
import { constants as osConstants } from 'node:os';
import * as pty from 'node-pty';
import { Terminal, defaultPool, type PagePool, type ScreenSnapshot } from '../engine/index.js';
import type { InputModes } from '../input/index.js';
import { CastWriter, commandLine, type CastFormat, type RecordingBudget } from '../cast/index.js';
import { drainBeforeDestroy } from './pty-drain.js';
import { childEnv } from './child-env.js';
import { Containment, type SessionProcesses } from './containment.js';
import type { Sandbox, SandboxMounts } from './sandbox.js';
import { PtyInput, ptyFd, type PtyFd } from './pty-input.js';
import { frameSnapshot, type Frame } from './sync-frame.js';
import type { CommandEvent } from '../engine/index.js';
import type { ShellKind } from './shell-integration.js';
import { ColdSweep } from './cold-sweep.js';

/** After this long in one synchronized frame the live screen is served again. */
export const SYNC_FRAME_TIMEOUT_MS = 1000;
/** Grace between SIGHUP and SIGKILL when closing a process group. */
export const KILL_GRACE_MS = 1500;
/**
 * How long after a resize its reflow waits for more (see Session.resize): a burst that arrives
 * over several turns of the event loop — 20 POSTs on 20 connections — is one reflow, as a
 * terminal emulator redraws a dragged window once a frame. A session whose last reflow took
 * longer waits that long instead, so a stream of resizes reflows at most half the time.
 */
export const RESIZE_SETTLE_MS = 20;
export { BUSY_SWEEP_MS, QUIET_SWEEP_MS } from './cold-sweep.js';

const SYNC_ON = Buffer.from('\x1b[?2026h');
const SYNC_OFF = Buffer.from('\x1b[?2026l');

/** DECSET numbers → the names src/input uses (the engine's snapshot uses the same names). */
const TRACKING_NAMES: Record<number, string> = { 9: 'x10', 1000: 'normal', 1002: 'button', 1003: 'any' };
const ENCODING_NAMES: Record<number, string> = { 1005: 'utf8', 1006: 'sgr', 1015: 'urxvt', 1016: 'sgr-pixels' };

// Reversed so that the first name listed for a number wins: SIGABRT, not its alias SIGIOT (6).
const SIGNAL_NAMES = new Map<number, string>(Object.entries(osConstants.signals).map(([k, v]) => [v, k] as const).reverse());

export interface SessionSpec {
  command: string;
  args: string[];
  cwd: string;
  /**
   * Added to (and overriding) the server's environment, which comes without TERMPOOL_* and the
   * TERMPOOL_ENV_DROP names (src/sessions/child-env.ts); TERM is always xterm-256color.
   */
  env: Record<string, string>;
  cols: number;
  rows: number;
  scrollback: number;
}

export interface SessionOptions extends SessionSpec {
  id: string;
  pool?: PagePool;
  /** 0 = never. */
  idleTimeoutMs: number;
  /** Record an asciicast of output, input and resizes (true: v2; or the format). */
  record?: boolean | { format?: CastFormat };
  /** Cap on the recording's size in bytes (see CastWriter); default 32 MiB. */
  recordingMaxBytes?: number;
  /** Shared cap over every session's recording (TERMPOOL_RECORDING_TOTAL_MAX_BYTES). */
  recordingBudget?: RecordingBudget;
  /** Input accepted but not yet read by the program, at most (TERMPOOL_INPUT_BACKLOG_BYTES). */
  inputBacklogBytes?: number;
  /** TERMPOOL_ENV_DROP: server variables the program does not inherit (besides TERMPOOL_*). */
  envDrop?: readonly string[];
  /** What contains the program's processes (the registry's Containment); default: session ids. */
  processes?: SessionProcesses;
  /** Run the program under this sandbox (TERMPOOL_SANDBOX); default none. */
  sandbox?: Sandbox | null;
  /** What the sandboxed program must see of the host's /tmp (shell integration's files); the shell injected, if any. */
  sandboxMounts?: SandboxMounts;
  shell?: ShellKind | null;
  /** The secret the injected shell signs its marks with: only marks carrying it start and end commands. */
  shellNonce?: string;
}

export const DEFAULT_INPUT_BACKLOG_BYTES = 1024 * 1024;

export const DEFAULT_RECORDING_MAX_BYTES = 32 * 1024 * 1024;

export type SessionState = 'running' | 'exited';

interface SessionEvents {
  output: [chunk: Buffer];
  update: [];
  exit: [exitCode: number | null, signal: string | null];
  closed: [];
  /** A shell command started or finished (shell integration; emitted after the output that said so is parsed). */
  command: [e: CommandEvent];
  /** A marker was added to the recording (POST /v1/sessions/{id}/marker): live streams send it too (routes/alis.ts). */
  marker: [label: string];
}

export class Session extends EventEmitter<SessionEvents> {
  readonly id: string;
  readonly spec: SessionSpec;
  readonly pid: number;
  readonly createdAt = new Date();
  state: SessionState = 'running';
  exitCode: number | null = null;
  signal: string | null = null;
  exitedAt: Date | null = null;
  /** Time of the last pty output (ms since epoch): `stableMs` waits measure from here. */
  lastOutputAt = Date.now();
  /** Bumped on every change readers could see; lets waiters skip re-reading an unchanged screen. */
  version = 0;
  /** Output chunks whose processing threw (an engine or listener bug); 0 in a healthy session. */
  internalErrors = 0;
  /** The asciicast being recorded, when created with `record: true`. */
  readonly recording: CastWriter | null;
  /** Reflows of the Terminal to a new size so far (a figure for tests: a burst of resizes makes one). */
  reflows = 0;
  /** The shell integration injected at start (src/sessions/shell-integration.ts), or null. */
  readonly shell: ShellKind | null;

  private readonly term: Terminal;
  private readonly commandEvents: CommandEvent[] = [];
  /** The size last asked for, while its reflow is still to come (see `resize`). */
  private pendingSize: { cols: number; rows: number } | null = null;
  private resizeScheduled = false;
  /** How long the last reflow took, ms. */
  private lastReflowMs = 0;
  /** A reflow applied by a reader, whose `update` the scheduled turn still owes. */
  private resizeUpdateOwed = false;
  private resizeWaiters: (() => void)[] = [];

  private readonly pty: pty.IPty;
  /** Every process of the session, the leader's group and whatever left it (src/sessions/containment.ts). */
  private readonly processes: SessionProcesses;
  /** The master fd while node-pty still owns it (null: node-pty's internals are not there). */
  private readonly ptyFd: PtyFd | null;
  /** Input on its way to the program (src/sessions/pty-input.ts says why not node-pty's write). */
  private readonly input: PtyInput | null;
  /**
   * `screenLines()` as last computed, and whether it came from a frame. Dropped whenever the
   * Terminal or the frame changes (feed, resize, frame start/end); a frame that merely times
   * out is caught by `framed` no longer matching `inFrame`.
   */
  private linesCache: { lines: string[]; framed: boolean } | null = null;
  private frame: Frame | null = null;
  private frameTimer: NodeJS.Timeout | null = null;
  private idleTimer: NodeJS.Timeout | null = null;
  private readonly idleTimeoutMs: number;
  private disposed = false;
  private exitPromise: Promise<void>;

  /** Spawns the program; throws (node-pty's error) when it cannot be started. */
  constructor(opts: SessionOptions) {
    super();
    this.setMaxListeners(0);
    this.id = opts.id;
    this.spec = { command: opts.command, args: opts.args, cwd: opts.cwd, env: opts.env, cols: opts.cols, rows: opts.rows, scrollback: opts.scrollback };
    this.idleTimeoutMs = opts.idleTimeoutMs;
    this.shell = opts.shell ?? null;
    this.term = new Terminal({
      cols: opts.cols,
      rows: opts.rows,
      scrollback: opts.scrollback,
      pool: opts.pool ?? defaultPool,
      label: opts.id,
      // Replies (DA, CPR, DECRQM, colour queries) go straight back to the program.
      onReply: (data) => this.writeRaw(data),
      onCommand: (e) => this.commandEvents.push(e),
    });
    if (opts.shellNonce !== undefined) this.term.semantic.requireNonce(opts.shellNonce);
    this.processes = opts.processes ?? Containment.sessionIds().forSession(opts.id);
    const env = childEnv({ inherited: process.env, drop: opts.envDrop ?? [], requested: opts.env });
    // Innermost the sandbox, around it the containment: the program joins its cgroup before
    // bwrap (or the program itself) starts, so nothing it starts is ever outside it.
    const sandboxed = opts.sandbox ? opts.sandbox.launch(opts.command, opts.args, opts.cwd, opts.sandboxMounts) : { command: opts.command, args: opts.args };
    const launch = this.processes.launch(sandboxed.command, sandboxed.args);
    try {
      this.pty = pty.spawn(launch.command, launch.args, {
        name: 'xterm-256color',
        cols: opts.cols,
        rows: opts.rows,
        cwd: opts.cwd,
        env,
        // Raw bytes: the engine's UTF-8 decoder handles sequences split across reads.
        encoding: null,
      });
    } catch (err) {
      this.term.dispose();
      void this.processes.release(0);
      throw err;
    }
    this.pid = this.pty.pid;
    this.processes.attach(this.pid);
    this.ptyFd = ptyFd(this.pty);
    this.input = this.ptyFd && new PtyInput(this.ptyFd, opts.inputBacklogBytes ?? DEFAULT_INPUT_BACKLOG_BYTES);
    this.recording = opts.record
      ? new CastWriter({
        width: opts.cols,
        height: opts.rows,
        command: commandLine(opts.command, opts.args),
        ...(typeof opts.record === 'object' && opts.record.format !== undefined && { format: opts.record.format }),
        env: { TERM: 'xterm-256color', ...(env['SHELL'] !== undefined && { SHELL: env['SHELL'] }) },
        startedAt: this.createdAt,
        maxBytes: opts.recordingMaxBytes ?? DEFAULT_RECORDING_MAX_BYTES,
        ...(opts.recordingBudget !== undefined && { budget: opts.recordingBudget }),
      })
      : null;
    this.pty.onData((d: string | Buffer) => this.feedSafely(typeof d === 'string' ? Buffer.from(d, 'utf8') : d));
    // Output still in the pty when node-pty gives up waiting after the exit is read here, so
    // the final screen (and the archive made from it) has every line the program wrote.
    drainBeforeDestroy(this.pty, (chunk) => this.feedSafely(chunk));
    this.exitPromise = new Promise((resolve) => {
      this.pty.onExit(({ exitCode, signal }) => {
        this.onExit(exitCode, signal ?? 0);
        resolve();
      });
    });
    this.touch();
  }

  /**
   * The Terminal, at the size last asked for: a resize still pending is applied first, so no
   * reader (snapshot, wait, info, search, archive) ever sees the size before it.
   */
  get terminal(): Terminal {
    if (this.pendingSize !== null) this.applyResize();
    return this.term;
  }

  get running(): boolean { return this.state === 'running'; }
  get isDisposed(): boolean { return this.disposed; }

  /**
   * Writes to the program as if typed (strings UTF-8). Callers check `running` first (409
   * otherwise). Returns false, taking nothing, when the program has not read enough of what it
   * was sent to make room (the input backlog is full: 429 INPUT_BACKLOG).
   */
  write(data: string | Buffer): boolean {
    this.touch();
    if (!this.writeRaw(data, false)) return false;
    if (this.running && !this.disposed) this.recording?.input(data);
    return true;
  }

  /** Input accepted and not yet taken by the pty (bytes). */
  get inputPending(): number { return this.input?.pending ?? 0; }
  /** The most input that may wait for the program (bytes). */
  get inputBacklogLimit(): number { return this.input?.maxPending ?? 0; }
  /** write(2) calls made for this session's input so far (a figure for tests: no spinning). */
  get inputWriteAttempts(): number { return this.input?.writeAttempts ?? 0; }

  /**
   * The pty is resized at once (the program gets its SIGWINCH now), the Terminal's reflow — 150
   * to 600 ms for a 500x200 screen with 10,000 styled lines — RESIZE_SETTLE_MS later (or as long
   * as the last reflow took), to the last size asked for by then: a burst of resizes (a window
   * being dragged, 20 POSTs at once) costs one reflow, not one each. Anything that reads the
   * Terminal before then, output from the program included, applies it first (`terminal`). The
   * recording gets the sizes applied, so a replay reflows as the session did.
   * NOTE: merging skips the reflows in between, which could have pushed lines out of a full
   * scrollback (wrapped at a narrower width): the result is the one a single resize gives.
   */
  resize(cols: number, rows: number): void {
    this.touch();
    if (this.disposed) return;
    // The ioctl goes to the fd number: only while the pty's socket still owns it.
    if (this.running && (this.ptyFd?.owned() ?? true)) {
      try { this.pty.resize(cols, rows); } catch { /* the child may be exiting */ }
    }
    this.spec.cols = cols;
    this.spec.rows = rows;
    this.pendingSize = { cols, rows };
    if (!this.resizeScheduled) {
      this.resizeScheduled = true;
      setTimeout(() => this.resizeTurn(), Math.max(RESIZE_SETTLE_MS, this.lastReflowMs));
    }
  }

  /** Resolves once every resize asked for so far is applied to the Terminal (after its reflow). */
  resized(): Promise<void> {
    if (!this.resizeScheduled) return Promise.resolve();
    return new Promise((resolve) => this.resizeWaiters.push(resolve));
  }

  private resizeTurn(): void {
    this.resizeScheduled = false;
    if (this.pendingSize !== null) this.applyResize();
    if (this.resizeUpdateOwed && !this.disposed) {
      this.resizeUpdateOwed = false;
      this.changed();
    }
    const waiters = this.resizeWaiters;
    this.resizeWaiters = [];
    for (const resolve of waiters) resolve();
  }

  /**
   * The pending reflow. Readers call it from anywhere (an `update` listener among them), so it
   * does not emit: the scheduled turn sends the `update`.
   */
  private applyResize(): void {
    const p = this.pendingSize;
    this.pendingSize = null;
    if (p === null || this.disposed) return;
    if (p.cols !== this.term.cols || p.rows !== this.term.rows) this.reflows++;
    const t0 = performance.now();
    this.term.resize(p.cols, p.rows);
    this.lastReflowMs = performance.now() - t0;
    this.recording?.resize(p.cols, p.rows);
    this.linesCache = null;
    // The program redraws after SIGWINCH; a frame of the old size is no longer worth serving.
    this.endFrame();
    this.version++;
    this.resizeUpdateOwed = true;
  }

  /** Marks client activity (resets the idle timer). */
  touch(): void {
    if (this.idleTimeoutMs <= 0 || !this.running || this.disposed) return;
    if (this.idleTimer) this.idleTimer.refresh();
    else {
      this.idleTimer = setTimeout(() => this.idleExpired(), this.idleTimeoutMs);
      this.idleTimer.unref();
    }
  }

  /** Live viewers attached (WebSocket): someone is watching, so the session is not idle. */
  watchers = 0;

  private idleExpired(): void {
    if (this.watchers > 0) {
      this.idleTimer?.refresh();
      return;
    }
    void this.kill();
  }

  // ------------------------------------------------------------------ reading

  /** The live modes the input encoders need (never a frozen frame's: input goes to the program now). */
  inputModes(): InputModes {
    const m = this.terminal.modes;
    return {
      applicationCursorKeys: m.appCursor,
      applicationKeypad: m.appKeypad,
      bracketedPaste: m.bracketedPaste,
      mouseTracking: TRACKING_NAMES[m.mouseTracking] ?? 'none',
      mouseEncoding: ENCODING_NAMES[m.mouseEncoding] ?? 'default',
    };
  }

  /** True while a synchronized update is in progress and its start frame is being served. */
  get inFrame(): boolean {
    return this.frame !== null && Date.now() - this.frame.at < SYNC_FRAME_TIMEOUT_MS;
  }

  /**
   * The visible screen as served: right-trimmed lines (the last complete frame during mode 2026).
   * NOTE: the array is shared by every caller until the screen changes, and frozen: copy it
   * before changing it. A new array is returned exactly when the served screen may differ, so
   * callers may cache what they derive from it by its identity.
   */
  screenLines(): string[] {
    if (this.pendingSize !== null) this.applyResize();
    const framed = this.inFrame;
    const c = this.linesCache;
    if (c !== null && c.framed === framed) return c.lines;
    const lines = Object.freeze(framed ? this.frame!.snap.lines.map((l) => l.text) : this.terminal.screenLines()) as string[];
    this.linesCache = { lines, framed };
    return lines;
  }

  /** Snapshot as served, with `scrollback` lines above the screen (see the header on frames). */
  snapshot(scrollback = 0): ScreenSnapshot {
    if (this.pendingSize !== null) this.applyResize();
    const f = this.inFrame ? this.frame : null;
    return f ? frameSnapshot(f, this.terminal, scrollback) : this.terminal.snapshot(scrollback);
  }

  // ------------------------------------------------------------------ lifecycle

  /**
   * Ends the program and every process of its session: SIGHUP to its process group and to every
   * other process of the session (jobs in their own groups, `setsid` children, cgroup members),
   * SIGKILL to all after KILL_GRACE_MS, and resolves once the pty has reported the exit (which
   * also kills what is left) and no process of the session remains. Safe to call twice or after
   * exit.
   */
  async kill(): Promise<void> {
    if (this.running) {
      // The session's processes first: once the group's SIGHUP has ended the leader, the
      // children it started with setsid are orphans that only a walk from it could find.
      this.processes.signal('SIGHUP');
      signalGroup(this.pid, 'SIGHUP');
      const t = setTimeout(() => {
        signalGroup(this.pid, 'SIGKILL');
        this.processes.killAll();
      }, KILL_GRACE_MS);
      await this.exitPromise;
      clearTimeout(t);
    }
    // Waits (bounded) until the SIGKILLs have taken effect, then removes the session's cgroup.
    const left = await this.processes.release();
    if (left > 0) process.emitWarning(`session ${this.id}: ${left} process(es) still alive after SIGKILL`, 'TermpoolSessionWarning');
  }

  /** Kills the program if needed and gives every page back to the pool. Idempotent. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    await this.kill();
    // Checks that must still read the final screen (a wait's last check after the exit, queued
    // under the regex budget) finish first; each may queue the next while it settles.
    while (this.holds.size > 0) await Promise.allSettled([...this.holds]);
    if (this.disposed) return;
    this.disposed = true;
    this.input?.close();
    this.clearTimers();
    this.coldSweep.cancel();
    this.endFrame();
    // NOTE: no pty.kill()/destroy() here: the program has been reaped and its pid may already
    // belong to someone else; node-pty closed its side of the pty before reporting the exit.
    this.pendingSize = null;
    this.term.dispose();
    this.recording?.release();
    this.emit('closed');
    this.removeAllListeners();
  }

  private readonly holds = new Set<Promise<unknown>>();

  /**
   * Keeps the Terminal (and so the final screen) until `work` settles: `dispose` waits for it.
   * For the last check of a wait queued when the program exited (src/sessions/wait-hub.ts), so
   * that a DELETE or a shutdown right after the exit answers the wait with what the final screen
   * says, not with SESSION_CLOSED.
   */
  holdOpen(work: Promise<unknown>): void {
    if (this.disposed) return;
    this.holds.add(work);
    const done = (): void => { this.holds.delete(work); };
    work.then(done, done);
  }

  /** Resolves when the program has exited (immediately if it has). */
  whenExited(): Promise<void> { return this.exitPromise; }

  // ------------------------------------------------------------------ internals

  /** `force`: the terminal's replies, which a client's backlog must not crowd out. */
  private writeRaw(data: string | Buffer, force = true): boolean {
    if (!this.running || this.disposed) return true;
    if (this.input !== null) return this.input.write(typeof data === 'string' ? Buffer.from(data, 'utf8') : data, force);
    try { this.pty.write(data); } catch { /* EIO while the child exits */ }
    return true;
  }

  /**
   * NOTE: this runs on node-pty's socket callback, where a throw would take the whole server
   * (every session) down. A failure here is contained to this session and reported.
   */
  private feedSafely(chunk: Buffer): void {
    try {
      this.feed(chunk);
    } catch (err) {
      this.internalErrors++;
      process.emitWarning(`session ${this.id}: output processing failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`, 'TermpoolSessionWarning');
    }
  }

  private feed(chunk: Buffer): void {
    if (this.disposed) return;
    // Written at the size the program was told of: a pending reflow first (and recorded first).
    if (this.pendingSize !== null) this.applyResize();
    // First: the screen changes from here on, even if parsing throws part-way, and an `output`
    // listener must already see the new one.
    this.linesCache = null;
    // Recorded before parsing: the cast keeps what the program wrote even if the engine throws.
    this.recording?.output(chunk);
    const t = this.terminal;
    let rest = chunk;
    while (rest.length > 0) {
      const on = t.modes.synchronizedOutput;
      const i = rest.indexOf(on ? SYNC_OFF : SYNC_ON);
      if (i < 0) { t.write(rest); break; }
      const end = i + SYNC_ON.length;
      t.write(rest.subarray(0, end));
      rest = rest.subarray(end);
      if (!on && t.modes.synchronizedOutput) this.startFrame();
    }
    if (!t.modes.synchronizedOutput) this.endFrame();
    else if (this.frame === null) this.startFrame();
    this.lastOutputAt = Date.now();
    this.touch();
    this.coldSweep.schedule();
    this.emit('output', chunk);
    for (const e of this.commandEvents.splice(0)) this.emit('command', e);
    this.changed();
  }

  private startFrame(): void {
    this.linesCache = null;
    this.frame = { snap: this.terminal.snapshot(0), scrollbackLength: this.terminal.scrollbackLength, at: Date.now() };
    if (this.frameTimer) this.frameTimer.refresh();
    else {
      // When the frame times out the served screen changes without output: tell waiters.
      this.frameTimer = setTimeout(() => { this.frameTimer = null; this.changed(); }, SYNC_FRAME_TIMEOUT_MS + 1);
      this.frameTimer.unref();
    }
  }

  private endFrame(): void {
    if (this.frame !== null) this.linesCache = null;
    this.frame = null;
    if (this.frameTimer) { clearTimeout(this.frameTimer); this.frameTimer = null; }
  }

  private changed(): void {
    this.version++;
    this.emit('update');
  }

  private onExit(exitCode: number, signal: number): void {
    // Background jobs left in the group must not outlive the session. Only now: the group id
    // is still reserved while any member lives, but once all are gone the pid can be reused,
    // so the group is never signalled again after this.
    signalGroup(this.pid, 'SIGKILL');
    // And every other process of the session: whatever left the group (src/sessions/containment.ts).
    this.processes.leaderGone();
    this.processes.killAll();
    this.input?.close();
    this.state = 'exited';
    this.exitedAt = new Date();
    this.signal = signal ? (SIGNAL_NAMES.get(signal) ?? String(signal)) : null;
    this.exitCode = signal ? null : exitCode;
    // asciinema's exit status: the code, or 128 + the signal's number.
    this.recording?.end(signal ? 128 + signal : exitCode);
    this.clearTimers();
    this.endFrame();
    if (this.disposed) return;
    // An exited session keeps its history for the retention period: compress it once quiet.
    this.coldSweep.schedule();
    this.emit('exit', this.exitCode, this.signal);
    this.changed();
  }

  private clearTimers(): void {
    if (this.idleTimer) { clearTimeout(this.idleTimer); this.idleTimer = null; }
  }

  /** Compresses every page above the screen (cold-sweep.ts says when). */
  private readonly coldSweep = new ColdSweep(() => {
    if (this.disposed) return;
    try { this.terminal.compressColdPages({ all: true }); } catch { this.internalErrors++; }
  });
}

/** Sends `sig` to the process group led by `pid` (node-pty makes the child a session leader). */
function signalGroup(pid: number, sig: NodeJS.Signals): void {
  try { process.kill(-pid, sig); } catch { /* ESRCH: the group is gone */ }
}
