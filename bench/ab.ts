/**
 * A/B of two builds of the engine in one process, run by run in turn, for changes worth a few
 * percent: on these shared machines two processes of the same build can differ by 30%, while
 * two runs next to each other in one process see the same machine. The ratio is taken pair by
 * pair (A's time / B's time: above 1 means B is faster) and its median reported. Run a copy of
 * the same build against itself first to see what "no change" looks like.
 *
 * Run: cp -r dist /tmp/dist-before; (change, npx tsc -p tsconfig.json)
 *      taskset -c 1 node dist/bench/ab.js /tmp/dist-before dist styled [pairs]
 * The corpus is one of bench/corpora.ts (16 MiB), written in 64 KiB chunks to 80x24 terminals
 * with 1,000 lines of scrollback, as the throughput bench does. Both wall and CPU time ratios
 * are reported: on a loaded machine the CPU time one (process.cpuUsage, user + system) leaves
 * out the time other processes held the core, the main source of the wall ratio's spread.
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { captureCorpusNames } from './capture-files.js';
import { CORPUS_NAMES, makeCorpus, type CorpusName } from './corpora.js';

type Engine = typeof import('../src/engine/index.js');

const [dirA, dirB, corpusArg = 'styled', pairsArg = '16'] = process.argv.slice(2);
const CORPORA: readonly string[] = [...CORPUS_NAMES, ...captureCorpusNames()];
if (dirA === undefined || dirB === undefined || !CORPORA.includes(corpusArg)) {
  process.stderr.write(`usage: node dist/bench/ab.js DIST_A DIST_B [${CORPORA.join('|')}] [pairs]\n`);
  process.exit(2);
}
const pairs = Number(pairsArg);
const load = async (dir: string): Promise<Engine> => import(pathToFileURL(resolve(dir, 'src/engine/index.js')).href) as Promise<Engine>;
const A = await load(dirA);
const B = await load(dirB);
const bytes = makeCorpus(corpusArg as CorpusName, 16 * 1024 * 1024).bytes;
const CHUNK = 64 * 1024;

/** CPU time of the last run (user + system, ms): unlike wall time, it leaves out the time other processes held the core. */
let lastCpuMs = 0;

function run(E: Engine): number {
  const t = new E.Terminal({ cols: 80, rows: 24, scrollback: 1000 });
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  for (let off = 0; off < bytes.length; off += CHUNK) t.write(bytes.subarray(off, Math.min(off + CHUNK, bytes.length)));
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  const c = process.cpuUsage(c0);
  lastCpuMs = (c.user + c.system) / 1000;
  t.dispose();
  return ms;
}

// A terminal of each kept alive throughout (see throughput-child.ts: the keeper terminal).
const keepA = new A.Terminal({ cols: 80, rows: 24, scrollback: 1000 });
const keepB = new B.Terminal({ cols: 80, rows: 24, scrollback: 1000 });
for (let i = 0; i < 3; i++) { run(A); run(B); }
const as: number[] = [];
const bs: number[] = [];
const ratios: number[] = [];
const cpuRatios: number[] = [];
for (let i = 0; i < pairs; i++) {
  // Who goes first alternates, so neither build always runs on a warmer (or cooler) machine.
  let a: number;
  let b: number;
  let ca: number;
  let cb: number;
  if (i % 2 === 0) { a = run(A); ca = lastCpuMs; b = run(B); cb = lastCpuMs; } else { b = run(B); cb = lastCpuMs; a = run(A); ca = lastCpuMs; }
  as.push(a); bs.push(b); ratios.push(a / b); cpuRatios.push(ca / cb);
}
keepA.dispose();
keepB.dispose();
const median = (x: number[]): number => [...x].sort((p, q) => p - q)[Math.floor(x.length / 2)]!;
console.log(`${corpusArg}, ${pairs} pairs: A median ${median(as).toFixed(0)} ms, B median ${median(bs).toFixed(0)} ms, ` +
  `A/B median ${median(ratios).toFixed(3)} (min ${Math.min(...ratios).toFixed(3)}, max ${Math.max(...ratios).toFixed(3)}); ` +
  `CPU time A/B median ${median(cpuRatios).toFixed(3)} (min ${Math.min(...cpuRatios).toFixed(3)}, max ${Math.max(...cpuRatios).toFixed(3)})`);
