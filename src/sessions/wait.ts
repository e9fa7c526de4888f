/**
 * Waiting for a screen condition without polling: the condition is checked once up front and
 * then only when the session reports an `update`; `stableMs` arms one timer for the remaining
 * quiet time. The wait ends when the condition holds, at the timeout, when the program exits
 * and the condition can no longer become true, or when the session is closed.
 *
 * Waits are capped per session and per server (Waits, 429 WAIT_LIMIT), and the waits of one
 * session that look for the same thing share their checks (src/sessions/wait-hub.ts), which run
 * under the server's RegexBudget.
 */
import { ServiceError } from '../errors.js';
import type { RegexMatcher } from './regex.js';
import { RegexBudget } from './regex-budget.js';
import type { Session } from './session.js';
import { WaitHub } from './wait-hub.js';

/** Text or a regex looked for (the shape of a wait's own text/regex, for absent and title). */
export interface TextOrRegex {
  text?: string;
  regex?: RegexMatcher;
}

/** Colours as the JSON screen format gives them: null = default, a palette index, "#rrggbb". */
export type WaitColor = null | number | string;

/** What a cell must show: every predicate given must hold (src/sessions/wait-screen.ts). */
export interface CellCondition {
  row: number;
  col: number;
  /** The cell's grapheme; " " also matches a never-written cell (its text is ""). */
  text?: string;
  inverse?: boolean;
  bold?: boolean;
  italic?: boolean;
  /** true: any underline; a style name: that one; false: none. */
  underline?: boolean | string;
  fg?: WaitColor;
  bg?: WaitColor;
}

/** The names a 408 lists in `failing`, one per kind of condition. */
export type ConditionName = 'text' | 'regex' | 'absent' | 'title' | 'cursor' | 'cell' | 'stableMs' | 'exit' | 'command' | 'prompt';

export interface WaitCondition {
  text?: string;
  regex?: RegexMatcher;
  /**
   * Lines matched for text, regex and absent: false = every row its full width, blank cells
   * included (trailing spaces match). Unset: right-trimmed rows, except that a text of one line
   * ending in a space is matched against full-width rows (a prompt such as "$ ").
   */
  trim?: boolean;
  /** Holds while the visible screen (never the scrollback) does not show this; at once if it never did. */
  absent?: TextOrRegex;
  /** The window title (OSC 0/2): text is compared whole, a regex searched. */
  title?: TextOrRegex;
  /** The cursor at this row and/or column (0-based). */
  cursor?: { row?: number; col?: number };
  cell?: CellCondition;
  stableMs?: number;
  exit?: boolean;
  /**
   * Match text/regex in the scrollback too: lines kept when the wait begins and lines that
   * scroll off while it waits, so output that scrolls past between two checks is not missed.
   * A hit then holds for the rest of the wait (it may have scrolled away or been pruned since).
   */
  scrollback?: boolean;
  /** Shell integration: a command with an id above this has finished (OSC 133 D). */
  commandAfter?: number;
  /** Shell integration: the shell waits at its prompt for a command (OSC 133 B seen, no command running). */
  prompt?: boolean;
  timeoutMs: number;
  /** Ends the wait early (as a timeout), e.g. when the client has gone away. */
  signal?: AbortSignal;
}

export interface WaitOutcome {
  satisfied: boolean;
  reason: 'matched' | 'timeout' | 'exited';
  elapsedMs: number;
  /** With `scrollback`, a scrollback hit has row < 0 (-1 = newest scrollback line) and every hit a `line`. */
  match: { row: number; column: number; text: string; line?: number } | null;
  lines: string[];
  /** The conditions that did not hold at the last check (empty when satisfied). */
  failing: ConditionName[];
}

/** The kinds of condition `cond` has, in a fixed order (what a wait that never got checked reports failing). */
export function conditionNames(cond: WaitCondition): ConditionName[] {
  const out: ConditionName[] = [];
  if (cond.text !== undefined) out.push('text');
  if (cond.regex !== undefined) out.push('regex');
  if (cond.absent !== undefined) out.push('absent');
  if (cond.title !== undefined) out.push('title');
  if (cond.cursor !== undefined) out.push('cursor');
  if (cond.cell !== undefined) out.push('cell');
  if (cond.stableMs !== undefined) out.push('stableMs');
  if (cond.exit === true) out.push('exit');
  if (cond.commandAfter !== undefined) out.push('command');
  if (cond.prompt === true) out.push('prompt');
  return out;
}

/** Finds text or regex in the lines; null when not found. Row/column are for the first hit. */
export function findOnScreen(lines: string[], text: string | undefined, regex: RegexMatcher | undefined): { row: number; column: number; text: string } | null {
  const joined = lines.join('\n');
  let index: number;
  let found: string;
  if (text !== undefined) {
    index = joined.indexOf(text);
    found = text;
  } else if (regex !== undefined) {
    const m = regex.exec(joined);
    if (!m) return null;
    index = m.index;
    found = m.text;
  } else {
    return { row: 0, column: 0, text: '' };
  }
  if (index < 0) return null;
  const before = joined.slice(0, index);
  const row = before.split('\n').length - 1;
  const column = index - (before.lastIndexOf('\n') + 1);
  return { row, column, text: found };
}

/** Whether the shell-integration parts of `cond` hold (true when it has none). */
export function shellConditionHolds(session: Session, cond: WaitCondition): boolean {
  if (cond.commandAfter === undefined && cond.prompt !== true) return true;
  const sp = session.terminal.semantic;
  if (cond.commandAfter !== undefined && sp.finishedAfter(cond.commandAfter) === null) return false;
  return cond.prompt !== true || sp.state === 'input';
}

export interface WaitLimits {
  /** Pending waits on one session, at most (TERMPOOL_MAX_WAITS_PER_SESSION). */
  perSession: number;
  /** Pending waits on the server, at most (TERMPOOL_MAX_WAITS). */
  total: number;
}

/**
 * Every pending wait of a server: admits a wait within the limits (429 WAIT_LIMIT beyond) and
 * hands it to its session's WaitHub, made on the first wait and dropped with the last. Owned by
 * the registry; REST /wait and MCP wait_for both wait here.
 */
export class Waits {
  private readonly hubs = new Map<Session, WaitHub>();
  private pending = 0;

  constructor(readonly limits: WaitLimits, readonly budget: RegexBudget) {}

  /** Pending waits on the server. */
  get size(): number { return this.pending; }

  /** The session's hub, while it has waits (figures for tests: evaluations, conditions). */
  hub(session: Session): WaitHub | undefined { return this.hubs.get(session); }

  /**
   * Waits for `cond` on `session` (see the header): throws WAIT_LIMIT at once when the session or
   * the server already has as many pending waits as allowed.
   */
  wait(session: Session, cond: WaitCondition): Promise<WaitOutcome> {
    const hub = this.hubs.get(session);
    const onSession = hub?.size ?? 0;
    if (onSession >= this.limits.perSession) {
      throw new ServiceError('WAIT_LIMIT', `session '${session.id}' already has ${onSession} pending waits, the most allowed (TERMPOOL_MAX_WAITS_PER_SESSION); retry once one ends`, { pending: onSession, limit: this.limits.perSession });
    }
    if (this.pending >= this.limits.total) {
      throw new ServiceError('WAIT_LIMIT', `the server already has ${this.pending} pending waits, the most allowed (TERMPOOL_MAX_WAITS); retry once one ends`, { pending: this.pending, limit: this.limits.total });
    }
    let h = hub;
    if (h === undefined) {
      const made: WaitHub = new WaitHub(session, this.budget, () => { if (this.hubs.get(session) === made) this.hubs.delete(session); });
      this.hubs.set(session, made);
      h = made;
    }
    this.pending++;
    return h.wait(cond).finally(() => { this.pending--; });
  }
}

/**
 * One wait with its own limits and budget: for a caller that has no registry (`termpool snap`).
 * The server waits through its registry's Waits instead.
 */
export function waitFor(session: Session, cond: WaitCondition): Promise<WaitOutcome> {
  return new Waits({ perSession: 1, total: 1 }, new RegexBudget({ sliceMs: 50, searches: 1 })).wait(session, cond);
}
