/**
 * One session's pending waits, grouped by condition: waiters whose conditions are the same (text
 * or regex, stableMs, exit, scrollback: `conditionKey`) share one group, and a group is checked
 * once per update however many wait on it. A check is a step (or, with scrollback, several) run
 * under the RegexBudget, so checks coalesce too: an update marks the groups dirty and each has at
 * most one check queued, which reads the screen as it is when it runs. 2,000 waits on a session
 * printing every 10 ms used to run 2,000 checks per update on the update's own call stack.
 *
 * A group ends when its condition holds (every waiter gets the same screen and match) or when the
 * program has exited and it cannot hold any more; each waiter also ends on its own timeout or
 * abort, or with SESSION_CLOSED when the session is disposed. The hub listens to the session only
 * while it has waiters.
 */
import { ServiceError } from '../errors.js';
import type { RegexBudget } from './regex-budget.js';
import { retryStarved } from './regex.js';
import { findInHistorySteps, WINDOW_OVERLAP } from './search.js';
import type { Session } from './session.js';
import { conditionNames, findOnScreen, shellConditionHolds, type ConditionName, type TextOrRegex, type WaitCondition, type WaitOutcome } from './wait.js';
import { cellHolds, cursorHolds, matchesUntrimmed, servedLinesUntrimmed, servedTitle } from './wait-screen.js';

const sought = (t: TextOrRegex | undefined): unknown => t === undefined ? null : [t.text ?? null, t.regex?.source ?? null];

/** The parts of a condition that decide its outcome, as a string: equal keys, one group. */
export function conditionKey(cond: WaitCondition): string {
  return JSON.stringify([cond.text ?? null, cond.regex?.source ?? null, cond.stableMs ?? null, cond.exit === true, cond.scrollback === true,
    cond.commandAfter ?? null, cond.prompt === true, cond.trim ?? null, sought(cond.absent), sought(cond.title), cond.cursor ?? null, cond.cell ?? null]);
}

interface Waiter {
  started: number;
  group: Group;
  timeout: NodeJS.Timeout;
  signal: AbortSignal | undefined;
  onAbort: () => void;
  resolve(o: WaitOutcome): void;
  reject(err: unknown): void;
}

interface Group {
  key: string;
  cond: WaitCondition;
  waiters: Set<Waiter>;
  /** An update came since the last check began. */
  dirty: boolean;
  /** A check is queued or running. */
  checking: boolean;
  /** That check, while it runs. */
  pending: Promise<void> | null;
  done: boolean;
  stableTimer: NodeJS.Timeout | null;
  lastVersion: number;
  lastLines: string[];
  lastMatch: WaitOutcome['match'];
  /** With scrollback: `scrollbackEnd` up to which the history was searched (-1: not yet), and the first hit, which holds. */
  historyEnd: number;
  historyMatch: WaitOutcome['match'];
  /** With absent: whether the screen of the last check was without it. */
  lastAbsent: boolean;
  /** With a title regex: the title last searched and whether it matched (a title changes less often than the screen). */
  lastTitle: string | null;
  lastTitleOk: boolean;
  /** What did not hold at the last check (before the first: every condition). */
  failing: ConditionName[];
}

export class WaitHub {
  /** Groups new waiters may join (a scrollback group with a hit is not joinable: see `add`). */
  private readonly groups = new Map<string, Group>();
  private readonly all = new Set<Group>();
  private count = 0;
  private listening = false;

  /** Condition evaluations so far: one per group per check that found a changed screen (a figure for tests). */
  evaluations = 0;

  constructor(readonly session: Session, private readonly budget: RegexBudget, private readonly onEmpty: () => void) {}

  /** Pending waits. */
  get size(): number { return this.count; }

  /** Distinct conditions waited for. */
  get conditions(): number { return this.all.size; }

  wait(cond: WaitCondition): Promise<WaitOutcome> {
    return new Promise<WaitOutcome>((resolve, reject) => {
      const key = conditionKey(cond);
      let group = this.groups.get(key);
      if (group === undefined) {
        group = {
          key, cond, waiters: new Set(), dirty: true, checking: false, pending: null, done: false, stableTimer: null,
          lastVersion: -1, lastLines: [], lastMatch: null, historyEnd: -1, historyMatch: null,
          lastAbsent: false, lastTitle: null, lastTitleOk: false, failing: conditionNames(cond),
        };
        this.groups.set(key, group);
        this.all.add(group);
      }
      const g = group;
      const w: Waiter = {
        started: Date.now(), group: g, signal: cond.signal, resolve, reject,
        timeout: setTimeout(() => {
          if (!this.session.isDisposed) g.lastLines = this.session.screenLines();
          this.settle(w, false, 'timeout');
        }, cond.timeoutMs),
        onAbort: () => this.settle(w, false, 'timeout'),
      };
      if (cond.signal?.aborted) {
        clearTimeout(w.timeout);
        resolve(this.outcome(w, false, 'timeout'));
        if (g.waiters.size === 0) this.drop(g);
        return;
      }
      cond.signal?.addEventListener('abort', w.onAbort);
      g.waiters.add(w);
      this.count++;
      this.listen();
      // Its first check: a group that already has one queued takes the newcomer along.
      g.dirty = true;
      this.check(g);
    });
  }

  // Runs from the session's event emitter: it only queues checks, which never throw into it.
  private readonly onUpdate = (): void => {
    for (const g of this.all) {
      g.dirty = true;
      this.check(g);
      // After the exit, the check that sees the final screen must run before it is released.
      if (!this.session.running && g.pending !== null) this.session.holdOpen(g.pending);
    }
  };

  private readonly onClosed = (): void => {
    const err = new ServiceError('SESSION_CLOSED', `session '${this.session.id}' was closed while waiting`);
    for (const g of [...this.all]) this.end(g, (w) => w.reject(err));
  };

  private listen(): void {
    if (this.listening) return;
    this.listening = true;
    this.session.on('update', this.onUpdate);
    this.session.on('closed', this.onClosed);
  }

  /** Queues a check of `g` unless one is queued or running (that one re-checks when it ends if dirty). */
  private check(g: Group): void {
    if (g.checking || g.done) return;
    g.checking = true;
    const run = this.budget.drive(this.steps(g)).then(
      () => {
        g.checking = false;
        g.pending = null;
        if (g.dirty && !g.done) this.check(g);
      },
      (err: unknown) => {
        g.checking = false;
        g.pending = null;
        this.end(g, (w) => w.reject(err));
      },
    );
    g.pending = run;
    if (!this.session.running) this.session.holdOpen(run);
  }

  private *steps(g: Group): Generator<void, void> {
    const s = this.session;
    const cond = g.cond;
    g.dirty = false;
    if (g.done || s.isDisposed) return;
    const wantsScreen = cond.text !== undefined || cond.regex !== undefined;
    if (s.version !== g.lastVersion) {
      g.lastVersion = s.version;
      g.lastLines = s.screenLines();
      this.evaluations++;
      if (!wantsScreen) g.lastMatch = null;
      else if (cond.scrollback) g.lastMatch = g.historyMatch ?? (yield* this.findWithHistory(g));
      else {
        const lines = matchesUntrimmed(cond, cond.text) ? servedLinesUntrimmed(s) : g.lastLines;
        g.lastMatch = yield* retryStarved(() => findOnScreen(lines, cond.text, cond.regex));
      }
      if (g.done || s.isDisposed) return;
      const absent = cond.absent;
      if (absent !== undefined) {
        const lines = matchesUntrimmed({ trim: cond.trim }, absent.text) ? servedLinesUntrimmed(s) : g.lastLines;
        g.lastAbsent = (yield* retryStarved(() => findOnScreen(lines, absent.text, absent.regex))) === null;
        if (g.done || s.isDisposed) return;
      }
    }
    const titleOk = yield* this.titleHolds(g);
    if (g.done || s.isDisposed) return;
    const failing: ConditionName[] = [];
    if (wantsScreen && g.lastMatch === null) failing.push(cond.text !== undefined ? 'text' : 'regex');
    if (cond.absent !== undefined && !g.lastAbsent) failing.push('absent');
    if (!titleOk) failing.push('title');
    if (cond.cursor !== undefined && !cursorHolds(s, cond.cursor)) failing.push('cursor');
    if (cond.cell !== undefined && !cellHolds(s, cond.cell)) failing.push('cell');
    const screenOk = failing.length === 0;
    const exitOk = !cond.exit || !s.running;
    if (!exitOk) failing.push('exit');
    // The shell-integration conditions (a command finished, the prompt is ready) read the marks.
    const shellOk = shellConditionHolds(s, cond);
    if (!shellOk) failing.push(...conditionNames(cond).filter((n) => n === 'command' || n === 'prompt'));
    let stableOk = true;
    if (cond.stableMs !== undefined) {
      const quiet = Date.now() - s.lastOutputAt;
      stableOk = quiet >= cond.stableMs;
      if (!stableOk) failing.push('stableMs');
      if (g.stableTimer) { clearTimeout(g.stableTimer); g.stableTimer = null; }
      if (!stableOk && screenOk && exitOk && shellOk) {
        g.stableTimer = setTimeout(() => {
          g.stableTimer = null;
          g.dirty = true;
          this.check(g);
        }, cond.stableMs - quiet + 1);
      }
    }
    g.failing = failing;
    if (screenOk && exitOk && shellOk && stableOk) return this.end(g, (w) => w.resolve(this.outcome(w, true, 'matched')));
    // After exit the screen never changes again: only a pending stableMs can still come true.
    if (!s.running && !(screenOk && exitOk && shellOk)) return this.end(g, (w) => w.resolve(this.outcome(w, false, 'exited')));
  }

  /**
   * Whether the title condition holds (true without one). Title and cursor are not part of the
   * screen's text, so they are read at every check, not only when the screen version changed;
   * a title regex is searched again only when the title differs from the last one searched.
   */
  private *titleHolds(g: Group): Generator<void, boolean> {
    const want = g.cond.title;
    if (want === undefined) return true;
    const title = servedTitle(this.session);
    if (want.regex === undefined) return title === want.text;
    if (title !== g.lastTitle) {
      const re = want.regex;
      g.lastTitleOk = (yield* retryStarved(() => re.exec(title))) !== null;
      g.lastTitle = title;
    }
    return g.lastTitleOk;
  }

  /**
   * The lines that scrolled into the scrollback since the last check (all of it the first time),
   * then the screen read at this check, in one numbering (see findInHistorySteps). A hit holds
   * from then on, and the group takes no newcomers (their search would begin with what is kept now).
   */
  private *findWithHistory(g: Group): Generator<void, WaitOutcome['match']> {
    const t = this.session.terminal;
    const cond = g.cond;
    const sb = t.scrollbackLength;
    const end = t.scrollbackEnd;
    const fresh = g.historyEnd < 0 ? sb : Math.min(sb, Math.max(0, end - g.historyEnd));
    g.historyEnd = end;
    // Text without a line break cannot span lines: history windows then need no overlap.
    const overlap = cond.text !== undefined && !cond.text.includes('\n') ? 0 : WINDOW_OVERLAP;
    const hit = yield* findInHistorySteps(t, sb - fresh, g.lastLines, overlap,
      (lines) => retryStarved(() => findOnScreen(lines, cond.text, cond.regex)));
    if (hit === null) return null;
    g.historyMatch = { row: hit.line - sb, column: hit.column, text: hit.text, line: hit.line };
    if (this.groups.get(g.key) === g) this.groups.delete(g.key);
    return g.historyMatch;
  }

  private outcome(w: Waiter, satisfied: boolean, reason: WaitOutcome['reason']): WaitOutcome {
    const g = w.group;
    const wantsScreen = g.cond.text !== undefined || g.cond.regex !== undefined;
    return {
      satisfied, reason, elapsedMs: Date.now() - w.started, match: wantsScreen ? g.lastMatch : null, lines: g.lastLines,
      failing: satisfied ? [] : g.failing,
    };
  }

  /** One waiter ends on its own (timeout, abort). */
  private settle(w: Waiter, satisfied: boolean, reason: WaitOutcome['reason']): void {
    const g = w.group;
    if (!g.waiters.delete(w)) return;
    this.release(w);
    w.resolve(this.outcome(w, satisfied, reason));
    if (g.waiters.size === 0) this.drop(g);
  }

  /** The whole group ends: `each` is called for every waiter. */
  private end(g: Group, each: (w: Waiter) => void): void {
    const waiters = [...g.waiters];
    g.waiters.clear();
    this.drop(g);
    for (const w of waiters) {
      this.release(w);
      each(w);
    }
  }

  private release(w: Waiter): void {
    clearTimeout(w.timeout);
    w.signal?.removeEventListener('abort', w.onAbort);
    this.count--;
  }

  private drop(g: Group): void {
    g.done = true;
    if (g.stableTimer) { clearTimeout(g.stableTimer); g.stableTimer = null; }
    if (this.groups.get(g.key) === g) this.groups.delete(g.key);
    this.all.delete(g);
    if (this.all.size > 0) return;
    if (this.listening) {
      this.listening = false;
      this.session.off('update', this.onUpdate);
      this.session.off('closed', this.onClosed);
    }
    this.onEmpty();
  }
}
