/**
 * Scrollback memory: bytes per retained cell once 10,000 lines of 80 columns sit in
 * scrollback (800,000 cells; the 80x24 visible screen is not counted as "retained").
 *
 * Owns the measuring procedure. Three figures for termpool:
 *   - pool: bytes the terminal's own PagePool has lent out, i.e. exactly the pages it holds;
 *   - hot: the same with compression off (`compressIdlePages: 0`): what uncompressed pages cost
 *     a retained cell (issue 27's "hot pages" figure; a session that never pauses, or history
 *     read back, stays at it);
 *   - heap: (heapUsed + arrayBuffers) after minus before, under forced GC, which also counts
 *     JS objects, the pool's free pages and anything else the terminal keeps alive.
 * xterm has no pool, so only the heap figure exists for it. The heap figure needs
 * `node --expose-gc` (the bench script passes it); without it the column says n/a.
 */
import { CORPUS_ROWS } from './corpora.js';
import { errorLine, termpoolAdapter, xtermAdapter, type Engine, type EngineAdapter } from './engines.js';

export const MEMORY_LINES = 10_000;
export const MEMORY_COLS = 80;

export type MemoryVariant = 'plain' | 'styled';
export const MEMORY_VARIANTS: readonly MemoryVariant[] = ['plain', 'styled'];

export interface MemoryOptions {
  lines: number;
  repeats: number;
  log: (msg: string) => void;
}

export interface MemoryFigure {
  heapBytesPerCell: number | null;
  poolBytesPerCell?: number;
  scrollback: number;
}

export interface MemoryRow {
  variant: MemoryVariant;
  cells: number;
  termpool: MemoryFigure | { error: string };
  /** termpool with compression off: pool bytes per retained cell of uncompressed pages. */
  termpoolHot: MemoryFigure | { error: string };
  xterm: MemoryFigure | { error: string };
}

const gc = (globalThis as { gc?: () => void }).gc;

export async function settledMemory(): Promise<number | null> {
  if (!gc) return null;
  // GC, let timers and V8's background ArrayBuffer sweeper run, GC again: a backing store of
  // the previous terminal that is freed but not yet swept would otherwise be counted.
  gc();
  await new Promise((resolve) => setTimeout(resolve, 30));
  gc();
  await new Promise((resolve) => setImmediate(resolve));
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

/** Full-width lines so every scrollback cell is written; `styled` puts an SGR on each word. */
export function memoryInput(variant: MemoryVariant, lines: number): Uint8Array {
  const parts: string[] = [];
  const total = lines + CORPUS_ROWS; // the last CORPUS_ROWS lines stay on screen
  for (let i = 0; i < total; i++) {
    const label = `line ${i} `;
    let text = label + 'abcdefghijklmnopqrstuvwxyz0123456789'.repeat(3);
    text = text.slice(0, MEMORY_COLS);
    if (variant === 'styled') {
      // 10 words of 8 columns, each with its own 256-colour fg and every third bold.
      let s = '';
      for (let w = 0; w < MEMORY_COLS / 8; w++) {
        s += `\x1b[${w % 3 === 0 ? '1;' : ''}38;5;${(i * 7 + w * 13) % 256}m${text.slice(w * 8, w * 8 + 8)}`;
      }
      text = s + '\x1b[0m';
    }
    // No CR/LF after the final line: the cursor stays put and nothing extra scrolls.
    parts.push(i + 1 < total ? text + '\r\n' : text);
  }
  return new TextEncoder().encode(parts.join(''));
}

async function measureOnce(
  adapter: EngineAdapter,
  input: Uint8Array,
  lines: number,
  pool?: { stats(): { bytesLent: number; compressedBytes: number }; trim?(): void },
): Promise<MemoryFigure> {
  const cells = lines * MEMORY_COLS;
  const before = await settledMemory();
  const term = adapter.create({ cols: MEMORY_COLS, rows: CORPUS_ROWS, scrollback: lines });
  try {
    await term.writeAll(input, 64 * 1024);
    // The quiet-time sweep the service gives every session (termpool: cold pages compressed).
    term.settle?.();
    // Pages the sweep freed sit on the private pool's free list; in the service they are the
    // shared pool's, ready for other sessions, so they are not this terminal's memory.
    pool?.trim?.();
    const after = await settledMemory();
    const scrollback = term.scrollbackLength();
    const figure: MemoryFigure = {
      heapBytesPerCell: before === null || after === null ? null : (after - before) / cells,
      scrollback,
    };
    if (pool) { const st = pool.stats(); figure.poolBytesPerCell = (st.bytesLent + st.compressedBytes) / cells; }
    return figure;
  } finally {
    term.dispose();
  }
}

function medianFigure(xs: MemoryFigure[]): MemoryFigure {
  const med = (v: number[]) => v.sort((a, b) => a - b)[v.length >> 1] as number;
  const heaps = xs.map((x) => x.heapBytesPerCell).filter((v): v is number => v !== null);
  const pools = xs.map((x) => x.poolBytesPerCell).filter((v): v is number => v !== undefined);
  const out: MemoryFigure = { heapBytesPerCell: heaps.length ? med(heaps) : null, scrollback: xs[0]?.scrollback ?? 0 };
  if (pools.length) out.poolBytesPerCell = med(pools);
  return out;
}

async function measure(
  make: () => { adapter: EngineAdapter; pool?: { stats(): { bytesLent: number; compressedBytes: number }; trim?(): void } },
  input: Uint8Array,
  opts: MemoryOptions,
): Promise<MemoryFigure | { error: string }> {
  try {
    // One discarded pass: first use allocates module-level tables and compiled code that a
    // terminal does not own and that must not be billed to its cells.
    const warm = make();
    await measureOnce(warm.adapter, input, opts.lines, warm.pool);
    const figures: MemoryFigure[] = [];
    for (let i = 0; i < opts.repeats; i++) {
      const m = make();
      figures.push(await measureOnce(m.adapter, input, opts.lines, m.pool));
    }
    return medianFigure(figures);
  } catch (err) {
    return { error: errorLine(err) };
  }
}

export async function runMemory(engine: Engine | null, engineError: string | null, opts: MemoryOptions): Promise<MemoryRow[]> {
  const rows: MemoryRow[] = [];
  for (const variant of MEMORY_VARIANTS) {
    const input = memoryInput(variant, opts.lines);
    opts.log(`memory: ${variant} (${opts.lines} lines x ${MEMORY_COLS} cols)`);
    const termpool = engine
      ? await measure(() => {
          // A private pool per terminal, so bytesLent is exactly this terminal's pages.
          const pool = new engine.PagePool();
          return { adapter: termpoolAdapter(engine, pool), pool };
        }, input, opts)
      : { error: engineError ?? 'engine not loaded' };
    const termpoolHot = engine
      ? await measure(() => {
          const pool = new engine.PagePool({ compressIdlePages: 0 });
          return { adapter: termpoolAdapter(engine, pool), pool };
        }, input, opts)
      : { error: engineError ?? 'engine not loaded' };
    const xterm = await measure(() => ({ adapter: xtermAdapter }), input, opts);
    rows.push({ variant, cells: opts.lines * MEMORY_COLS, termpool, termpoolHot, xterm });
    // Keep the input alive until every measurement is done, so its release is never counted.
    if (input.length === 0) opts.log('empty input');
  }
  return rows;
}

const fmt = (v: number | null | undefined) => (v === null || v === undefined ? 'n/a' : v.toFixed(1));

export function formatMemory(rows: readonly MemoryRow[]): string {
  const lines = [
    '| scrollback | cells | termpool pool B/cell | termpool heap B/cell | termpool hot B/cell (compression off) | xterm heap B/cell | termpool/xterm (heap) |',
    '|---|---:|---:|---:|---:|---:|---:|',
  ];
  const notes = new Set<string>();
  for (const row of rows) {
    const t = 'error' in row.termpool ? null : row.termpool;
    const x = 'error' in row.xterm ? null : row.xterm;
    const h = 'error' in row.termpoolHot ? null : row.termpoolHot;
    if ('error' in row.termpoolHot) notes.add(`termpool hot: ${row.termpoolHot.error}`);
    if ('error' in row.termpool) notes.add(`termpool: ${row.termpool.error}`);
    if ('error' in row.xterm) notes.add(`xterm: ${row.xterm.error}`);
    for (const [name, f] of [['termpool', t], ['xterm', x]] as const) {
      if (f && f.scrollback < row.cells / MEMORY_COLS) notes.add(`${name} kept only ${f.scrollback} scrollback lines (${row.variant})`);
    }
    const ratio = t?.heapBytesPerCell != null && x?.heapBytesPerCell != null ? `${(t.heapBytesPerCell / x.heapBytesPerCell).toFixed(2)}x` : 'n/a';
    lines.push(
      `| ${row.variant} | ${row.cells} | ${fmt(t?.poolBytesPerCell)} | ${fmt(t?.heapBytesPerCell)} | ${fmt(h?.poolBytesPerCell)} | ${fmt(x?.heapBytesPerCell)} | ${ratio} |`,
    );
  }
  if (rows.some((r) => !('error' in r.xterm) && r.xterm.heapBytesPerCell === null)) notes.add('heap figures need `node --expose-gc`');
  if (notes.size) lines.push('', ...[...notes].map((n) => `- ${n}`));
  return lines.join('\n');
}
