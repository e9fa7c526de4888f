/**
 * Client regular expressions (flag m), run where a catastrophically backtracking pattern can
 * only fail its own request: each search runs in a vm context under a timeout.
 */
import vm from 'node:vm';
import { ServiceError } from '../errors.js';

/**
 * Longest one regex search may take. A pattern that takes longer fails its own request (400)
 * instead of freezing every session. The watchdog costs ~0.25 ms per search.
 */
export const REGEX_TIMEOUT_MS = 100;
/** Searches retried when the timeout fired but the process got little CPU meanwhile. */
const STARVED_RETRIES = 3;

const FIRST = new vm.Script('(() => { re.lastIndex = 0; const m = re.exec(s); return m === null ? null : [m.index, m[0]]; })()');
// Where the first match of each line starts (lines split at \n), at most `limit` of them: after
// a match, the search goes on at the next line.
const PER_LINE = new vm.Script(
  '(() => { const out = []; all.lastIndex = 0; let m; ' +
  "while (out.length < limit && (m = all.exec(s)) !== null) { out.push(m.index); const nl = s.indexOf('\\n', m.index); " +
  'if (nl < 0) break; all.lastIndex = nl + 1; } ' +
  'return out; })()');

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
    try {
      for (let attempt = 0; ; attempt++) {
        const cpu0 = process.cpuUsage();
        try {
          return script.runInContext(ctx, { timeout: REGEX_TIMEOUT_MS }) as T;
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code !== 'ERR_SCRIPT_EXECUTION_TIMEOUT') throw err;
          // The watchdog counts wall time: on a busy machine a trivial search can be
          // descheduled past it. Blame the regex only when it really burnt the CPU.
          const cpu = process.cpuUsage(cpu0);
          const cpuMs = (cpu.user + cpu.system) / 1000;
          if (cpuMs >= REGEX_TIMEOUT_MS / 2 || attempt >= STARVED_RETRIES) {
            throw new ServiceError('BAD_REGEX', `regex ${JSON.stringify(source)} took over ${REGEX_TIMEOUT_MS} ms on the text searched (catastrophic backtracking?); simplify it`);
          }
        }
      }
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
