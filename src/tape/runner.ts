/**
 * Runs a parsed tape headless: the shell under a real pty with termpool's engine in-process
 * (the service's Session, driven as the server drives one: keys encoded by src/input for the
 * program's current modes), no browser and no ttyd.
 *
 * Order, as VHS's evaluator.go: the leading Set/Output/Require commands are the header (applied
 * before the shell starts; Env anywhere is too, as VHS sets it in its own process first); a Set
 * later in the tape is ignored with a warning, except TypingSpeed. After every command run while
 * shown, the screen is one .txt frame (Hide stops that, Show resumes it and takes a frame).
 * A .gif is drawn from the recorded cast after the run (gif-output.ts).
 * Copy/Paste use a clipboard of the run's own (hermetic: never the desktop's). The shell gets a
 * fresh temporary HOME unless the tape sets `Env HOME`.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { CastWriter } from '../cast/index.js';
import { encodeKey } from '../input/index.js';
import { renderAnsi } from '../render/index.js';
import { checkCommand } from '../sessions/registry.js';
import { Session } from '../sessions/session.js';
import { TapeError, type Command } from './commands.js';
import { gifFromCast } from './gif-output.js';
import { pngFrame } from './png-frame.js';
import { PngFrames, type FrameStats } from './png-frames.js';
import { applySetting, defaultSettings, SHELLS, terminalSize, type TapeSettings } from './settings.js';
import { ShownClock } from './shown-clock.js';
import { TextFrames } from './text-output.js';

export interface RunOptions {
  /** Notes and warnings (ignored settings), one line each. */
  warn: (line: string) => void;
  /** Longest a shell may take to print its first prompt. */
  startTimeoutMs?: number;
}

export interface RunResult {
  textFrames: number;
  pngFrames: FrameStats | null;
  /** Time spent capturing .txt frames, ms (the frame pipeline's cost per command). */
  textFrameMs: number;
  outputs: string[];
}

/** Writes a file, making its directory first (VHS does for its golden file). */
function writeOutput(path: string, data: string | Uint8Array): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, data);
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Splits VHS's header (leading Set/Output/Require) from the body. */
function headerLength(cmds: readonly Command[]): number {
  let i = 0;
  while (i < cmds.length && (cmds[i]!.kind === 'set' || cmds[i]!.kind === 'output' || cmds[i]!.kind === 'require')) i++;
  return i;
}

/**
 * What must hold before the shell starts: programs named by Require and the shell exist.
 * Throws TapeError naming the line.
 */
export function preflight(cmds: readonly Command[], settings: TapeSettings, env: Record<string, string>): void {
  const path = env['PATH'] ?? process.env['PATH'] ?? '';
  for (const c of cmds) {
    if (c.kind === 'require') {
      try { checkCommand(c.program, process.cwd(), path); } catch {
        throw new TapeError(c.loc, `Require: '${c.program}' was not found in PATH`);
      }
    }
  }
  try { checkCommand(settings.shell, process.cwd(), path); } catch {
    const at = [...cmds].reverse().find((c) => c.kind === 'set' && c.name === 'Shell');
    throw new TapeError(at?.loc ?? null, `the shell '${settings.shell}' was not found in PATH`);
  }
}

export class TapeRunner {
  readonly settings = defaultSettings();
  private readonly header: number;
  private readonly env: Record<string, string> = {};
  private session: Session | null = null;
  private clock!: ShownClock;
  private clipboard = '';
  private text: TextFrames | null = null;
  private textPath: string | null = null;
  private textFrameMs = 0;
  private cast: CastWriter | null = null;
  private castPath: string | null = null;
  private frames: PngFrames | null = null;
  private framesDir: string | null = null;
  private gifPath: string | null = null;
  private home: string | null = null;

  constructor(private readonly cmds: readonly Command[], private readonly opts: RunOptions) {
    this.header = headerLength(cmds);
    for (let i = 0; i < this.header; i++) {
      const c = cmds[i]!;
      if (c.kind === 'set') {
        const note = applySetting(this.settings, c.name, c.value);
        if (note) opts.warn(`${c.loc.file}:${c.loc.line}:${c.loc.column}: ${note}`);
      }
    }
    for (const c of cmds) {
      if (c.kind === 'env') this.env[c.name] = c.value;
      if (c.kind === 'output') {
        if (c.output === 'gif') this.gifPath = c.path;
        if (c.output === 'txt') this.textPath = c.path;
        if (c.output === 'cast') this.castPath = c.path;
        if (c.output === 'png') this.framesDir = c.path;
      }
    }
  }

  /** Checks what must exist; call before run() (a TapeError is a usage error: nothing has run). */
  preflight(): void { preflight(this.cmds, this.settings, this.env); }

  async run(): Promise<RunResult> {
    const s = this.settings;
    const { cols, rows } = terminalSize(s);
    const shell = SHELLS[s.shell]!;
    if (this.env['HOME'] === undefined) this.home = mkdtempSync(join(tmpdir(), 'termpool-tape-home-'));
    const env = { ...shell.env, ...(this.home !== null && { HOME: this.home }), ...this.env };
    // The clock starts hidden when the tape starts with Hide (VHS runs that part before recording).
    this.clock = new ShownClock(s.playbackSpeed, undefined, this.cmds[this.header]?.kind !== 'hide');
    if (this.textPath !== null) this.text = new TextFrames();
    // A GIF is drawn from the recording, so it is recorded even without a .cast output.
    if (this.castPath !== null || this.gifPath !== null) {
      this.cast = new CastWriter({ width: cols, height: rows, command: s.shell, env: { TERM: 'xterm-256color', SHELL: s.shell }, maxBytes: 256 * 1024 * 1024, now: () => this.clock.now() });
    }
    const session = new Session({ id: 'tape', command: s.shell, args: shell.args, cwd: process.cwd(), env, cols, rows, scrollback: 1000, idleTimeoutMs: 0 });
    this.session = session;
    try {
      session.on('output', (chunk) => { if (this.clock.shown) this.cast?.output(chunk); });
      await this.firstPrompt(session);
      if (this.framesDir !== null) {
        this.frames = new PngFrames(this.framesDir, session, s, this.clock);
        this.frames.start();
      }
      for (let i = this.header; i < this.cmds.length; i++) {
        const c = this.cmds[i]!;
        if (c.kind === 'set' && c.name !== 'TypingSpeed') {
          this.opts.warn(`${c.loc.file}:${c.loc.line}:${c.loc.column}: Set ${c.name} after the first command is ignored (VHS too): move it to the top`);
          continue;
        }
        if (c.kind === 'require') continue;
        await this.execute(c, session);
        if (this.clock.shown && this.text) {
          const t0 = performance.now();
          this.text.add(session.screenLines());
          this.textFrameMs += performance.now() - t0;
        }
      }
      // VHS gives a last command 100 ms before it stops recording.
      await sleep(100);
      this.frames?.tick();
    } finally {
      this.frames?.stop();
      await session.dispose();
      // What was recorded is written even when a command failed, as VHS leaves its partial golden file.
      if (this.text && this.textPath !== null) writeOutput(this.textPath, this.text.toString());
      if (this.cast && this.castPath !== null) writeOutput(this.castPath, this.cast.toString());
      if (this.home !== null) rmSync(this.home, { recursive: true, force: true });
    }
    // Drawn once the shell is gone, so drawing never stretched the tape's own timing.
    this.frames?.finish();
    if (this.gifPath !== null) writeOutput(this.gifPath, gifFromCast(this.cast!.toString(), this.settings));
    return {
      textFrames: this.text?.count ?? 0,
      pngFrames: this.frames?.stats ?? null,
      textFrameMs: this.textFrameMs,
      outputs: [this.textPath, this.castPath, this.framesDir, this.gifPath].filter((p): p is string => p !== null),
    };
  }

  /** The shell has drawn its first prompt: some output, then 100 ms of quiet. */
  private async firstPrompt(session: Session): Promise<void> {
    const deadline = Date.now() + (this.opts.startTimeoutMs ?? 10_000);
    let last = -1;
    let quietSince = Date.now();
    while (Date.now() < deadline && session.running) {
      const lines = session.screenLines();
      const drawn = lines.some((l) => l.trim() !== '');
      const len = lines.join('\n').length;
      if (len !== last) { last = len; quietSince = Date.now(); }
      if (drawn && Date.now() - quietSince >= 100) return;
      await sleep(10);
    }
    if (!session.running) throw new TapeError(null, `the shell '${this.settings.shell}' exited before its first prompt`);
  }

  private write(session: Session, data: string): void {
    if (!session.running) return;
    session.write(data);
  }

  private async execute(c: Command, session: Session): Promise<void> {
    const s = this.settings;
    switch (c.kind) {
      case 'key': {
        const delay = c.delayMs ?? s.typingSpeedMs;
        for (let n = 0; n < c.repeat; n++) {
          this.write(session, encodeKey(c.key, session.inputModes()));
          await sleep(delay);
        }
        return;
      }
      case 'type': case 'paste': {
        const text = c.kind === 'type' ? c.text : this.clipboard;
        const delay = c.kind === 'type' ? (c.delayMs ?? s.typingSpeedMs) : 0;
        if (delay === 0) { this.write(session, text.replace(/\n/g, '\r')); return; }
        for (const ch of text) {
          this.write(session, ch === '\n' ? '\r' : ch);
          await sleep(delay);
        }
        return;
      }
      case 'chord':
        for (const k of c.keys) this.write(session, encodeKey(k, session.inputModes()));
        return;
      case 'sleep': return sleep(c.ms);
      case 'wait': return this.wait(c, session);
      case 'hide': this.clock.hide(); return;
      case 'show': {
        const wasHidden = !this.clock.shown;
        this.clock.show();
        // A cast resumes from what the screen shows now, not from what hidden output drew.
        if (wasHidden && this.cast) this.cast.output(Buffer.from('\x1b[H\x1b[2J\x1b[0m' + renderAnsi(session.snapshot())));
        return;
      }
      case 'screenshot': writeOutput(c.path, pngFrame(session.snapshot(), s)); return;
      case 'copy': this.clipboard = c.text; return;
      case 'env': case 'output': case 'require': case 'set':
        if (c.kind === 'set') applySetting(s, c.name, c.value);
        return;
    }
  }

  private async wait(c: Extract<Command, { kind: 'wait' }>, session: Session): Promise<void> {
    const rx = c.regex ?? this.settings.waitPattern;
    const timeout = c.timeoutMs ?? this.settings.waitTimeoutMs;
    const current = (): string => {
      if (c.scope === 'Screen') return session.screenLines().map((l) => l.trimEnd()).join('\n');
      const snap = session.snapshot();
      return (snap.lines[snap.cursor.row]?.text ?? '').trimEnd();
    };
    if (rx.test(current())) return;
    await new Promise<void>((resolve, reject) => {
      const check = (): void => {
        if (!rx.test(current())) return;
        done();
        resolve();
      };
      const timer = setTimeout(() => {
        done();
        reject(new TapeError(c.loc, `Wait${c.scope === 'Screen' ? '+Screen' : ''} timed out after ${timeout} ms: /${rx.source}/ did not match the ${c.scope === 'Screen' ? 'screen' : 'current line'}; it was: ${JSON.stringify(current())}`));
      }, timeout);
      // Checked on every screen change, and every 50 ms besides (a cursor move without output).
      const poll = setInterval(check, 50);
      const done = (): void => { clearTimeout(timer); clearInterval(poll); session.off('update', check); };
      session.on('update', check);
    });
  }
}
