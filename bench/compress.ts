/**
 * Cold scrollback compression: what it saves and what it costs, measured in one run.
 *
 * Owns three measurements, each termpool with compression off (`compressIdlePages: 0`) and on
 * (the default idle rule), on private pools so the figures are exactly one terminal's:
 *   - memory: 10,000 lines x 80 columns of log-like scrollback (`seq` output, log lines with a
 *     few styles, and the memory bench's full-width lines). "stored" is pages lent plus
 *     compressed bytes per retained cell; "cold" is compressed bytes per cell of the compressed
 *     pages alone (the codec's figure); "heap" is the settled heap + array-buffer delta, after
 *     the private pool's free pages are dropped (they are the shared pool's to reuse, not the
 *     terminal's), next to @xterm/headless's heap for the same bytes.
 *   - throughput: the plain corpus (bench/corpora.ts) with compression on vs off, alternating
 *     runs, median MB/s; the difference is the write-path cost of compressing pages.
 *   - restore: time to read the whole scrollback as text when it is cold vs when it never was.
 */
import { CORPUS_COLS, CORPUS_ROWS, plainCorpus } from './corpora.js';
import { errorLine, xtermAdapter, type Engine } from './engines.js';
import { memoryInput, settledMemory } from './memory.js';

export const COMPRESS_LINES = 10_000;

export interface CompressOptions {
  lines: number;
  sizeBytes: number;
  runs: number;
  repeats: number;
  log: (msg: string) => void;
}

type Variant = 'seq' | 'log' | 'full-width';
const VARIANTS: readonly Variant[] = ['seq', 'log', 'full-width'];

interface MemoryResult {
  variant: Variant;
  offStored: number;
  offHeap: number | null;
  onStored: number;
  onCold: number;
  coldShare: number;
  onHeap: number | null;
  xtermHeap: number | null | { error: string };
}

export interface CompressReport {
  memory: MemoryResult[];
  throughput: { off: number; on: number; mb: number; pagesCompressed: number };
  restore: { coldMs: number; hotMs: number; pages: number };
}

const gc = (globalThis as { gc?: () => void }).gc;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1] as number;
}

/** Log lines as a service prints them: dim timestamp, coloured level, cyan component, text. */
function logInput(lines: number): Uint8Array {
  const levels = [['32', 'INFO '], ['32', 'INFO '], ['33', 'WARN '], ['31', 'ERROR'], ['2', 'DEBUG']];
  const words = ['request', 'served', 'cache', 'miss', 'user', 'retry', 'upstream', 'ok', 'timeout', 'db'];
  let seed = 12345;
  const r = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296);
  const parts: string[] = [];
  let t = Date.UTC(2026, 0, 1);
  for (let i = 0; i < lines + CORPUS_ROWS; i++) {
    t += Math.floor(r() * 400);
    const [c, lvl] = levels[Math.floor(r() * levels.length)] as [string, string];
    const msg: string[] = [];
    for (let w = 3 + Math.floor(r() * 5); w > 0; w--) msg.push(words[Math.floor(r() * words.length)] as string);
    const line = `\x1b[2m${new Date(t).toISOString()}\x1b[0m \x1b[${c}m${lvl}\x1b[0m \x1b[36m[api-${Math.floor(r() * 4)}]\x1b[0m ` +
      `${msg.join(' ')} id=${Math.floor(r() * 1e8).toString(16)} ${Math.floor(r() * 900)}ms`;
    parts.push(i + 1 < lines + CORPUS_ROWS ? line + '\r\n' : line);
  }
  return new TextEncoder().encode(parts.join(''));
}

function input(v: Variant, lines: number): Uint8Array {
  if (v === 'seq') {
    const parts: string[] = [];
    for (let i = 1; i <= lines + CORPUS_ROWS; i++) parts.push(i < lines + CORPUS_ROWS ? `${i}\r\n` : `${i}`);
    return new TextEncoder().encode(parts.join(''));
  }
  if (v === 'log') return logInput(lines);
  return memoryInput('plain', lines);
}

function writeAll(t: { write(b: Uint8Array): void }, bytes: Uint8Array): void {
  for (let off = 0; off < bytes.length; off += 64 * 1024) t.write(bytes.subarray(off, Math.min(off + 64 * 1024, bytes.length)));
}

interface OneTermpool { stored: number; cold: number; coldShare: number; heap: number | null }

async function termpoolOnce(engine: Engine, bytes: Uint8Array, lines: number, compress: boolean): Promise<OneTermpool> {
  const cells = lines * CORPUS_COLS;
  const before = await settledMemory();
  const pool = new engine.PagePool({ compressIdlePages: compress ? 2 : 0 });
  const t = new engine.Terminal({ cols: CORPUS_COLS, rows: CORPUS_ROWS, scrollback: lines, pool });
  try {
    writeAll(t, bytes);
    t.compressColdPages(); // the quiet-time sweep the service runs once output pauses
    if (t.scrollbackLength !== lines) throw new Error(`kept ${t.scrollbackLength} lines, expected ${lines}`);
    // Free pages belong to the (normally shared) pool, not to this terminal.
    pool.trim();
    const after = await settledMemory();
    const s = pool.stats();
    let coldCells = 0;
    t.primary.list.forEachCompressed((rec) => { coldCells += rec.size * CORPUS_COLS; });
    return {
      stored: (s.bytesLent + s.compressedBytes) / cells,
      cold: coldCells ? s.compressedBytes / coldCells : 0,
      coldShare: coldCells / cells,
      heap: before === null || after === null ? null : (after - before) / cells,
    };
  } finally {
    t.dispose();
  }
}

async function xtermOnce(bytes: Uint8Array, lines: number): Promise<number | null> {
  const before = await settledMemory();
  const term = xtermAdapter.create({ cols: CORPUS_COLS, rows: CORPUS_ROWS, scrollback: lines });
  try {
    await term.writeAll(bytes, 64 * 1024);
    const after = await settledMemory();
    return before === null || after === null ? null : (after - before) / (lines * CORPUS_COLS);
  } finally {
    term.dispose();
  }
}

async function medianOf<T>(repeats: number, f: () => Promise<T>, pick: (x: T) => number | null): Promise<{ all: T[]; med: number | null }> {
  await f(); // discarded warm-up: first use compiles code and allocates module tables
  const all: T[] = [];
  for (let i = 0; i < repeats; i++) all.push(await f());
  const vals = all.map(pick).filter((v): v is number => v !== null);
  return { all, med: vals.length ? median(vals) : null };
}

async function measureMemory(engine: Engine, v: Variant, opts: CompressOptions): Promise<MemoryResult> {
  const bytes = input(v, opts.lines);
  opts.log(`compress: memory ${v} (${opts.lines} lines x ${CORPUS_COLS} cols)`);
  const off = await medianOf(opts.repeats, () => termpoolOnce(engine, bytes, opts.lines, false), (x) => x.heap);
  const on = await medianOf(opts.repeats, () => termpoolOnce(engine, bytes, opts.lines, true), (x) => x.heap);
  let xtermHeap: MemoryResult['xtermHeap'];
  try {
    xtermHeap = (await medianOf(opts.repeats, () => xtermOnce(bytes, opts.lines), (x) => x)).med;
  } catch (err) {
    xtermHeap = { error: errorLine(err) };
  }
  const first = on.all[0] as OneTermpool;
  return {
    variant: v,
    offStored: (off.all[0] as OneTermpool).stored,
    offHeap: off.med,
    onStored: first.stored,
    onCold: first.cold,
    coldShare: first.coldShare,
    onHeap: on.med,
    xtermHeap,
  };
}

function throughputOnce(engine: Engine, bytes: Uint8Array, compress: boolean): { seconds: number; compressed: number } {
  gc?.();
  const pool = new engine.PagePool({ compressIdlePages: compress ? 2 : 0 });
  const t = new engine.Terminal({ cols: CORPUS_COLS, rows: CORPUS_ROWS, scrollback: 1000, pool });
  try {
    const t0 = performance.now();
    // Upper bound: the stream pauses (and the service sweeps) after every 64 KiB. A flood with
    // no pause pays nothing: compression is never on the write path.
    for (let off = 0; off < bytes.length; off += 64 * 1024) {
      t.write(bytes.subarray(off, Math.min(off + 64 * 1024, bytes.length)));
      if (compress) t.compressColdPages();
    }
    return { seconds: (performance.now() - t0) / 1000, compressed: pool.stats().compressedCreated };
  } finally {
    t.dispose();
  }
}

function restoreTimes(engine: Engine, lines: number): CompressReport['restore'] {
  const bytes = input('log', lines);
  const time = (compress: boolean) => {
    const samples: number[] = [];
    let pages = 0;
    for (let k = 0; k < 5; k++) {
      const pool = new engine.PagePool({ compressIdlePages: compress ? 2 : 0 });
      const t = new engine.Terminal({ cols: CORPUS_COLS, rows: CORPUS_ROWS, scrollback: lines, pool });
      writeAll(t, bytes);
      if (compress) t.compressColdPages();
      const t0 = performance.now();
      t.scrollbackLines(0, lines);
      samples.push(performance.now() - t0);
      pages = pool.stats().compressedRestored;
      t.dispose();
    }
    return { ms: median(samples), pages };
  };
  const hot = time(false);
  const cold = time(true);
  return { coldMs: cold.ms, hotMs: hot.ms, pages: cold.pages };
}

export async function runCompress(engine: Engine, opts: CompressOptions): Promise<CompressReport> {
  const memory: MemoryResult[] = [];
  for (const v of VARIANTS) memory.push(await measureMemory(engine, v, opts));

  const corpus = plainCorpus(opts.sizeBytes);
  const mb = corpus.length / 1e6;
  opts.log(`compress: throughput plain (${mb.toFixed(1)} MB), compression off vs on`);
  const off: number[] = [];
  const on: number[] = [];
  let pagesCompressed = 0;
  for (let i = -1; i < opts.runs; i++) {
    const a = throughputOnce(engine, corpus, false);
    const b = throughputOnce(engine, corpus, true);
    if (i < 0) continue;
    off.push(mb / a.seconds);
    on.push(mb / b.seconds);
    pagesCompressed = b.compressed;
    opts.log(`  run ${i + 1}/${opts.runs}: off ${(mb / a.seconds).toFixed(1)} MB/s, on ${(mb / b.seconds).toFixed(1)} MB/s`);
  }
  opts.log('compress: restore (read all scrollback as text)');
  const restore = restoreTimes(engine, opts.lines);
  return { memory, throughput: { off: median(off), on: median(on), mb, pagesCompressed }, restore };
}

const f = (v: number | null | undefined, d = 2) => (v === null || v === undefined ? 'n/a' : v.toFixed(d));

export function formatCompress(r: CompressReport, lines: number): string {
  const out = [
    `Scrollback of ${lines.toLocaleString('en-US')} lines x ${CORPUS_COLS} columns, B/cell per retained cell ` +
      '(stored = pool pages lent + compressed bytes; cold = compressed bytes per cell of the compressed pages):',
    '',
    '| scrollback | off: stored | off: heap | on: stored | on: cold | cold share | on: heap | xterm heap | on/xterm (heap) |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  const notes: string[] = [];
  for (const m of r.memory) {
    const x = typeof m.xtermHeap === 'object' && m.xtermHeap !== null ? null : m.xtermHeap;
    if (typeof m.xtermHeap === 'object' && m.xtermHeap !== null) notes.push(`- xterm (${m.variant}): ${m.xtermHeap.error}`);
    const ratio = m.onHeap !== null && x !== null && x !== undefined ? `${f(m.onHeap / x, 3)}x` : 'n/a';
    out.push(`| ${m.variant} | ${f(m.offStored)} | ${f(m.offHeap)} | ${f(m.onStored)} | ${f(m.onCold, 3)} | ${(m.coldShare * 100).toFixed(0)}% | ${f(m.onHeap)} | ${f(x)} | ${ratio} |`);
  }
  const t = r.throughput;
  const cost = (1 - t.on / t.off) * 100;
  out.push(
    '',
    `Write-path cost, plain corpus (${t.mb.toFixed(1)} MB, scrollback 1,000, ${t.pagesCompressed} pages compressed per run), median MB/s:`,
    '',
    '| compression off | compression on | cost |',
    '|---:|---:|---:|',
    `| ${f(t.off, 1)} | ${f(t.on, 1)} | ${cost.toFixed(1)}% |`,
    '',
    `Restore: reading all ${lines.toLocaleString('en-US')} log lines as text takes ${f(r.restore.hotMs, 1)} ms never compressed, ` +
      `${f(r.restore.coldMs, 1)} ms cold (${r.restore.pages} pages restored, ` +
      `${f(((r.restore.coldMs - r.restore.hotMs) * 1000) / Math.max(1, r.restore.pages), 0)} µs extra per page).`,
  );
  if (!gc) notes.push('- heap figures need `node --expose-gc`');
  if (notes.length) out.push('', ...notes);
  return out.join('\n');
}
