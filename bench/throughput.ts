/**
 * Parse throughput: MB/s (10^6 bytes per second) for each corpus and engine.
 *
 * Owns the timing loop. Every run builds a fresh terminal (outside the timer), feeds the whole
 * corpus in fixed-size chunks, and stops the clock when the last byte is parsed; disposal is
 * untimed. Warm-up runs come first so both engines are measured JIT-hot, runs alternate
 * engines so machine drift hits both, and the median is reported because it shrugs off a GC
 * pause or a noisy neighbour.
 */
import { spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { CORPUS_COLS, CORPUS_ROWS, makeCorpus, type CorpusName } from './corpora.js';
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
 * Each timed run happens in a fresh process per engine (bench/throughput-child.ts), with the
 * engines alternating in time so machine drift hits both: a process does the warm-up runs
 * and then one timed run. See throughput-child.ts for why one process per engine.
 */
export async function runThroughputIsolated(engines: readonly EngineAdapter['name'][], opts: ThroughputOptions): Promise<ThroughputRow[]> {
  const child = fileURLToPath(new URL('./throughput-child.js', import.meta.url));
  const rows: ThroughputRow[] = [];
  for (const name of opts.corpora) {
    const corpus = makeCorpus(name, opts.sizeBytes);
    opts.log(`throughput: ${name} (${(corpus.bytes.length / 1e6).toFixed(1)} MB), one process per run`);
    const samples = new Map<EngineAdapter['name'], number[]>();
    const errors = new Map<EngineAdapter['name'], string>();
    const screens = new Map<EngineAdapter['name'], string[]>();
    for (let i = 0; i < opts.runs; i++) {
      for (const engine of engines) {
        if (errors.has(engine)) continue;
        // A fresh process needs more than one run for V8 to finish tiering up: at least 2 warm-ups.
        const args = { engine, corpus: name, sizeBytes: opts.sizeBytes, warmup: Math.max(2, opts.warmup), runs: 1, chunk: opts.chunk, scrollback: opts.scrollback };
        const res = spawnSync(process.execPath, ['--expose-gc', child, JSON.stringify(args)], { encoding: 'utf8', maxBuffer: 64 << 20 });
        const line = (res.stdout ?? '').trim().split('\n').pop() ?? '';
        let out: { samples?: number[]; screen?: string[]; error?: string };
        try { out = JSON.parse(line); } catch { out = { error: `child failed (${res.status}): ${(res.stderr ?? '').split('\n')[0]}` }; }
        if (out.error || !out.samples) {
          errors.set(engine, out.error ?? 'no samples');
          opts.log(`  ${engine} failed: ${out.error}`);
          continue;
        }
        const list = samples.get(engine) ?? [];
        list.push(...out.samples);
        samples.set(engine, list);
        screens.set(engine, out.screen ?? []);
        opts.log(`  ${engine.padEnd(8)} run ${i + 1}/${opts.runs}: ${out.samples.map((x) => x.toFixed(1)).join(', ')} MB/s`);
      }
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
    rows.push({ corpus: name, description: corpus.description, bytes: corpus.bytes.length, results, sameScreen });
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
    '| corpus | size (MB) | termpool MB/s (min–max) | xterm MB/s (min–max) | termpool/xterm | same final screen |',
    '|---|---:|---:|---:|---:|:---:|',
  ];
  const notes = new Set<string>();
  for (const row of rows) {
    const t = row.results.termpool;
    const x = row.results.xterm;
    const ratio = t && x && !('error' in t) && !('error' in x) ? `${(t.mbps / x.mbps).toFixed(2)}x` : 'n/a';
    const same = row.sameScreen === null ? '-' : row.sameScreen ? 'yes' : 'no';
    lines.push(`| ${row.corpus} | ${(row.bytes / 1e6).toFixed(1)} | ${cell(t)} | ${cell(x)} | ${ratio} | ${same} |`);
    for (const [engine, r] of Object.entries(row.results)) if (r && 'error' in r) notes.add(`${engine}: ${r.error}`);
  }
  lines.push('', ...rows.map((r) => `- \`${r.corpus}\`: ${r.description}`));
  if (notes.size) lines.push('', ...[...notes].map((n) => `- n/a because ${n}`));
  return lines.join('\n');
}
