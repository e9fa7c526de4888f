/**
 * Parse throughput: MB/s (10^6 bytes per second) for each corpus and engine.
 *
 * Owns the timing loop. Every run builds a fresh terminal (outside the timer), feeds the whole
 * corpus in fixed-size chunks, and stops the clock when the last byte is parsed; disposal is
 * untimed. Warm-up runs come first so both engines are measured JIT-hot, runs alternate
 * engines back to back so machine drift hits both, and medians are reported because they shrug
 * off a GC pause or a noisy neighbour (the ratio: the median of the per-pair ratios).
 */
import { performance } from 'node:perf_hooks';
import { CORPUS_COLS, CORPUS_ROWS, makeCorpus, type CorpusName } from './corpora.js';
import { EngineProcess } from './engine-process.js';
import { errorLine, type EngineAdapter } from './engines.js';

export interface ThroughputOptions {
  corpora: readonly CorpusName[];
  sizeBytes: number;
  runs: number;
  warmup: number;
  chunk: number;
  scrollback: number;
  log: (msg: string) => void;
}

export type EngineResult = { mbps: number; samples: number[] } | { error: string };

export interface ThroughputRow {
  corpus: CorpusName;
  description: string;
  bytes: number;
  results: Partial<Record<EngineAdapter['name'], EngineResult>>;
  /** Whether the final visible screens of both engines were identical (null: not compared). */
  sameScreen: boolean | null;
  /** termpool/xterm per pair of back-to-back runs (isolated mode); absent: ratio of medians. */
  ratio?: { median: number; min: number; max: number; steady: number | null; steadyPairs: number; pairs: number };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

const gc = (globalThis as { gc?: () => void }).gc;

export async function timeOnce(
  engine: EngineAdapter,
  bytes: Uint8Array,
  opts: ThroughputOptions,
): Promise<{ seconds: number; screen: string[] }> {
  // Collect garbage from the previous run now, not inside this run's timer.
  gc?.();
  const term = engine.create({ cols: CORPUS_COLS, rows: CORPUS_ROWS, scrollback: opts.scrollback });
  try {
    const t0 = performance.now();
    await term.writeAll(bytes, opts.chunk);
    const seconds = (performance.now() - t0) / 1000;
    return { seconds, screen: term.screenLines() };
  } finally {
    term.dispose();
  }
}

/**
 * A pair counts as steady when its four calibration loops (before and after each run) are
 * within 10% of each other: the machine kept one speed for the whole pair.
 */
const STEADY = 1.1;

/**
 * One process per engine (bench/throughput-child.ts), both kept alive: after their warm-up
 * runs, timed runs alternate between them in ABBA order, so the two runs of a pair are
 * back to back on the same CPU (engine-process.ts). On these shared machines the speed of
 * the whole machine flips by up to 2x within seconds (a fixed loop: 25 vs 48 ms); a pair
 * seconds apart sees the same machine, where a fresh process per run (a corpus build and
 * warm-ups between the two engines' runs) did not. The ratio reported is therefore the
 * median of the pair ratios, not the ratio of the two medians; and next to it the median
 * over the steady pairs only (see STEADY), which leaves out pairs whose two runs still saw
 * different machines.
 */
export async function runThroughputIsolated(engines: readonly EngineAdapter['name'][], opts: ThroughputOptions): Promise<ThroughputRow[]> {
  const rows: ThroughputRow[] = [];
  for (const name of opts.corpora) {
    const corpus = makeCorpus(name, opts.sizeBytes);
    const bytes = corpus.bytes.length;
    opts.log(`throughput: ${name} (${(bytes / 1e6).toFixed(1)} MB), one process per engine, runs alternating`);
    const samples = new Map<EngineAdapter['name'], number[]>();
    const errors = new Map<EngineAdapter['name'], string>();
    const screens = new Map<EngineAdapter['name'], string[]>();
    // A fresh process needs more than one run for V8 to finish tiering up: at least 2 warm-ups.
    const args = { corpus: name, sizeBytes: opts.sizeBytes, warmup: Math.max(2, opts.warmup), chunk: opts.chunk, scrollback: opts.scrollback };
    const procs = new Map(engines.map((e) => [e, new EngineProcess({ ...args, engine: e })] as const));
    try {
      // Warm-ups run one engine at a time too: two at once would share the two CPUs.
      for (const [engine, proc] of procs) {
        const r = await proc.ready();
        if (!r.ready) { errors.set(engine, r.error ?? 'not ready'); opts.log(`  ${engine} failed: ${r.error}`); }
      }
      const pairRatios: number[] = [];
      const steadyRatios: number[] = [];
      for (let i = 0; i < opts.runs; i++) {
        const order = i % 2 === 0 ? engines : [...engines].reverse();
        const pair = new Map<EngineAdapter['name'], number>();
        const cals: number[] = [];
        for (const engine of order) {
          if (errors.has(engine)) continue;
          const r = await procs.get(engine)!.run();
          if (r.error !== undefined || r.sample === undefined) {
            errors.set(engine, r.error ?? 'no sample');
            opts.log(`  ${engine} failed: ${r.error}`);
            continue;
          }
          pair.set(engine, r.sample);
          cals.push(...(r.calibration ?? []));
          samples.set(engine, [...(samples.get(engine) ?? []), r.sample]);
          screens.set(engine, r.screen ?? []);
        }
        const t = pair.get('termpool');
        const x = pair.get('xterm');
        // Steady: the four calibrations around the pair's two runs agree within STEADY.
        const steady = cals.length === 4 && Math.max(...cals) <= Math.min(...cals) * STEADY;
        if (t !== undefined && x !== undefined) {
          pairRatios.push(t / x);
          if (steady) steadyRatios.push(t / x);
        }
        opts.log(`  run ${i + 1}/${opts.runs}: ${[...pair].map(([e, v]) => `${e} ${v.toFixed(1)}`).join(', ')} MB/s` +
          (t !== undefined && x !== undefined ? ` (${(t / x).toFixed(2)}x)` : '') +
          ` calibration ${cals.map((c) => c.toFixed(1)).join('/')} ms${steady ? '' : ' (machine changed speed)'}`);
      }
      const results: ThroughputRow['results'] = {};
      for (const engine of engines) {
        const err = errors.get(engine);
        const s = samples.get(engine);
        results[engine] = err !== undefined || !s ? { error: err ?? 'no samples' } : { mbps: median(s), samples: s };
      }
      const a = screens.get('termpool');
      const b = screens.get('xterm');
      const sameScreen = a && b ? a.length === b.length && a.every((line, k) => line === b[k]) : null;
      const ratio = pairRatios.length > 0 && errors.size === 0 ? {
        median: median(pairRatios), min: Math.min(...pairRatios), max: Math.max(...pairRatios),
        steady: steadyRatios.length > 0 ? median(steadyRatios) : null, steadyPairs: steadyRatios.length, pairs: pairRatios.length,
      } : undefined;
      rows.push({ corpus: name, description: corpus.description, bytes, results, sameScreen, ratio });
    } finally {
      for (const proc of procs.values()) proc.close();
    }
  }
  return rows;
}

/** Both engines in this process, alternating (kept for `--in-process`; see runThroughputIsolated). */
export async function runThroughput(engines: readonly EngineAdapter[], opts: ThroughputOptions): Promise<ThroughputRow[]> {
  const rows: ThroughputRow[] = [];
  for (const name of opts.corpora) {
    const corpus = makeCorpus(name, opts.sizeBytes);
    const mb = corpus.bytes.length / 1e6;
    opts.log(`throughput: ${name} (${mb.toFixed(1)} MB)`);
    const samples = new Map<EngineAdapter['name'], number[]>();
    const errors = new Map<EngineAdapter['name'], string>();
    const screens = new Map<EngineAdapter['name'], string[]>();

    for (let i = -opts.warmup; i < opts.runs; i++) {
      for (const engine of engines) {
        if (errors.has(engine.name)) continue;
        try {
          const { seconds, screen } = await timeOnce(engine, corpus.bytes, opts);
          if (i < 0) continue;
          const list = samples.get(engine.name) ?? [];
          list.push(mb / seconds);
          samples.set(engine.name, list);
          screens.set(engine.name, screen);
          opts.log(`  ${engine.name.padEnd(8)} run ${i + 1}/${opts.runs}: ${(mb / seconds).toFixed(1)} MB/s`);
        } catch (err) {
          // A crashing engine must not take the other engine's numbers down with it.
          errors.set(engine.name, errorLine(err));
          opts.log(`  ${engine.name} failed: ${errorLine(err)}`);
        }
      }
    }

    const results: ThroughputRow['results'] = {};
    for (const engine of engines) {
      const err = errors.get(engine.name);
      const s = samples.get(engine.name);
      results[engine.name] = err !== undefined || !s ? { error: err ?? 'no samples' } : { mbps: median(s), samples: s };
    }
    const a = screens.get('termpool');
    const b = screens.get('xterm');
    const sameScreen = a && b ? a.length === b.length && a.every((line, k) => line === b[k]) : null;
    rows.push({ corpus: name, description: corpus.description, bytes: corpus.bytes.length, results, sameScreen });
  }
  return rows;
}

/** Median with the run range, so a noisy machine shows up in the table rather than hiding. */
function cell(r: EngineResult | undefined): string {
  if (!r) return 'skipped';
  if ('error' in r) return 'n/a';
  const lo = Math.min(...r.samples);
  const hi = Math.max(...r.samples);
  return `${r.mbps.toFixed(1)} (${lo.toFixed(0)}–${hi.toFixed(0)})`;
}

/** Markdown table; errors are listed under it so a table cell stays one short word. */
export function formatThroughput(rows: readonly ThroughputRow[]): string {
  const lines = [
    '| corpus | size (MB) | termpool MB/s (min–max) | xterm MB/s (min–max) | termpool/xterm (min–max) | steady pairs only | same final screen |',
    '|---|---:|---:|---:|---:|---:|:---:|',
  ];
  const notes = new Set<string>();
  for (const row of rows) {
    const t = row.results.termpool;
    const x = row.results.xterm;
    const ratio = !t || !x || 'error' in t || 'error' in x ? 'n/a | n/a'
      : row.ratio ? `${row.ratio.median.toFixed(2)}x (${row.ratio.min.toFixed(2)}–${row.ratio.max.toFixed(2)}) | ` +
        (row.ratio.steady === null ? `none of ${row.ratio.pairs}` : `${row.ratio.steady.toFixed(2)}x (${row.ratio.steadyPairs} of ${row.ratio.pairs})`)
      : `${(t.mbps / x.mbps).toFixed(2)}x | -`;
    const same = row.sameScreen === null ? '-' : row.sameScreen ? 'yes' : 'no';
    lines.push(`| ${row.corpus} | ${(row.bytes / 1e6).toFixed(1)} | ${cell(t)} | ${cell(x)} | ${ratio} | ${same} |`);
    for (const [engine, r] of Object.entries(row.results)) if (r && 'error' in r) notes.add(`${engine}: ${r.error}`);
  }
  lines.push('', ...rows.map((r) => `- \`${r.corpus}\`: ${r.description}`));
  if (notes.size) lines.push('', ...[...notes].map((n) => `- n/a because ${n}`));
  return lines.join('\n');
}
