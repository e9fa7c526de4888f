/**
 * Client regular expressions (flag m), run where a catastrophically backtracking pattern can
 * only fail its own request: each search runs in a vm context under a timeout. What several
 * requests' searches may take together in one turn of the event loop is RegexBudget's business
 * (src/sessions/regex-budget.ts).
 */
import vm from 'node:vm';
import { ServiceError } from '../errors.js';

/**
 * Longest one regex search may take. A pattern that takes longer fails its own request (400)
 * instead of freezing every session. The watchdog costs ~0.25 ms per search.
 */
export const REGEX_TIMEOUT_MS = 100;
/**
 * Times a search whose timeout fired while the process got little CPU is tried again (see
 * RegexStarved) before it is blamed on the regex.
 */
export const STARVED_RETRIES = 3;

const FIRST = new vm.Script('(() => { re.lastIndex = 0; const m = re.exec(s); return m === null ? null : [m.index, m[0]]; })()');
// Where the first match of each line starts (lines split at \n), at most `limit` of them: after
// a match, the search goes on at the next line.
const PER_LINE = new vm.Script(
  '(() => { const out = []; all.lastIndex = 0; let m; ' +
  "while (out.length < limit && (m = all.exec(s)) !== null) { out.push(m.index); const nl = s.indexOf('\\n', m.index); " +
  'if (nl < 0) break; all.lastIndex = nl + 1; } ' +
  'return out; })()');

/**
 * A search that ran out of time without having had the CPU for it (the machine was busy): still
 * a BAD_REGEX for a caller that does not retry, but retryStarved tries it again up to
 * STARVED_RETRIES times, each after a yield, before giving up.
 */
export class RegexStarved extends ServiceError {
  constructor(message: string) { super('BAD_REGEX', message); }
}

/**
 * Runs `search` (a RegexMatcher call); when it was starved, yields (so a budget can put it at the
 * back of its queue) and tries again, STARVED_RETRIES times at most. For generators run by
 * RegexBudget.drive (or drained at once by a synchronous caller).
 */
export function* retryStarved<T>(search: () => T): Generator<void, T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return search();
    } catch (err) {
      if (!(err instanceof RegexStarved) || attempt >= STARVED_RETRIES) throw err;
    }
    yield;
  }
}

/** Runs a generator of steps to its end at once (no budget: tests and one-off callers). */
export function drain<T>(steps: Generator<void, T>): T {
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
  }
}

/** A compiled client regex; both searches throw BAD_REGEX when one takes too long. */
export interface RegexMatcher {
  source: string;
  /** The first match in `s`, or null. */
  exec(s: string): { index: number; text: string } | null;
  /** Where the first match on each line of `s` (split at \n) starts, for the first `limit` such lines. */
  lineStarts(s: string, limit: number): number[];
}

/** Compiles a client regex (flag m), or throws BAD_REGEX naming it. */
export function compileRegex(source: string): RegexMatcher {
  let re: RegExp;
  let all: RegExp;
  try {
    re = new RegExp(source, 'm');
    all = new RegExp(source, 'gm');
  } catch (err) {
    throw new ServiceError('BAD_REGEX', `invalid regex ${JSON.stringify(source)}: ${err instanceof Error ? err.message : String(err)}`);
  }
  const ctx = vm.createContext({ re, all, s: '', limit: 0 });
  const run = <T>(script: vm.Script, s: string): T => {
    ctx['s'] = s;
    const cpu0 = process.cpuUsage();
    try {
      return script.runInContext(ctx, { timeout: REGEX_TIMEOUT_MS }) as T;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ERR_SCRIPT_EXECUTION_TIMEOUT') throw err;
      // The watchdog counts wall time: on a busy machine a trivial search can be descheduled
      // past it. Blame the regex only when it really burnt the CPU; otherwise the caller may try
      // again later (retryStarved), not at once: retrying in place would hold the event loop
      // for up to STARVED_RETRIES more timeouts.
      const cpu = process.cpuUsage(cpu0);
      const message = `regex ${JSON.stringify(source)} took over ${REGEX_TIMEOUT_MS} ms on the text searched (catastrophic backtracking?); simplify it`;
      if ((cpu.user + cpu.system) / 1000 >= REGEX_TIMEOUT_MS / 2) throw new ServiceError('BAD_REGEX', message);
      throw new RegexStarved(message);
    } finally {
      ctx['s'] = '';
    }
  };
  return {
    source,
    exec(s) {
      const r = run<[number, string] | null>(FIRST, s);
      return r === null ? null : { index: r[0], text: r[1] };
    },
    lineStarts(s, limit) {
      ctx['limit'] = limit;
      // Copied out of the vm context's realm into a plain array of this one.
      return Array.from(run<number[]>(PER_LINE, s));
    },
  };
}
