/**
 * Profile one corpus through termpool's Terminal (no xterm): for `node --cpu-prof`.
 * Run: node --cpu-prof dist/bench/prof-one.js styled [MB] [reps]   (VERBOSE=1: every rep, GC=1: gc() first)
 */
import { Terminal } from '../src/engine/index.js';
import { makeCorpus, type CorpusName } from './corpora.js';

const name = (process.argv[2] ?? 'styled') as CorpusName;
const mb = Number(process.argv[3] ?? 16);
const reps = Number(process.argv[4] ?? 6);
const { bytes } = makeCorpus(name, mb * 1024 * 1024);
const CHUNK = 64 * 1024;
let best = Infinity;
for (let rep = 0; rep < reps; rep++) {
  if (process.env.GC) (globalThis as { gc?: () => void }).gc?.();
  const term = new Terminal({ cols: 80, rows: 24, scrollback: 1000 });
  const t0 = process.hrtime.bigint();
  for (let off = 0; off < bytes.length; off += CHUNK) term.write(bytes.subarray(off, Math.min(off + CHUNK, bytes.length)));
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  best = Math.min(best, ms);
  if (process.env.VERBOSE) console.log(`rep ${rep}: ${(bytes.length / 1e6 / (ms / 1000)).toFixed(1)} MB/s`);
  term.dispose();
}
console.log(`${name}: best ${(bytes.length / 1e6 / (best / 1000)).toFixed(1)} MB/s over ${reps} reps`);
