/**
 * Shell integration state: what OSC 133 (A/B/C/D) and OSC 7 said about the shell's commands.
 * Owns the command history (bounded), the command running now, the prompt being drawn and the
 * working directory. Marks are recorded at the cursor, as absolute line numbers of the primary
 * screen (history index + `droppedRows`: a line keeps its number while it scrolls into the
 * scrollback and while older lines are pruned), so a command's output can be read back later
 * between its C and D marks (format/range-text.ts), scrollback included.
 *
 * Rules (as VS Code, WezTerm and Ghostty read the marks; xterm ignores them):
 *   - marks while the alternate screen is active do not count (a TUI's own output is not a prompt);
 *   - C starts a command (its text is what was typed between B and C); a second C before D is
 *     ignored; D ends the command running (a D with no command running — Enter on an empty line
 *     in some integrations — is ignored); A while a command runs ends it without a status (a
 *     shell whose integration sends no D);
 *   - RIS forgets the prompt being drawn and the working directory; a command running goes on
 *     (`reset` run as a command still gets its D), its output before the reset is gone;
 *   - a reflow renumbers lines: `reflowed` moves every recorded mark to its row's new number;
 *   - with a nonce (`requireNonce`: the session injected the integration and gave the shell a
 *     secret), only marks carrying it (`nonce=<value>`) start or end a command: anything else is
 *     a program's output pretending to be the shell (a forged `D;0` would otherwise finish a
 *     /run with a made-up status and output). Marks without it are still counted, and A/B
 *     without it still describe a prompt while no command runs, but while one runs they are
 *     ignored (a forged prompt neither ends it nor says the shell is waiting for input).
 * Events (`onCommand`) fire on start and finish; the Session emits them once the write is parsed.
 */
import { PromptMark } from '../stream/actions.js';
import type { LinePoint } from '../format/range-text.js';
import { textBetween } from '../format/range-text.js';
import type { Terminal } from './terminal.js';

/** Finished commands kept, at most: the oldest are forgotten beyond it. */
export const MAX_KEPT_COMMANDS = 1000;
/** The typed command text kept per command, at most (characters; longer is cut). */
export const MAX_COMMAND_TEXT = 4096;
/** Rows of typed command read at C, at most. */
const MAX_COMMAND_ROWS = 64;

export interface CommandRecord {
  /** 1, 2, … in the order commands started (never reused, also not after a reset). */
  id: number;
  /** What was typed (B → C), continuation prompts included; '' when the shell sent no B. */
  command: string;
  /** Line where its prompt began (A), null when no A came. */
  promptLine: number | null;
  /** Where its output begins (C) and ends (D; null while running). */
  outputStart: LinePoint;
  outputEnd: LinePoint | null;
  /** ms since epoch. */
  startedAt: number;
  finishedAt: number | null;
  /** D's status; null while running, or when the shell gave none. */
  exitCode: number | null;
  /** The working directory (OSC 7) when it finished — or, while running, when it started. */
  cwd: string | null;
}

export interface CommandEvent {
  type: 'start' | 'finish';
  command: CommandRecord;
}

export type ShellState = 'unknown' | 'prompt' | 'input' | 'running';

export class SemanticPrompt {
  /** The shell's working directory from its last OSC 7, or null. */
  cwd: string | null = null;
  /** unknown: no mark yet (or after RIS); prompt: A seen; input: B seen (ready for a command); running: C seen. */
  state: ShellState = 'unknown';
  /** Commands kept, oldest first; the running one, if any, is the last. */
  readonly commands: CommandRecord[] = [];
  /** Marks received (counted even when ignored): a figure for tests and session info. */
  marks = 0;
  /** Marks ignored for want of the right nonce (a figure for tests and session info). */
  untrustedMarks = 0;
  private promptLine: number | null = null;
  private inputStart: LinePoint | null = null;
  private nextId = 1;
  private nonce: string | null = null;

  constructor(private readonly t: Terminal, private readonly onCommand?: (e: CommandEvent) => void) {}

  /** The command running now (C seen, no D yet). */
  get running(): CommandRecord | null {
    const c = this.commands[this.commands.length - 1];
    return c !== undefined && c.finishedAt === null ? c : null;
  }

  /** The id the next command will get (so `finishedAfter(nextCommandId - 1)` waits for a new one). */
  get nextCommandId(): number { return this.nextId; }

  /** The first finished command with an id above `id`, or null. */
  finishedAfter(id: number): CommandRecord | null {
    for (const c of this.commands) if (c.id > id && c.finishedAt !== null) return c;
    return null;
  }

  /** From now on only marks carrying `nonce` start or end commands (see the header). */
  requireNonce(nonce: string): void { this.nonce = nonce; }

  mark(mark: PromptMark, exitCode: number | null, nonce: string | null = null): void {
    const t = this.t;
    this.marks++;
    if (t.altActive) return;
    if (this.nonce !== null && nonce !== this.nonce
      && (mark === PromptMark.OutputStart || mark === PromptMark.CommandEnd || this.running !== null)) {
      this.untrustedMarks++;
      return;
    }
    const here = this.cursorPoint();
    switch (mark) {
      case PromptMark.PromptStart:
        if (this.running !== null) this.finish(here, null);
        this.promptLine = here.line;
        this.inputStart = null;
        this.state = 'prompt';
        return;
      case PromptMark.InputStart:
        this.promptLine ??= here.line;
        this.inputStart = here;
        this.state = 'input';
        return;
      case PromptMark.OutputStart: {
        if (this.running !== null) return;
        const cmd: CommandRecord = {
          id: this.nextId++,
          command: this.inputStart === null ? '' : this.typedText(this.inputStart, here),
          promptLine: this.promptLine,
          outputStart: here,
          outputEnd: null,
          startedAt: Date.now(),
          finishedAt: null,
          exitCode: null,
          cwd: this.cwd,
        };
        this.commands.push(cmd);
        if (this.commands.length > MAX_KEPT_COMMANDS) this.commands.shift();
        this.promptLine = null;
        this.inputStart = null;
        this.state = 'running';
        this.onCommand?.({ type: 'start', command: cmd });
        return;
      }
      case PromptMark.CommandEnd:
        if (this.running !== null) this.finish(here, exitCode);
        return;
    }
  }

  setCwd(path: string): void { this.cwd = path; }

  /** RIS (see the header). */
  reset(): void {
    this.cwd = null;
    this.promptLine = null;
    this.inputStart = null;
    if (this.running === null) this.state = 'unknown';
  }

  /**
   * After a reflow of the primary screen: `map[i]` is the new absolute line of old line
   * `oldFirst + i` (-1 where the row was dropped: the next kept row's line is used). Columns past
   * the new width move down a row per width (exact for marks on an unwrapped line).
   */
  reflowed(oldFirst: number, map: Int32Array, cols: number): void {
    const move = (p: LinePoint): LinePoint => {
      let i = p.line - oldFirst;
      if (i < 0 || map.length === 0) return p; // pruned before the reflow: stays out of reach
      if (i >= map.length) i = map.length - 1;
      return { line: map[i] + Math.floor(p.col / cols), col: p.col % cols };
    };
    const moveLine = (l: number | null): number | null => (l === null ? null : move({ line: l, col: 0 }).line);
    for (const c of this.commands) {
      c.outputStart = move(c.outputStart);
      if (c.outputEnd !== null) c.outputEnd = move(c.outputEnd);
      c.promptLine = moveLine(c.promptLine);
    }
    this.promptLine = moveLine(this.promptLine);
    if (this.inputStart !== null) this.inputStart = move(this.inputStart);
  }

  private finish(here: LinePoint, exitCode: number | null): void {
    const cmd = this.running!;
    cmd.outputEnd = here;
    cmd.finishedAt = Date.now();
    cmd.exitCode = exitCode;
    cmd.cwd = this.cwd;
    this.state = 'prompt';
    this.onCommand?.({ type: 'finish', command: cmd });
  }

  private cursorPoint(): LinePoint {
    const s = this.t.primary;
    return { line: s.list.historyEnd + s.cursor.y, col: s.cursor.x };
  }

  private typedText(from: LinePoint, to: LinePoint): string {
    const start = to.line - from.line > MAX_COMMAND_ROWS ? { line: to.line - MAX_COMMAND_ROWS, col: 0 } : from;
    const text = textBetween(this.t.primary.list, start, to, MAX_COMMAND_ROWS).lines.join('\n').trim();
    return text.length > MAX_COMMAND_TEXT ? text.slice(0, MAX_COMMAND_TEXT) : text;
  }
}
