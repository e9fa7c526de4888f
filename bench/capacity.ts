/**
 * Capacity: 1,000 terminals of 80x24 with 1,000 lines of scrollback each, filled with the same
 * realistic log mix, termpool vs @xterm/headless: `npm run bench -- capacity [--terminals N]
 * [--lines N] [--write]`.
 *
 * Owns the fleet procedure. Each engine runs in its OWN child process (fork of this file with
 * `--expose-gc`), so one engine's heap, freed-but-unswept buffers and compiled code never
 * distort the other's figure. A child: loads its engine, builds one throw-away terminal (code
 * and module tables are not billed to the fleet), settles (GC), reads the baseline, builds and
 * fills every terminal, drops each input, settles again and reports
 * Δ(heapUsed + arrayBuffers) and ΔRSS. termpool terminals share one PagePool, as sessions in
 * the service do; the pool's lent and compressed bytes are reported too. termpool runs twice:
 * with the default pool (cold scrollback pages compressed) and with compression off
 * (`termpool-flat`), the figure to plan with when clients read their whole scrollback back.
 */
import { fork } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { rng } from './corpora.js';
import { loadEngine, termpoolAdapter, xtermAdapter, type EngineAdapter } from './engines.js';

export const CAPACITY_TERMINALS = 1000;
export const CAPACITY_LINES = 1000;
const COLS = 80;
const ROWS = 24;

/** `termpool-flat` is termpool with cold-page compression off (`compressIdlePages: 0`). */
type EngineName = 'termpool' | 'termpool-flat' | 'xterm';

export interface FleetResult {
  engine: EngineName;
  terminals: number;
  /** Δ(heapUsed + arrayBuffers) across building and filling the fleet, after GC. */
  heapBytes: number;
  heapUsedBytes: number;
  arrayBufferBytes: number;
  rssBytes: number;
  /** termpool only: bytes the shared pool has lent (the pages the terminals hold). */
  poolLentBytes?: number;
  poolPages?: number;
  /** termpool only: cold pages held compressed, and their bytes (not in poolLentBytes). */
  compressedBytes?: number;
  compressedPages?: number;
  /** Scrollback lines the first terminal kept (check that the fill reached the limit). */
  scrollback: number;
  inputBytesPerTerminal: number;
  seconds: number;
}

const WORDS = ['request', 'GET', 'POST', '/api/v1/items', 'user=42', 'cache', 'miss', 'hit', 'took', 'ms', 'db',
  'query', 'rows=17', 'conn', 'pool', 'retry', 'upstream', 'ok', 'status=200', 'status=503', 'worker', 'job', 'done'];
const LEVELS: readonly [string, string][] = [['INFO', '32'], ['INFO', '32'], ['INFO', '32'], ['DEBUG', '2'], ['WARN', '33'], ['ERROR', '1;31']];

/**
 * One terminal's output: `lines` + ROWS log lines of 20–80 columns (most not full width, as real
 * logs are): timestamp, a coloured level, words, every ~8th line a dim stack frame or a coloured
 * key=value. ~1 in 40 lines is longer than 80 columns and wraps.
 */
export function fleetInput(seed: number, lines: number): Uint8Array {
  const r = rng(seed);
  const parts: string[] = [];
  const total = lines + ROWS;
  for (let i = 0; i < total; i++) {
    const [lvl, sgr] = LEVELS[Math.floor(r() * LEVELS.length)]!;
    const t = `2026-11-25T10:${String(Math.floor(i / 60) % 60).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}.${String(Math.floor(r() * 1000)).padStart(3, '0')}Z`;
    let line = `${t} \x1b[${sgr}m${lvl.padEnd(5)}\x1b[0m `;
    let width = t.length + 7;
    const target = r() < 0.025 ? 100 + Math.floor(r() * 60) : 20 + Math.floor(r() * 60);
    while (width < target) {
      const w = WORDS[Math.floor(r() * WORDS.length)]!;
      if (r() < 0.12) line += `\x1b[36m${w}\x1b[39m `;
      else line += w + ' ';
      width += w.length + 1;
    }
    if (i % 8 === 7) line = `\x1b[2m    at handler (src/server.ts:${Math.floor(r() * 900)}:${Math.floor(r() * 80)})\x1b[22m`;
    parts.push(i + 1 < total ? line + '\r\n' : line);
  }
  return new TextEncoder().encode(parts.join(''));
}

const gc = (globalThis as { gc?: () => void }).gc;

async function settle(): Promise<NodeJS.MemoryUsage> {
  if (!gc) throw new Error('capacity needs node --expose-gc');
  for (let i = 0; i < 3; i++) {
    gc();
    // Let V8's background sweeper return freed ArrayBuffer backing stores before reading.
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  gc();
  return process.memoryUsage();
}

/** The child's work: build and fill the fleet for one engine, report figures. */
async function measureFleet(name: EngineName, terminals: number, lines: number): Promise<FleetResult> {
  let adapter: EngineAdapter;
  let pool: { stats(): { bytesLent: number; lentStandardPages: number; oversizedPages: number; compressedBytes: number; compressedPages: number } } | undefined;
  if (name !== 'xterm') {
    const loaded = await loadEngine();
    if ('error' in loaded) throw new Error(loaded.error);
    const p = new loaded.engine.PagePool(name === 'termpool-flat' ? { compressIdlePages: 0 } : {});
    pool = p;
    adapter = termpoolAdapter(loaded.engine, p);
  } else {
    adapter = xtermAdapter;
  }
  const opts = { cols: COLS, rows: ROWS, scrollback: lines };
  // Warm-up terminal: compiled code, lazily built tables and the first pages are not the fleet's.
  const warm = adapter.create(opts);
  await warm.writeAll(fleetInput(0, lines), 64 * 1024);
  warm.dispose();
  const before = await settle();
  const t0 = performance.now();
  const fleet = [];
  let inputBytes = 0;
  for (let i = 0; i < terminals; i++) {
    const term = adapter.create(opts);
    const input = fleetInput(1 + (i % 64), lines); // 64 distinct streams, reused round-robin
    inputBytes = input.length;
    await term.writeAll(input, 64 * 1024);
    term.settle?.(); // the quiet-time sweep the service gives every session
    fleet.push(term);
  }
  const seconds = (performance.now() - t0) / 1000;
  const after = await settle();
  const result: FleetResult = {
    engine: name,
    terminals,
    heapBytes: after.heapUsed + after.arrayBuffers - (before.heapUsed + before.arrayBuffers),
    heapUsedBytes: after.heapUsed - before.heapUsed,
    arrayBufferBytes: after.arrayBuffers - before.arrayBuffers,
    rssBytes: after.rss - before.rss,
    scrollback: fleet[0]?.scrollbackLength() ?? 0,
    inputBytesPerTerminal: inputBytes,
    seconds,
  };
  if (pool) {
    const st = pool.stats();
    result.poolLentBytes = st.bytesLent;
    result.poolPages = st.lentStandardPages + st.oversizedPages;
    result.compressedBytes = st.compressedBytes;
    result.compressedPages = st.compressedPages;
  }
  for (const t of fleet) t.dispose();
  return result;
}

/** Run one engine's fleet in a fresh child process. */
function forkFleet(name: EngineName, terminals: number, lines: number): Promise<FleetResult> {
  return new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(import.meta.url), ['--child', name, String(terminals), String(lines)], {
      execArgv: ['--expose-gc', '--max-old-space-size=8192'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let result: FleetResult | null = null;
    child.on('message', (m) => { result = m as FleetResult; });
    child.on('error', reject);
    child.on('exit', (code) => (result ? resolve(result) : reject(new Error(`${name} child exited ${code} without a result`))));
  });
}

const MB = 1e6;
const f1 = (n: number) => (n / MB).toFixed(1);

export function formatCapacity(rows: readonly FleetResult[], lines: number): string {
  const n = rows[0]?.terminals ?? 0;
  const out = [
    `${n.toLocaleString('en-US')} terminals x ${COLS}x${ROWS}, ${lines.toLocaleString('en-US')} lines of scrollback each, ` +
      `${f1(rows[0]?.inputBytesPerTerminal ?? 0)} MB of log output per terminal; each engine in its own child process.`,
    '',
    '| engine | heap + arrayBuffers (MB) | of which arrayBuffers (MB) | per terminal (MB) | RSS growth (MB) | pool lent (MB) | pages lent | compressed (MB, pages) | fill time (s) |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const r of rows) {
    out.push(`| ${r.engine} | ${f1(r.heapBytes)} | ${f1(r.arrayBufferBytes)} | ${(r.heapBytes / r.terminals / MB).toFixed(3)} | ${f1(r.rssBytes)} | ` +
      `${r.poolLentBytes === undefined ? '–' : f1(r.poolLentBytes)} | ${r.poolPages ?? '–'} | ` +
      `${r.compressedBytes === undefined ? '–' : `${f1(r.compressedBytes)}, ${r.compressedPages}`} | ${r.seconds.toFixed(1)} |`);
  }
  const x = rows.find((r) => r.engine === 'xterm');
  out.push('');
  for (const t of rows) {
    if (!x || t === x) continue;
    out.push(`- ${t.engine}/xterm (heap + arrayBuffers): **${(t.heapBytes / x.heapBytes).toFixed(2)}x** ` +
      `(xterm needs ${(x.heapBytes / t.heapBytes).toFixed(1)}x the memory)`);
  }
  out.push('- `termpool`: default pool (cold scrollback pages compressed); `termpool-flat`: `new PagePool({ compressIdlePages: 0 })`, ' +
    'every page kept uncompressed, i.e. the worst case once a client has read all the scrollback back');
  for (const r of rows) {
    if (r.scrollback < lines) out.push(`- ${r.engine} kept only ${r.scrollback} scrollback lines`);
  }
  return out.join('\n');
}

function cpuModel(): string {
  try {
    const m = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'));
    if (m?.[1]) return m[1].trim();
  } catch { /* not Linux */ }
  return cpus()[0]?.model ?? 'unknown';
}

/** The command/date/machine lines every BENCHMARKS.md section starts with. */
export function environmentLines(sub: string, args: readonly string[]): string {
  return [
    `- command: \`npm run bench -- ${[sub, ...args].join(' ')}\``,
    `- date: ${new Date().toISOString()}`,
    `- machine: ${availableParallelism()} CPUs (nproc), ${cpuModel()}`,
    `- node: ${process.version} (${process.platform}/${process.arch})`,
    `- load average at start (1/5/15 min): ${loadavg().map((l) => l.toFixed(2)).join(' / ')}`,
  ].join('\n');
}

/**
 * Replace (or append under `title`) the `<!-- bench:NAME -->` block of BENCHMARKS.md, touching
 * nothing else (run.ts keeps every section it did not run, so these survive its rewrites).
 */
export function writeBenchSection(name: string, title: string, body: string): void {
  const file = fileURLToPath(new URL('../../BENCHMARKS.md', import.meta.url));
  const start = `<!-- bench:${name} -->`;
  const end = `<!-- /bench:${name} -->`;
  const block = `${start}\n${body}\n${end}`;
  let text = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmarks\n';
  const i = text.indexOf(start);
  const j = text.indexOf(end);
  if (i >= 0 && j > i) text = text.slice(0, i) + block + text.slice(j + end.length);
  else text = `${text.trimEnd()}\n\n${title}\n\n${block}\n`;
  writeFileSync(file, text.endsWith('\n') ? text : text + '\n');
  process.stderr.write(`wrote ${file}\n`);
}

/** `npm run bench -- capacity ...` (run.ts hands over argv after the sub-command). */
export async function capacityMain(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: { terminals: { type: 'string' }, lines: { type: 'string' }, engine: { type: 'string' }, write: { type: 'boolean' } },
  });
  const terminals = Number(values.terminals ?? CAPACITY_TERMINALS);
  const lines = Number(values.lines ?? CAPACITY_LINES);
  if (!Number.isInteger(terminals) || terminals < 1 || !Number.isInteger(lines) || lines < 0) {
    throw new Error('--terminals and --lines must be positive integers');
  }
  const env = environmentLines('capacity', argv);
  const all: EngineName[] = ['termpool', 'termpool-flat', 'xterm'];
  const engines = all.includes(values.engine as EngineName) ? [values.engine as EngineName] : all;
  const rows: FleetResult[] = [];
  for (const e of engines) {
    process.stderr.write(`capacity: ${e}: ${terminals} terminals x ${lines} lines (child process)\n`);
    rows.push(await forkFleet(e, terminals, lines));
  }
  const body = `${env}\n\n${formatCapacity(rows, lines)}`;
  const title = '## Fleet memory (1,000 terminals x 80x24 x 1,000 lines)';
  process.stdout.write(`${title}\n\n${body}\n\n`);
  if (values.write) writeBenchSection('capacity', title, body);
}

// Child mode: `node capacity.js --child ENGINE TERMINALS LINES`, result over IPC.
if (process.argv[2] === '--child' && process.send) {
  const [, , , name, n, l] = process.argv;
  try {
    const r = await measureFleet(name as EngineName, Number(n), Number(l));
    process.send(r, () => process.exit(0));
  } catch (err) {
    process.stderr.write(`capacity child ${name}: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  }
}
