/**
 * Long-running engine fuzzer: `npm run fuzz -- --inputs 10000000 --seed N`.
 *
 * Runs the properties of test/fuzz/properties.ts round-robin in batches (each batch one
 * `fc.check` with its own seed, seed + batch index), prints progress to stderr every few
 * seconds, and for every failing batch the shrunk reproduction: the fast-check seed and path
 * (replay with `fc.assert(prop, { seed, path })`) and the scenario as TypeScript source for
 * test/fuzz/regressions.test.ts. Ends with one summary line on stdout; exit 1 on any failure.
 * Run it niced on a shared machine: `nice -n 10 npm run fuzz -- ...`.
 */
import { parseArgs } from 'node:util';
import fc from 'fast-check';
import { scenarioSource, type Scenario } from '../test/fuzz/arbitraries.js';
import { property, PROPERTIES } from '../test/fuzz/properties.js';

const USAGE = `usage: npm run fuzz -- [--inputs N] [--seed N] [--batch N] [--minutes M] [--property NAME]...
  --inputs N      total inputs to try (default 100000)
  --seed N        base seed (batch k uses seed + k; default: time-based)
  --batch N       inputs per fc.check batch (default 2000)
  --minutes M     stop after M minutes even if --inputs is not reached
  --property NAME only this property (repeatable): ${PROPERTIES.map((p) => p.name).join(', ')}`;

function die(msg: string): never {
  process.stderr.write(`fuzz: ${msg}\n${USAGE}\n`);
  process.exit(2);
}

const { values } = parseArgs({
  options: {
    inputs: { type: 'string' }, seed: { type: 'string' }, batch: { type: 'string' },
    minutes: { type: 'string' }, property: { type: 'string', multiple: true }, help: { type: 'boolean' },
  },
});
if (values.help) { process.stdout.write(USAGE + '\n'); process.exit(0); }
const num = (name: string, v: string | undefined, dflt: number): number => {
  if (v === undefined) return dflt;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) die(`--${name} must be a non-negative number, got '${v}'`);
  return n;
};
const total = Math.floor(num('inputs', values.inputs, 100_000));
const seed = Math.floor(num('seed', values.seed, Date.now() % 2 ** 31));
const batch = Math.max(1, Math.floor(num('batch', values.batch, 2000)));
const deadline = values.minutes === undefined ? Infinity : Date.now() + num('minutes', values.minutes, 0) * 60_000;
const chosen = values.property ?? PROPERTIES.map((p) => p.name);
for (const n of chosen) if (!PROPERTIES.some((p) => p.name === n)) die(`unknown property '${n}'`);
const props = PROPERTIES.filter((p) => chosen.includes(p.name));

const tried = new Map<string, number>(props.map((p) => [p.name, 0]));
let done = 0;
let failures = 0;
const start = Date.now();
let lastReport = start;

process.stderr.write(`fuzz: ${total} inputs, seed ${seed}, batch ${batch}, properties ${props.map((p) => p.name).join(',')}\n`);
for (let k = 0; done < total && Date.now() < deadline; k++) {
  const p = props[k % props.length];
  const runs = Math.min(batch, total - done);
  const s = (seed + k) | 0;
  const res = fc.check(property(p), { seed: s, numRuns: runs, endOnFailure: false });
  // A failing batch stops at its first counterexample: count only what was actually run.
  const ran = res.failed ? res.numRuns : runs;
  done += ran;
  tried.set(p.name, tried.get(p.name)! + ran);
  if (res.failed) {
    failures++;
    const ce = res.counterexample?.[0] as Scenario | undefined;
    const err = res.errorInstance instanceof Error ? res.errorInstance.message : String(res.errorInstance);
    process.stdout.write(`\nFAIL property ${p.name} seed ${res.seed} path "${res.counterexamplePath ?? ''}" after ${res.numRuns} runs, ${res.numShrinks} shrinks\n`);
    process.stdout.write(`  error: ${err.split('\n')[0]}\n`);
    if (ce !== undefined) process.stdout.write(`  reproduction (test/fuzz/regressions.test.ts):\n${scenarioSource(ce)}\n`);
  }
  const now = Date.now();
  if (now - lastReport >= 10_000) {
    lastReport = now;
    const rate = done / ((now - start) / 1000);
    process.stderr.write(`fuzz: ${done}/${total} inputs, ${failures} failures, ${rate.toFixed(0)} inputs/s, ${((now - start) / 60_000).toFixed(1)} min\n`);
  }
}
const secs = (Date.now() - start) / 1000;
const per = [...tried].map(([n, c]) => `${n}=${c}`).join(' ');
process.stdout.write(`fuzz summary: ${done} inputs tried (${per}), ${failures} failures, ${(done / secs).toFixed(0)} inputs/s over ${secs.toFixed(0)} s, seed ${seed}\n`);
process.exit(failures > 0 ? 1 : 0);
