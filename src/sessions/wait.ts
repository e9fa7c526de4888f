/**
 * Waiting for a screen condition without polling: the condition is checked once up front and
 * then only when the session reports an `update`; `stableMs` arms one timer for the remaining
 * quiet time. The wait ends when the condition holds, at the timeout, when the program exits
 * and the condition can no longer become true, or when the session is closed.
 */
import { ServiceError } from '../errors.js';
import type { RegexMatcher } from './regex.js';
import { findInHistory, WINDOW_OVERLAP } from './search.js';
import type { Session } from './session.js';

export interface WaitCondition {
  text?: string;
  regex?: RegexMatcher;
  stableMs?: number;
  exit?: boolean;
  /**
   * Match text/regex in the scrollback too: lines kept when the wait begins and lines that
   * scroll off while it waits, so output that scrolls past between two checks is not missed.
   * A hit then holds for the rest of the wait (it may have scrolled away or been pruned since).
   */
  scrollback?: boolean;
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

export function waitFor(session: Session, cond: WaitCondition): Promise<WaitOutcome> {
  const started = Date.now();
  const wantsScreen = cond.text !== undefined || cond.regex !== undefined;

  return new Promise<WaitOutcome>((resolve, reject) => {
    let stableTimer: NodeJS.Timeout | null = null;
    let lastVersion = -1;
    let lastLines: string[] = [];
    let lastMatch: WaitOutcome['match'] = null;
    // cond.scrollback: scrollbackEnd at the last check (-1: none yet), and the first hit,
    // which holds from then on.
    let historyEnd = -1;
    let historyMatch: WaitOutcome['match'] = null;
    // Text without a line break cannot span lines: history windows then need no overlap.
    const overlap = cond.text !== undefined && !cond.text.includes('\n') ? 0 : WINDOW_OVERLAP;

    const finish = (satisfied: boolean, reason: WaitOutcome['reason']): void => {
      cleanup();
      resolve({ satisfied, reason, elapsedMs: Date.now() - started, match: wantsScreen ? lastMatch : null, lines: lastLines });
    };

    // Runs from the session's event emitter: it must never throw into the pty's data path.
    const check = (): void => {
      try {
        evaluate();
      } catch (err) {
        cleanup();
        reject(err);
      }
    };

    const evaluate = (): void => {
      if (session.isDisposed) return;
      if (session.version !== lastVersion) {
        lastVersion = session.version;
        lastLines = session.screenLines();
        if (!wantsScreen) lastMatch = null;
        else if (cond.scrollback) lastMatch = historyMatch ?? findWithHistory();
        else lastMatch = findOnScreen(lastLines, cond.text, cond.regex);
      }
      const screenOk = !wantsScreen || lastMatch !== null;
      const exitOk = !cond.exit || !session.running;
      let stableOk = true;
      if (cond.stableMs !== undefined) {
        const quiet = Date.now() - session.lastOutputAt;
        stableOk = quiet >= cond.stableMs;
        if (stableTimer) { clearTimeout(stableTimer); stableTimer = null; }
        if (!stableOk && screenOk && exitOk) stableTimer = setTimeout(check, cond.stableMs - quiet + 1);
      }
      if (screenOk && exitOk && stableOk) return finish(true, 'matched');
      // After exit the screen never changes again: only a pending stableMs can still come true.
      if (!session.running && !(screenOk && exitOk)) return finish(false, 'exited');
    };

    // The lines that scrolled into the scrollback since the last check (all of it the first
    // time), then the screen, in one numbering (see findInHistory).
    const findWithHistory = (): WaitOutcome['match'] => {
      const t = session.terminal;
      const sb = t.scrollbackLength;
      const end = t.scrollbackEnd;
      const fresh = historyEnd < 0 ? sb : Math.min(sb, Math.max(0, end - historyEnd));
      historyEnd = end;
      const hit = findInHistory(t, sb - fresh, lastLines, overlap, (lines) => findOnScreen(lines, cond.text, cond.regex));
      if (hit === null) return null;
      historyMatch = { row: hit.line - sb, column: hit.column, text: hit.text, line: hit.line };
      return historyMatch;
    };

    const onClosed = (): void => {
      cleanup();
      reject(new ServiceError('SESSION_CLOSED', `session '${session.id}' was closed while waiting`));
    };

    const timeout = setTimeout(() => {
      if (!session.isDisposed) { lastLines = session.screenLines(); }
      finish(false, 'timeout');
    }, cond.timeoutMs);

    const onAbort = (): void => finish(false, 'timeout');

    function cleanup(): void {
      clearTimeout(timeout);
      if (stableTimer) clearTimeout(stableTimer);
      session.off('update', check);
      session.off('closed', onClosed);
      cond.signal?.removeEventListener('abort', onAbort);
    }

    if (cond.signal?.aborted) return onAbort();
    cond.signal?.addEventListener('abort', onAbort);
    session.on('update', check);
    session.on('closed', onClosed);
    check();
  });
}
