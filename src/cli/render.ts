/**
 * `termpool render`: replay recorded pty output through the engine and print the final screen.
 *
 * Owns flag parsing for render, reading the input (file or stdin) in bounded chunks, the
 * optional progress line, and the two output formats. The engine is fed synchronously chunk
 * by chunk, so memory stays flat however large the recording is.
 */
import { open, type FileHandle } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { MAX_COLS, MAX_ROWS, Terminal } from '../engine/index.js';
import { CliError, type Io } from './errors.js';

/** Feed size for files: big enough to amortise the read syscalls, small enough to stay flat. */
export const CHUNK_BYTES = 1 << 20;
/** Inputs above this size get a progress line (on a TTY stderr only: never pollute logs/pipes). */
export const PROGRESS_MIN_BYTES = 4 * 1024 * 1024;

export const RENDER_USAGE = `usage: termpool render [--cols C] [--rows R] [--format text|json] FILE
  FILE            raw pty output to replay; '-' reads stdin
  --cols C        terminal width (default 80)
  --rows R        terminal height (default 24)
  --format F      text: R right-trimmed lines (default); json: ScreenSnapshot
`;

export type RenderFormat = 'text' | 'json';

export interface RenderOptions {
  cols: number;
  rows: number;
  format: RenderFormat;
  /** Path, or '-' for stdin. */
  file: string;
}

/** Validated here against the engine's limits: the engine would clamp, the user gets told. */
function dimension(name: string, raw: string | undefined, dflt: number, max: number): number {
  if (raw === undefined) return dflt;
  const n = /^\d+$/.test(raw) ? Number(raw) : NaN;
  if (!(n >= 1 && n <= max)) {
    throw new CliError(`render: --${name} must be an integer from 1 to ${max}, got '${raw}'`);
  }
  return n;
}

/** Turns node's parseArgs errors into one short line (its messages carry a second hint). */
function parseError(err: unknown): CliError {
  const e = err as { code?: string; message?: string };
  const msg = (e.message ?? String(err)).split(/\.\s/)[0]?.replace(/\.$/, '') ?? String(err);
  return new CliError(`render: ${msg.charAt(0).toLowerCase()}${msg.slice(1)}`);
}

/** Parses render's arguments; returns null when help was requested. */
export function parseRenderArgs(args: readonly string[]): RenderOptions | null {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...args],
      strict: true,
      allowPositionals: true,
      options: {
        cols: { type: 'string' },
        rows: { type: 'string' },
        format: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    throw parseError(err);
  }
  const { values, positionals } = parsed;
  if (values.help) return null;
  const format = values.format ?? 'text';
  if (format !== 'text' && format !== 'json') {
    throw new CliError(`render: --format must be 'text' or 'json', got '${format}'`);
  }
  const cols = dimension('cols', values.cols, 80, MAX_COLS);
  const rows = dimension('rows', values.rows, 24, MAX_ROWS);
  if (positionals.length === 0) throw new CliError(`render: missing FILE (use '-' for stdin)`);
  if (positionals.length > 1) throw new CliError(`render: expected one FILE, got ${positionals.length}: ${positionals.join(' ')}`);
  return { cols, rows, format, file: positionals[0] as string };
}

/** Human reason for a filesystem error code, without node's "ENOENT: ..., open 'x'" noise. */
function describeFsError(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  switch (e.code) {
    case 'ENOENT': return 'no such file';
    case 'EACCES': case 'EPERM': return 'permission denied';
    case 'EISDIR': return 'is a directory';
    default: return e.code ? `${e.code.toLowerCase()}` : String(e.message ?? err);
  }
}

/** Rate-limited "\r…" status line; `done()` erases it so stderr ends clean. */
class Progress {
  private lastDraw = 0;
  private shown = false;

  constructor(private readonly io: Io, private readonly total: number | null) {}

  update(done: number): void {
    if (!this.io.stderr.isTTY) return;
    if (this.total !== null ? this.total <= PROGRESS_MIN_BYTES : done <= PROGRESS_MIN_BYTES) return;
    const now = Date.now();
    if (now - this.lastDraw < 100) return;
    this.lastDraw = now;
    const mib = (n: number) => (n / (1 << 20)).toFixed(1);
    const text =
      this.total !== null
        ? `render: ${mib(done)}/${mib(this.total)} MiB (${Math.floor((done / this.total) * 100)}%)`
        : `render: ${mib(done)} MiB read`;
    this.io.stderr.write(`\r${text}\x1b[K`);
    this.shown = true;
  }

  done(): void {
    if (this.shown) this.io.stderr.write('\r\x1b[K');
  }
}

async function openInput(file: string): Promise<{ handle: FileHandle; size: number }> {
  let handle: FileHandle;
  try {
    handle = await open(file, 'r');
  } catch (err) {
    throw new CliError(`render: cannot read '${file}': ${describeFsError(err)}`);
  }
  const st = await handle.stat();
  if (st.isDirectory()) {
    await handle.close();
    throw new CliError(`render: cannot read '${file}': is a directory`);
  }
  // FIFOs and character devices report size 0: treat their size as unknown.
  return { handle, size: st.isFile() ? st.size : -1 };
}

interface Source {
  /** Byte count when known up front (regular files), else null (stdin, FIFOs). */
  total: number | null;
  chunks: AsyncIterable<Uint8Array>;
}

/** Opens the input eagerly, so a missing file fails before any terminal is built. */
async function openSource(file: string, io: Io): Promise<Source> {
  if (file === '-') {
    const stdinChunks = async function* () {
      for await (const chunk of io.stdin) yield typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Uint8Array);
    };
    return { total: null, chunks: stdinChunks() };
  }
  const { handle, size } = await openInput(file);
  const fileChunks = async function* () {
    try {
      for (;;) {
        // A fresh buffer per chunk: the engine may keep a view of a split UTF-8/escape tail.
        const buf = Buffer.allocUnsafe(CHUNK_BYTES);
        let n: number;
        try {
          ({ bytesRead: n } = await handle.read(buf, 0, CHUNK_BYTES, null));
        } catch (err) {
          throw new CliError(`render: cannot read '${file}': ${describeFsError(err)}`);
        }
        if (n === 0) return;
        yield buf.subarray(0, n);
      }
    } finally {
      await handle.close();
    }
  };
  return { total: size >= 0 ? size : null, chunks: fileChunks() };
}

/** Write and wait for the flush; a closed pipe (`| head`) is not an error worth reporting. */
function writeOut(io: Io, data: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) => (err.code === 'EPIPE' ? resolve() : reject(err));
    io.stdout.once('error', onError);
    io.stdout.write(data, (err) => {
      io.stdout.off('error', onError);
      if (err && (err as NodeJS.ErrnoException).code !== 'EPIPE') reject(err);
      else resolve();
    });
  });
}

/** Replays the input and returns the rendered output (text lines or JSON), newline-terminated. */
export async function render(opts: RenderOptions, io: Io): Promise<string> {
  const source = await openSource(opts.file, io);
  const progress = new Progress(io, source.total);
  // No scrollback: only the visible screen is printed, so history would be wasted pages.
  const term = new Terminal({ cols: opts.cols, rows: opts.rows, scrollback: 0 });
  try {
    let done = 0;
    for await (const chunk of source.chunks) {
      term.write(chunk);
      done += chunk.length;
      progress.update(done);
    }
    progress.done();
    if (opts.format === 'json') return JSON.stringify(term.snapshot()) + '\n';
    // The engine trims only never-written cells; written blanks (`hello   `) are trailing
    // whitespace too as far as a reader of the text is concerned, as with xterm's trimRight.
    return term.screenLines().map((line) => line.replace(/ +$/, '') + '\n').join('');
  } finally {
    term.dispose();
  }
}

export async function runRender(args: string[], io: Io): Promise<number> {
  const opts = parseRenderArgs(args);
  if (opts === null) {
    io.stdout.write(RENDER_USAGE);
    return 0;
  }
  await writeOut(io, await render(opts, io));
  return 0;
}
