/**
 * Parse throughput: MB/s (10^6 bytes per second) for each corpus and engine.
 *
 * Owns the timing loop and its summary. Every run builds a fresh terminal (outside the timer),
 * feeds the whole corpus in fixed-size chunks, and stops the clock when the last byte is parsed;
 * disposal is untimed. Warm-up runs come first so every engine is measured JIT-hot; timed runs
 * go in rounds, one run of each engine back to back, so machine drift hits all of them alike;
 * ratios are taken per round (termpool over each other engine in the same round) and their
 * median reported, with the run-to-run spread over the rounds.
 *
 * Engines: termpool, @xterm/headless and ghostty-web (the two anchors), and `bound`, a loop that
 * only counts newlines in the same chunks: the byte-scan bound, measured in the same rounds.
 */
import { performance } from 'node:perf_hooks';
import { CORPUS_COLS, CORPUS_ROWS, makeCorpus, type CorpusName } from './corpora.js';
import { EngineProcess } from './engine-process.js';
import { errorLine, type EngineAdapter, type EngineName } from './engines.js';

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

/** A per-round figure over the rounds: median, range and spread (± half the range, % of the median). */
export interface Stats { median: number; min: number; max: number; spread: number; n: number }

export type Anchor = 'xterm' | 'ghostty' | 'bound';
const ANCHORS: readonly Anchor[] = ['xterm', 'ghostty', 'bound'];

export interface ThroughputRow {
  corpus: CorpusName;
  description: string;
  bytes: number;
  results: Partial<Record<EngineName, EngineResult>>;
  /** Whether each anchor's final visible screen equals termpool's (absent: not compared). */
  sameScreen: Partial<Record<'xterm' | 'ghostty', boolean>>;
  /** termpool's MB/s over the anchor's, per round. For `bound` that is the fraction of the bound. */
  ratios: Partial<Record<Anchor, Stats>>;
  /** Rounds whose calibration loops (before and after each run) agreed within 10%. */
  steadyRounds: number;
  rounds: number;
}

export function stats(xs: readonly number[]): Stats {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  const median = s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
  const min = s[0] ?? NaN;
  const max = s[s.length - 1] ?? NaN;
  return { median, min, max, spread: ((max - min) / 2 / median) * 100, n: s.length };
}

const gc = (globalThis as { gc?: () => void }).gc;

export async function timeOnce(
  engine: EngineAdapter,
  bytes: Uint8Array,
  opts: Pick<ThroughputOptions, 'scrollback' | 'chunk'>,
): Promise<{ seconds: number; screen: string[] }> {
  const termOpts = { cols: CORPUS_COLS, rows: CORPUS_ROWS, scrollback: opts.scrollback };
  await engine.prepare?.(termOpts);
  // Collect garbage from the previous run now, not inside this run's timer.
  gc?.();
  const term = engine.create(termOpts);
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
 * A round counts as steady when its calibration loops (before and after each run) are within
 * 10% of each other: the machine kept one speed for the whole round.
 */
const STEADY = 1.1;

/** The row for one corpus from its rounds (engine -> MB/s per round) and final screens. */
function summarize(
  name: CorpusName, description: string, bytes: number, engines: readonly EngineName[],
  rounds: Map<EngineName, number>[], steady: number, errors: Map<EngineName, string>, screens: Map<EngineName, string[]>,
): ThroughputRow {
  const results: ThroughputRow['results'] = {};
  for (const engine of engines) {
    const err = errors.get(engine);
    const s = rounds.map((r) => r.get(engine)).filter((v): v is number => v !== undefined);
    results[engine] = err !== undefined || s.length === 0 ? { error: err ?? 'no samples' } : { mbps: stats(s).median, samples: s };
  }
  const ratios: ThroughputRow['ratios'] = {};
  for (const anchor of ANCHORS) {
    if (errors.has('termpool') || errors.has(anchor)) continue;
    const rs = rounds.filter((r) => r.has('termpool') && r.has(anchor)).map((r) => r.get('termpool')! / r.get(anchor)!);
    if (rs.length) ratios[anchor] = stats(rs);
  }
  const sameScreen: ThroughputRow['sameScreen'] = {};
  const t = screens.get('termpool');
  for (const anchor of ['xterm', 'ghostty'] as const) {
    const a = screens.get(anchor);
    if (t && a) sameScreen[anchor] = t.length === a.length && t.every((line, k) => line === a[k]);
  }
  return { corpus: name, description, bytes, results, sameScreen, ratios, steadyRounds: steady, rounds: rounds.length };
}

/**
 * One process per engine (bench/throughput-child.ts), all kept alive: after their warm-up runs,
 * timed runs go in rounds, one run of each engine back to back, the order reversed every other
 * round (ABCD DCBA), so an engine's run and the runs it is compared with are seconds apart on the
 * same CPU (engine-process.ts). On these shared machines the speed of the whole machine flips by
 * up to 2x within seconds (a fixed loop: 25 vs 48 ms); a round seconds long sees one machine,
 * where a fresh process per run (a corpus build and warm-ups between the engines' runs) did not.
 * Ratios are therefore the median of the per-round ratios, not ratios of medians.
 */
export async function runThroughputIsolated(engines: readonly EngineName[], opts: ThroughputOptions): Promise<ThroughputRow[]> {
  const rows: ThroughputRow[] = [];
  for (const name of opts.corpora) {
    const corpus = makeCorpus(name, opts.sizeBytes);
    const bytes = corpus.bytes.length;
    opts.log(`throughput: ${name} (${(bytes / 1e6).toFixed(1)} MB), one process per engine, rounds alternating`);
    const errors = new Map<EngineName, string>();
    const screens = new Map<EngineName, string[]>();
    const rounds: Map<EngineName, number>[] = [];
    let steady = 0;
    // A fresh process needs more than one run for V8 to finish tiering up: at least 2 warm-ups.
    const args = { corpus: name, sizeBytes: opts.sizeBytes, warmup: Math.max(2, opts.warmup), chunk: opts.chunk, scrollback: opts.scrollback };
    const procs = new Map(engines.map((e) => [e, new EngineProcess({ ...args, engine: e })] as const));
    try {
      // Warm-ups run one engine at a time too: two at once would share the two CPUs.
      for (const [engine, proc] of procs) {
        const r = await proc.ready();
        if (!r.ready) { errors.set(engine, r.error ?? 'not ready'); opts.log(`  ${engine} failed: ${r.error}`); }
      }
      for (let i = 0; i < opts.runs; i++) {
        const order = i % 2 === 0 ? engines : [...engines].reverse();
        const round = new Map<EngineName, number>();
        const cals: number[] = [];
        for (const engine of order) {
          if (errors.has(engine)) continue;
          const r = await procs.get(engine)!.run();
          if (r.error !== undefined || r.sample === undefined) {
            errors.set(engine, r.error ?? 'no sample');
            opts.log(`  ${engine} failed: ${r.error}`);
            continue;
          }
          round.set(engine, r.sample);
          cals.push(...(r.calibration ?? []));
          screens.set(engine, r.screen ?? []);
        }
        const isSteady = cals.length > 0 && Math.max(...cals) <= Math.min(...cals) * STEADY;
        if (isSteady) steady++;
        rounds.push(round);
        const t = round.get('termpool');
        opts.log(`  round ${i + 1}/${opts.runs}: ${[...round].map(([e, v]) => `${e} ${v.toFixed(1)}`).join(', ')} MB/s` +
          (t !== undefined ? ' (' + ANCHORS.filter((a) => round.has(a)).map((a) => `${a} ${(t / round.get(a)!).toFixed(2)}x`).join(', ') + ')' : '') +
          (isSteady ? '' : ' (machine changed speed)'));
      }
      rows.push(summarize(name, corpus.description, bytes, engines, rounds, steady, errors, screens));
    } finally {
      for (const proc of procs.values()) proc.close();
    }
  }
  return rows;
}

/** All engines in this process, in rounds (kept for `--in-process`; see runThroughputIsolated). */
export async function runThroughput(engines: readonly EngineAdapter[], opts: ThroughputOptions): Promise<ThroughputRow[]> {
  const rows: ThroughputRow[] = [];
  for (const name of opts.corpora) {
    const corpus = makeCorpus(name, opts.sizeBytes);
    const mb = corpus.bytes.length / 1e6;
    opts.log(`throughput: ${name} (${mb.toFixed(1)} MB)`);
    const errors = new Map<EngineName, string>();
    const screens = new Map<EngineName, string[]>();
    const rounds: Map<EngineName, number>[] = [];
    for (let i = -opts.warmup; i < opts.runs; i++) {
      const round = new Map<EngineName, number>();
      for (const engine of engines) {
        if (errors.has(engine.name)) continue;
        try {
          const { seconds, screen } = await timeOnce(engine, corpus.bytes, opts);
          if (i < 0) continue;
          round.set(engine.name, mb / seconds);
          screens.set(engine.name, screen);
        } catch (err) {
          // A crashing engine must not take the other engines' numbers down with it.
          errors.set(engine.name, errorLine(err));
          opts.log(`  ${engine.name} failed: ${errorLine(err)}`);
        }
      }
      if (i >= 0) {
        rounds.push(round);
        opts.log(`  round ${i + 1}/${opts.runs}: ${[...round].map(([e, v]) => `${e} ${v.toFixed(1)}`).join(', ')} MB/s`);
      }
    }
    rows.push(summarize(name, corpus.description, corpus.bytes.length, engines.map((e) => e.name), rounds, 0, errors, screens));
  }
  return rows;
}

const pct = (x: number): string => `±${x.toFixed(0)}%`;

/** Median MB/s with the run-to-run spread, so a noisy machine shows up in the table rather than hiding. */
function cell(r: EngineResult | undefined, spread = false): string {
  if (!r) return 'skipped';
  if ('error' in r) return 'n/a';
  return spread ? `${r.mbps.toFixed(1)} ${pct(stats(r.samples).spread)}` : r.mbps.toFixed(1);
}

function ratioCell(s: Stats | undefined, target: number): string {
  if (!s) return 'n/a';
  const v = `${s.median.toFixed(2)}x ${pct(s.spread)}`;
  return s.median >= target ? `**${v}**` : v;
}

/** What the issue asks of each figure (issue 27's targets). */
export const TARGETS = { xterm: 3, ghostty: 2, plainBound: 0.4, spread: 15 } as const;

/** Markdown table; errors are listed under it so a table cell stays one short word. */
export function formatThroughput(rows: readonly ThroughputRow[], chunk: number): string {
  const lines = [
    '| corpus | size (MB) | termpool MB/s ±spread | xterm MB/s | ghostty-web MB/s | byte-scan bound MB/s | termpool / xterm | termpool / ghostty-web | fraction of the bound | steady rounds | same final screen (xterm, ghostty) |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|:---:|',
  ];
  const notes = new Set<string>();
  for (const row of rows) {
    const r = row.results;
    const b = row.ratios.bound;
    const bound = b ? `${(b.median * 100).toFixed(1)}% ${pct(b.spread)}` : 'n/a';
    const yn = (v: boolean | undefined): string => (v === undefined ? '-' : v ? 'yes' : 'no');
    lines.push(`| ${row.corpus} | ${(row.bytes / 1e6).toFixed(1)} | ${cell(r.termpool, true)} | ${cell(r.xterm)} | ${cell(r.ghostty)} | ${cell(r.bound)} | ` +
      `${ratioCell(row.ratios.xterm, TARGETS.xterm)} | ${ratioCell(row.ratios.ghostty, TARGETS.ghostty)} | ${bound} | ${row.steadyRounds} of ${row.rounds} | ${yn(row.sameScreen.xterm)}, ${yn(row.sameScreen.ghostty)} |`);
    for (const [engine, res] of Object.entries(r)) if (res && 'error' in res) notes.add(`${engine}: ${res.error}`);
  }
  lines.push('',
    `Every engine gets the same ${chunk.toLocaleString('en-US')}-byte writes (a pty delivers at most 4 KiB at a time). Ratios are medians of the per-round ratios, ` +
    'in bold where the target is met (3x xterm, 2x ghostty-web); ±spread is half the range over the rounds, as a percentage of the median ' +
    '(termpool MB/s, and each ratio). The bound is a JS loop counting newlines in the same chunks, in its own process, in the same rounds.',
    '', ...rows.map((r) => `- \`${r.corpus}\`: ${r.description}`));
  if (notes.size) lines.push('', ...[...notes].map((n) => `- n/a because ${n}`));
  return lines.join('\n');
}

/** Which targets the rows meet, one line each (for BENCHMARKS.md's notes and the log). */
export function targetSummary(rows: readonly ThroughputRow[]): string[] {
  const out: string[] = [];
  const list = (pred: (r: ThroughputRow) => boolean): string => rows.filter(pred).map((r) => r.corpus).join(', ') || 'none';
  out.push(`- >= ${TARGETS.xterm}x xterm: met on ${list((r) => (r.ratios.xterm?.median ?? 0) >= TARGETS.xterm)}; not on ${list((r) => (r.ratios.xterm?.median ?? 0) < TARGETS.xterm)}`);
  out.push(`- >= ${TARGETS.ghostty}x ghostty-web: met on ${list((r) => (r.ratios.ghostty?.median ?? 0) >= TARGETS.ghostty)}; not on ${list((r) => (r.ratios.ghostty?.median ?? 0) < TARGETS.ghostty)}`);
  const plain = rows.find((r) => r.corpus === 'plain')?.ratios.bound;
  if (plain) out.push(`- plain >= ${TARGETS.plainBound * 100}% of the byte-scan bound: ${(plain.median * 100).toFixed(1)}% (${plain.median >= TARGETS.plainBound ? 'met' : 'not met'})`);
  const spreadOf = (r: ThroughputRow): number => Math.max(...[r.results.termpool, r.ratios.xterm, r.ratios.ghostty]
    .map((x) => (x && 'spread' in x ? x.spread : x && 'samples' in x ? stats(x.samples).spread : 0)));
  out.push(`- run-to-run spread within ±${TARGETS.spread}% (termpool MB/s and both ratios): met on ${list((r) => spreadOf(r) <= TARGETS.spread)}; not on ${list((r) => spreadOf(r) > TARGETS.spread)}`);
  return out;
}
