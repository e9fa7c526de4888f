/**
 * One engine's throughput runs in a process of its own (driven by throughput.ts): builds the
 * corpus, does the warm-up runs, prints `{ "ready": true }`, then does one timed run per
 * `run` line on stdin and answers each with `{ sample: MB/s, screen: string[],
 * calibration: [ms before, ms after] }` (or `{ error }`). `quit` (or stdin closing) ends
 * it. The parent keeps one such process per engine alive and alternates timed runs between
 * them, so the two runs of a pair are seconds apart, not a whole process start, corpus
 * build and warm-up apart.
 *
 * Why a process per engine: run in one process, each engine's JIT-compiled code is partly
 * thrown away while the other engine runs (V8 "weak objects" deopts), so every run measured
 * a re-warm; the faster engine pays a larger share of its shorter run for it.
 *
 * Why a keeper terminal: a V8 hidden class reached only through transitions is collected
 * when the last object using it dies, and optimized code that embeds it is thrown away
 * ("weak objects"). With one terminal at a time, the forced GC before each run therefore
 * collected the engine's classes and every timed run was a cold start (termpool styled
 * 75 MB/s with, 110 MB/s without). A service always hosts other terminals, so each process
 * keeps one terminal of the engine under test alive, fed a little of the corpus, for both
 * engines alike.
 */
import { createInterface } from 'node:readline';
import { makeCorpus, type CorpusName } from './corpora.js';
import { byteScanAdapter, errorLine, loadEngine, termpoolAdapter, xtermAdapter, type EngineAdapter, type EngineName } from './engines.js';
import { ghosttyAdapter } from './ghostty-engine.js';
import { timeOnce, type ThroughputOptions } from './throughput.js';

interface ChildArgs {
  engine: EngineName;
  corpus: CorpusName;
  sizeBytes: number;
  warmup: number;
  chunk: number;
  scrollback: number;
}

const reply = (msg: object): void => { process.stdout.write(JSON.stringify(msg) + '\n'); };

/**
 * The machine's speed right now: ms for a fixed integer loop (about 10 ms). Timed before and
 * after each run, so the parent can tell the runs during which the VM changed speed.
 */
const calBuf = new Uint32Array(1 << 14);
function calibrate(): number {
  const t0 = performance.now();
  let x = 0;
  for (let k = 0; k < 200; k++) {
    for (let i = 0; i < calBuf.length; i++) { calBuf[i] = (Math.imul(calBuf[i]!, 31) + i) | 0; x ^= calBuf[i]!; }
  }
  if (x === 0.5) reply({}); // never: keeps the loop from being optimized away
  return performance.now() - t0;
}

async function main(): Promise<void> {
  const args = JSON.parse(process.argv[2] ?? '{}') as ChildArgs;
  let engine: EngineAdapter;
  if (args.engine === 'xterm') engine = xtermAdapter;
  else if (args.engine === 'ghostty') engine = ghosttyAdapter();
  else if (args.engine === 'bound') engine = byteScanAdapter;
  else {
    const loaded = await loadEngine();
    if ('error' in loaded) throw new Error(loaded.error);
    engine = termpoolAdapter(loaded.engine);
  }
  const corpus = makeCorpus(args.corpus, args.sizeBytes);
  const keeperOpts = { cols: 80, rows: 24, scrollback: args.scrollback };
  await engine.prepare?.(keeperOpts);
  const keeper = engine.create(keeperOpts);
  await keeper.writeAll(corpus.bytes.subarray(0, 256 * 1024), args.chunk);
  const mb = corpus.bytes.length / 1e6;
  const opts = { scrollback: args.scrollback, chunk: args.chunk } as ThroughputOptions;
  for (let i = 0; i < args.warmup; i++) { calibrate(); await timeOnce(engine, corpus.bytes, opts); }
  for (let i = 0; i < 5; i++) calibrate();
  reply({ ready: true });
  for await (const line of createInterface({ input: process.stdin })) {
    if (line.trim() !== 'run') break;
    const before = calibrate();
    const r = await timeOnce(engine, corpus.bytes, opts);
    const after = calibrate();
    reply({ sample: mb / r.seconds, screen: r.screen, calibration: [before, after] });
  }
  keeper.dispose();
}

main().catch((err: unknown) => {
  reply({ error: errorLine(err) });
  process.exitCode = 1;
});
