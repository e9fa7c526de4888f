/**
 * Leak soak: `npm run bench -- soak [--lifecycles N] [--seed N] [--compress-idle N] [--write]`.
 *
 * Owns the lifecycle script and its verdict. N terminal lifecycles run on ONE PagePool, up to
 * LIVE of them interleaved (so pages are recycled between terminals of different widths):
 *
 *   create   random size: mostly ordinary, some wide (300–1,300 cols) and ~15% very wide
 *            (> 1,300 cols, where a standard page cannot hold 16 rows: oversized pages only)
 *   fill     past the scrollback limit, in 3 parts, with a mix that overflows the standard
 *            page budgets: full-width rows, runs of distinct RGB styles (> 128 per page), emoji,
 *            ZWJ sequences, flags and combining marks (grapheme arena), OSC 8 links (> 64 per
 *            page), CJK; sometimes a burst on the alternate screen
 *   resize   between the fill parts (2–3 times, across the 1,300-column line too)
 *   destroy  dispose()
 *
 * Afterwards the pool must be back at its baseline (after `trim()`: nothing lent, nothing free,
 * no oversized or compressed page, no owner), the independent audit must find 0 leaked,
 * stranded and dangling bytes and no ledger drift, and every oversized page created must have
 * been freed. RSS is read after forced GC once a warm-up batch has run and again at the end:
 * the drift must stay under 5% (the CLI reports it; the test suite asserts figures only).
 */
import { parseArgs } from 'node:util';
import { rng } from './corpora.js';
import { auditPool, PagePool, Terminal, type AuditReport, type PoolStats } from '../src/engine/index.js';
import { environmentLines, writeBenchSection } from './capacity.js';

/** Lifecycles alive at once. */
const LIVE = 8;
/** Beyond this width a standard page holds fewer than 16 rows (capacity.ts): oversized pages. */
export const VERY_WIDE_COLS = 1300;

export interface SoakOptions {
  lifecycles: number;
  seed?: number;
  /** Lifecycles before the RSS/heap baseline is read (warm-up: code, free list, allocator). */
  warmup?: number;
  /** Run Terminal.assertIntegrity() after every fill part of every Nth lifecycle (0 = never). */
  checkEvery?: number;
  /** PagePool option: idle ticks before a cold page is compressed (0 = off); pool default if unset. */
  compressIdlePages?: number;
  log?: (msg: string) => void;
}

export interface SoakResult {
  lifecycles: number;
  seconds: number;
  bytesWritten: number;
  resizes: number;
  veryWideTerminals: number;
  altScreenBursts: number;
  maxCols: number;
  compressIdlePages: number;
  /** Pool after trim() at the start and at the end. */
  baseline: PoolStats;
  final: PoolStats;
  atBaseline: boolean;
  /** Fields that differ from the baseline (empty when at baseline). */
  baselineDiff: string[];
  audit: Omit<AuditReport, 'owners'> & { owners: number };
  oversizedCreated: number;
  oversizedFreed: number;
  peakPoolBytes: number;
  /** After GC, once the warm-up lifecycles ran, and at the end (null without --expose-gc). */
  rssWarm: number | null;
  rssEnd: number | null;
  rssDriftPct: number | null;
  heapWarm: number | null;
  heapEnd: number | null;
  heapDriftPct: number | null;
  /** V8 heap reserved (heapTotal) and external memory after GC, after warm-up → end: where RSS went. */
  heapTotalWarm: number | null;
  heapTotalEnd: number | null;
  externalWarm: number | null;
  externalEnd: number | null;
  /** RSS after GC at quiescent checkpoints (no terminal alive, pool trimmed): the curve's shape
   *  tells a plateau (allocator high-water mark) from a leak (steady growth). */
  rssCurve: { lifecycles: number; rss: number }[];
}

const GRAPHEMES = [
  '👨‍👩‍👧‍👦', '🏳️‍🌈', '🇫🇷', '🇯🇵', 'e\u0301', 'a\u0308\u0304', '👍🏽', '🧑‍💻', '❤️', 'ก\u0e33', '😀', '漢', '字', '한',
];

type Rand = () => number;
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
const int = (r: Rand, lo: number, hi: number): number => lo + Math.floor(r() * (hi - lo + 1));

function randomSize(r: Rand): { cols: number; rows: number } {
  const k = r();
  const cols = k < 0.5 ? int(r, 20, 200) : k < 0.85 ? int(r, 200, VERY_WIDE_COLS) : int(r, VERY_WIDE_COLS + 1, 2000);
  return { cols, rows: int(r, 3, 50) };
}

/** Shared counters so styles and links are distinct across the whole soak. */
interface Mix { style: number; link: number }

/** One output line of the mix, about `cols` columns wide or less. */
function mixLine(r: Rand, cols: number, mix: Mix): string {
  const k = r();
  if (k < 0.3) return `plain ${mix.style} ${'lorem ipsum '.repeat(int(r, 0, 5))}`;
  if (k < 0.45) {
    // A full-width row (wide terminals: every cell of a very long row is written).
    return 'x'.repeat(Math.max(1, cols - 1));
  }
  if (k < 0.65) {
    // Distinct 24-bit colours, one per short word: quickly past the 128-style page budget.
    let s = '';
    const n = Math.min(40, Math.max(1, Math.floor(cols / 4)));
    for (let i = 0; i < n; i++, mix.style++) {
      s += `\x1b[38;2;${mix.style & 255};${(mix.style >> 8) & 255};${(mix.style >> 16) & 255}${i % 3 === 0 ? ';1' : ''}mab `;
    }
    return s + '\x1b[0m';
  }
  if (k < 0.82) {
    // Graphemes: ZWJ families, flags, skin tones, combining marks, CJK (wide cells).
    let s = '';
    const n = Math.min(30, Math.max(1, Math.floor(cols / 3)));
    for (let i = 0; i < n; i++) s += pick(r, GRAPHEMES);
    return s;
  }
  // OSC 8 hyperlinks, each with its own URI: past the 64-link page budget.
  let s = '';
  const n = Math.min(8, Math.max(1, Math.floor(cols / 12)));
  for (let i = 0; i < n; i++, mix.link++) s += `\x1b]8;id=l${mix.link};https://example.com/${mix.link}\x1b\\link${i}\x1b]8;;\x1b\\ `;
  return s;
}

interface Lifecycle {
  term: Terminal;
  /** Remaining steps: 'fill' writes a part, 'resize' resizes, 'alt' a burst on the alt screen. */
  steps: ('fill' | 'resize' | 'alt')[];
  linesPerFill: number;
  index: number;
}

const gc = (globalThis as { gc?: () => void }).gc;

async function settled(): Promise<{ rss: number; heap: number; heapTotal: number; external: number } | null> {
  if (!gc) return null;
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 30));
  }
  gc();
  const m = process.memoryUsage();
  return { rss: m.rss, heap: m.heapUsed + m.arrayBuffers, heapTotal: m.heapTotal, external: m.external };
}

/** Current-state fields of PoolStats (running totals excluded) that must return to baseline. */
const STATE_FIELDS = [
  'standardPages', 'lentStandardPages', 'freeStandardPages', 'oversizedPages', 'bytesAllocated', 'bytesLent',
  'bytesFree', 'oversizedBytes', 'compressedPages', 'compressedBytes', 'owners',
] as const;

export async function runSoak(opts: SoakOptions): Promise<SoakResult> {
  const r = rng(opts.seed ?? 1);
  const log = opts.log ?? (() => {});
  const warmup = Math.min(opts.warmup ?? Math.max(1, Math.floor(opts.lifecycles / 20)), opts.lifecycles);
  const checkEvery = opts.checkEvery ?? 0;
  const pool = new PagePool(opts.compressIdlePages === undefined ? {} : { compressIdlePages: opts.compressIdlePages });
  pool.trim();
  const baseline = pool.stats();
  const mix: Mix = { style: 0, link: 0 };
  const live: Lifecycle[] = [];
  let started = 0;
  let finished = 0;
  let bytesWritten = 0;
  let resizes = 0;
  let veryWide = 0;
  let altBursts = 0;
  let maxCols = 0;
  let peakPoolBytes = 0;
  let warm: { rss: number; heap: number; heapTotal: number; external: number } | null = null;
  // Quiescent RSS checkpoints: the warm-up, then every tenth of the run.
  const every = Math.max(1, Math.floor(opts.lifecycles / 10));
  const checkpoints = [warmup];
  for (let c = every; c < opts.lifecycles; c += every) if (c > warmup) checkpoints.push(c);
  const rssCurve: { lifecycles: number; rss: number }[] = [];
  const t0 = performance.now();

  const write = (lc: Lifecycle, s: string): void => {
    const bytes = Buffer.from(s, 'utf8');
    bytesWritten += bytes.length;
    lc.term.write(bytes);
  };

  const fill = (lc: Lifecycle, lines: number): void => {
    const cols = lc.term.cols;
    let batch = '';
    for (let i = 0; i < lines; i++) {
      batch += mixLine(r, cols, mix) + '\r\n';
      if (batch.length > 32 * 1024) { write(lc, batch); batch = ''; }
    }
    if (batch) write(lc, batch);
    lc.term.compressColdPages(); // the service's quiet-time sweep, so compressed pages are soaked too
  };

  while (finished < opts.lifecycles) {
    // After the warm-up lifecycles, let the live ones finish, then read RSS at a quiescent
    // point (no terminal alive, free list trimmed): the end reading is taken the same way.
    if (checkpoints.length > 0 && finished >= checkpoints[0]! && live.length === 0) {
      checkpoints.shift();
      pool.trim();
      const m = await settled();
      if (warm === null) warm = m ?? { rss: -1, heap: -1, heapTotal: -1, external: -1 };
      if (m) rssCurve.push({ lifecycles: finished, rss: m.rss });
    }
    // Before a checkpoint, start nothing new so the live lifecycles drain.
    while (live.length < LIVE && started < opts.lifecycles && (checkpoints.length === 0 || started < checkpoints[0]!)) {
      const { cols, rows } = randomSize(r);
      const scrollback = int(r, 20, 300);
      const term = new Terminal({ cols, rows, scrollback, pool, label: `soak-${started}` });
      if (cols > VERY_WIDE_COLS) veryWide++;
      maxCols = Math.max(maxCols, cols);
      // 3 fill parts that together write the screen plus 1.2–2x the scrollback limit.
      const total = Math.ceil((scrollback + rows) * (1.2 + r() * 0.8));
      const steps: Lifecycle['steps'] = ['fill', 'resize', 'fill', 'resize', 'fill'];
      if (r() < 0.5) steps.splice(3, 0, 'resize');
      if (r() < 0.3) steps.splice(2, 0, 'alt');
      live.push({ term, steps, linesPerFill: Math.ceil(total / 3), index: started });
      started++;
    }
    if (live.length === 0) break;
    // Advance one random live lifecycle by one step, so terminals interleave on the pool.
    const slot = Math.floor(r() * live.length);
    const lc = live[slot]!;
    const step = lc.steps.shift();
    if (step === 'fill') {
      fill(lc, lc.linesPerFill);
    } else if (step === 'resize') {
      const { cols, rows } = r() < 0.3 && lc.term.cols <= VERY_WIDE_COLS ? { cols: int(r, VERY_WIDE_COLS + 1, 1800), rows: int(r, 3, 30) } : randomSize(r);
      lc.term.resize(cols, rows);
      maxCols = Math.max(maxCols, cols);
      resizes++;
    } else if (step === 'alt') {
      // Alternate screen: its own page list, filled and scrolled, then left (pages released).
      write(lc, '\x1b[?1049h\x1b[H');
      fill(lc, lc.term.rows * 2);
      write(lc, '\x1b[?1049l');
      altBursts++;
    }
    if (step !== undefined && checkEvery > 0 && lc.index % checkEvery === 0) lc.term.assertIntegrity();
    const st = pool.stats();
    peakPoolBytes = Math.max(peakPoolBytes, st.bytesAllocated);
    if (lc.steps.length === 0) {
      lc.term.dispose();
      live.splice(slot, 1);
      finished++;
      if (finished % 1000 === 0) log(`soak: ${finished}/${opts.lifecycles} lifecycles, pool ${(st.bytesAllocated / 1e6).toFixed(1)} MB`);
    }
  }

  pool.trim();
  const end = await settled();
  const final = pool.stats();
  const audit = auditPool(pool);
  const diff: string[] = [];
  const b = baseline as unknown as Record<string, number | undefined>;
  const f = final as unknown as Record<string, number | undefined>;
  for (const k of STATE_FIELDS) if ((b[k] ?? 0) !== (f[k] ?? 0)) diff.push(`${k}: ${b[k] ?? 0} -> ${f[k] ?? 0}`);
  const haveWarm = warm !== null && warm.rss > 0 && end !== null;
  return {
    lifecycles: finished,
    seconds: (performance.now() - t0) / 1000,
    bytesWritten,
    resizes,
    veryWideTerminals: veryWide,
    altScreenBursts: altBursts,
    maxCols,
    compressIdlePages: pool.compressIdlePages,
    baseline,
    final,
    atBaseline: diff.length === 0,
    baselineDiff: diff,
    audit: { ...audit, owners: audit.owners.length },
    oversizedCreated: final.oversizedCreated,
    oversizedFreed: final.oversizedFreed,
    peakPoolBytes,
    rssWarm: haveWarm ? warm!.rss : null,
    rssEnd: end?.rss ?? null,
    rssDriftPct: haveWarm ? ((end!.rss - warm!.rss) / warm!.rss) * 100 : null,
    heapWarm: haveWarm ? warm!.heap : null,
    heapEnd: end?.heap ?? null,
    heapDriftPct: haveWarm ? ((end!.heap - warm!.heap) / warm!.heap) * 100 : null,
    heapTotalWarm: haveWarm ? warm!.heapTotal : null,
    heapTotalEnd: end?.heapTotal ?? null,
    externalWarm: haveWarm ? warm!.external : null,
    externalEnd: end?.external ?? null,
    rssCurve: end ? [...rssCurve, { lifecycles: finished, rss: end.rss }] : rssCurve,
  };
}

const MB = (n: number | null) => (n === null ? 'n/a' : (n / 1e6).toFixed(1));
const pct = (n: number | null) => (n === null ? 'n/a' : `${n >= 0 ? '+' : ''}${n.toFixed(2)}%`);

export function formatSoak(s: SoakResult): string {
  const ok = (b: boolean) => (b ? 'yes' : '**NO**');
  const a = s.audit;
  return [
    `${s.lifecycles.toLocaleString('en-US')} lifecycles on one PagePool (up to ${LIVE} interleaved) in ${s.seconds.toFixed(1)} s: ` +
      `${MB(s.bytesWritten)} MB written, ${s.resizes.toLocaleString('en-US')} resizes, ${s.veryWideTerminals.toLocaleString('en-US')} ` +
      `terminals created wider than ${VERY_WIDE_COLS.toLocaleString('en-US')} columns (widest ${s.maxCols}), ${s.altScreenBursts.toLocaleString('en-US')} alternate-screen bursts.`,
    '',
    '| check | figure | pass |',
    '|---|---:|:---:|',
    `| pool back to baseline after trim() (lent, free, oversized, compressed pages and bytes, owners) | ${s.atBaseline ? 'all 0' : s.baselineDiff.join('; ')} | ${ok(s.atBaseline)} |`,
    `| oversized pages created / freed | ${s.oversizedCreated.toLocaleString('en-US')} / ${s.oversizedFreed.toLocaleString('en-US')} | ${ok(s.oversizedCreated > 0 && s.oversizedCreated === s.oversizedFreed)} |`,
    `| audit: leaked / stranded / dangling bytes | ${a.leakedBytes} / ${a.strandedBytes} / ${a.danglingBytes} | ${ok(a.leakedBytes === 0 && a.strandedBytes === 0 && a.danglingBytes === 0)} |`,
    `| audit: ledger drift bytes, owners left | ${a.ledgerDriftBytes}, ${a.owners} | ${ok(a.ledgerDriftBytes === 0 && a.owners === 0)} |`,
    `| RSS after GC: after warm-up → end (MB) | ${MB(s.rssWarm)} → ${MB(s.rssEnd)} (${pct(s.rssDriftPct)}) | ${s.rssDriftPct === null ? 'n/a' : ok(s.rssDriftPct < 5)} |`,
    `| heapUsed + arrayBuffers after GC: after warm-up → end (MB) | ${MB(s.heapWarm)} → ${MB(s.heapEnd)} (${pct(s.heapDriftPct)}) | – |`,
    `| V8 heapTotal / external after GC: after warm-up → end (MB) | ${MB(s.heapTotalWarm)} → ${MB(s.heapTotalEnd)} / ${MB(s.externalWarm)} → ${MB(s.externalEnd)} | – |`,
    '',
    `- RSS after GC at quiescent checkpoints (lifecycles: MB): ${s.rssCurve.map((c) => `${c.lifecycles}: ${MB(c.rss)}`).join(', ') || 'n/a'}`,
    `- peak pool bytes during the soak: ${MB(s.peakPoolBytes)} MB; standard pages created ${s.final.standardCreated.toLocaleString('en-US')}, ` +
      `recycled ${s.final.standardRecycled.toLocaleString('en-US')}, dropped ${s.final.standardDropped.toLocaleString('en-US')}; ` +
      `cold pages compressed ${s.final.compressedCreated.toLocaleString('en-US')}, restored ${s.final.compressedRestored.toLocaleString('en-US')}, ` +
      `dropped ${s.final.compressedDropped.toLocaleString('en-US')} (pool compressIdlePages ${s.compressIdlePages})`,
  ].join('\n');
}

/** True when every check of the soak passed (RSS only when it was measured). */
export function soakPassed(s: SoakResult): boolean {
  const a = s.audit;
  return s.atBaseline && s.oversizedCreated > 0 && s.oversizedCreated === s.oversizedFreed && a.leakedBytes === 0 &&
    a.strandedBytes === 0 && a.danglingBytes === 0 && a.ledgerDriftBytes === 0 && a.owners === 0 &&
    (s.rssDriftPct === null || s.rssDriftPct < 5);
}

/** `npm run bench -- soak ...` (run.ts hands over argv after the sub-command). */
export async function soakMain(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      lifecycles: { type: 'string' }, seed: { type: 'string' }, 'compress-idle': { type: 'string' },
      write: { type: 'boolean' }, quiet: { type: 'boolean' },
    },
  });
  const idle = values['compress-idle'] === undefined ? undefined : Number(values['compress-idle']);
  const lifecycles = Number(values.lifecycles ?? 10_000);
  const seed = Number(values.seed ?? 1);
  if (!Number.isInteger(lifecycles) || lifecycles < 1 || !Number.isInteger(seed)) throw new Error('--lifecycles and --seed must be integers');
  if (!gc) process.stderr.write('note: run with node --expose-gc (npm run bench does) for the RSS figures\n');
  const env = environmentLines('soak', argv);
  const log = values.quiet ? () => {} : (m: string) => process.stderr.write(m + '\n');
  const s = await runSoak({ lifecycles, seed, log, ...(idle !== undefined && { compressIdlePages: idle }) });
  const title = '## Leak soak';
  const body = `${env}\n\n${formatSoak(s)}`;
  process.stdout.write(`${title}\n\n${body}\n\n`);
  if (values.write) writeBenchSection('soak', title, body);
  if (!soakPassed(s)) {
    process.stderr.write('soak: FAILED\n');
    process.exitCode = 1;
  }
}
