/**
 * `termpool render`: replay recorded pty output — raw bytes, or an asciicast v2 or v3 file — through
 * the engine and write the screen (at the end, or at --at SECONDS of a cast).
 *
 * Owns flag parsing for render, reading the input (file or stdin) in bounded chunks, cast
 * detection (a .cast name, or a first line `{"version": ...`), the optional progress line.
 * The engine is fed synchronously chunk by chunk (a cast line by line), so memory stays flat
 * however large the recording is. Output formats live in screen-output.ts.
 */
import { open, type FileHandle } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { CastError, CastPlayer, CastReader, looksLikeCast } from '../cast/index.js';
import { MAX_COLS, MAX_ROWS, Terminal, type ScreenSnapshot } from '../engine/index.js';
import { CliError, type Io } from './errors.js';
import { checkDestination, formatSnapshot, SCREEN_FORMATS, screenFormat, writeResult, type ScreenFormat } from './screen-output.js';

/** Feed size for files: big enough to amortise the read syscalls, small enough to stay flat. */
export const CHUNK_BYTES = 1 << 20;
/** Inputs above this size get a progress line (on a TTY stderr only: never pollute logs/pipes). */
export const PROGRESS_MIN_BYTES = 4 * 1024 * 1024;

export const RENDER_USAGE = `usage: termpool render [--cols C] [--rows R] [--at SECONDS] [--format F] [--out FILE] FILE
  FILE            raw pty output, or an asciicast v2 or v3 recording (.cast), to replay; '-' reads stdin
  --cols C        terminal width (default 80, or the cast header's width, v3: term.cols)
  --rows R        terminal height (default 24, or the cast header's height)
  --at SECONDS    casts only: the screen at this time (default: the end); resize events apply
  --format F      ${SCREEN_FORMATS.join(', ')} (default text: R right-trimmed lines; json: the ScreenSnapshot)
  --out FILE      write there instead of stdout ('-' = stdout)
  --format gif|apng (or svg --animate): an animated recording; see the animation flags below
`;

export type RenderFormat = ScreenFormat;

export interface RenderOptions {
  /** Undefined: 80, or the cast header's. */
  cols?: number;
  rows?: number;
  format: RenderFormat;
  /** Path, or '-' for stdin. */
  file: string;
  /** Casts only: stop at this time in seconds. */
  at?: number;
  out?: string;
}

/** Validated here against the engine's limits: the engine would clamp, the user gets told. */
function dimension(name: string, raw: string | undefined, max: number): number | undefined {
  if (raw === undefined) return undefined;
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
        at: { type: 'string' },
        out: { type: 'string', short: 'o' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    throw parseError(err);
  }
  const { values, positionals } = parsed;
  if (values.help) return null;
  const format = screenFormat('render', values.format, 'text');
  const cols = dimension('cols', values.cols, MAX_COLS);
  const rows = dimension('rows', values.rows, MAX_ROWS);
  let at: number | undefined;
  if (values.at !== undefined) {
    at = /^\d+(\.\d+)?$/.test(values.at) ? Number(values.at) : NaN;
    if (!Number.isFinite(at)) throw new CliError(`render: --at must be a number of seconds >= 0, got '${values.at}'`);
  }
  if (positionals.length === 0) throw new CliError(`render: missing FILE (use '-' for stdin)`);
  if (positionals.length > 1) throw new CliError(`render: expected one FILE, got ${positionals.length}: ${positionals.join(' ')}`);
  return {
    format, file: positionals[0] as string,
    ...(cols !== undefined && { cols }), ...(rows !== undefined && { rows }),
    ...(at !== undefined && { at }), ...(values.out !== undefined && { out: values.out }),
  };
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

/** Replays the input and returns the snapshot of the screen (at the end, or at --at of a cast). */
export async function renderSnapshot(opts: RenderOptions, io: Io): Promise<ScreenSnapshot> {
  const source = await openSource(opts.file, io);
  const it = source.chunks[Symbol.asyncIterator]();
  const first = await it.next();
  const head: Uint8Array = first.done ? new Uint8Array(0) : first.value;
  const firstLine = Buffer.from(head.subarray(0, 4096)).toString('utf8').split('\n', 1)[0] ?? '';
  const isCast = opts.file.toLowerCase().endsWith('.cast') || looksLikeCast(firstLine);
  const chunks = async function* (): AsyncGenerator<Uint8Array> {
    if (!first.done) yield head;
    for (;;) {
      const n = await it.next();
      if (n.done) return;
      yield n.value;
    }
  };
  const progress = new Progress(io, source.total);
  try {
    if (isCast) return await replayCast(opts, chunks(), progress);
    if (opts.at !== undefined) throw new CliError(`render: --at needs an asciicast input (.cast, v2 or v3); '${opts.file}' is raw pty output`);
    // No scrollback: only the visible screen is printed, so history would be wasted pages.
    const term = new Terminal({ cols: opts.cols ?? 80, rows: opts.rows ?? 24, scrollback: 0 });
    try {
      let done = 0;
      for await (const chunk of chunks()) {
        term.write(chunk);
        done += chunk.length;
        progress.update(done);
      }
      return term.snapshot();
    } finally {
      term.dispose();
    }
  } finally {
    progress.done();
    // Stop reading (closes the file) when a cast ended early at --at.
    await it.return?.(undefined);
  }
}

/** Reads a cast line by line (lines split at '\n' bytes, which never occur inside UTF-8 characters). */
async function replayCast(opts: RenderOptions, chunks: AsyncIterable<Uint8Array>, progress: Progress): Promise<ScreenSnapshot> {
  const reader = new CastReader();
  let player: CastPlayer | null = null;
  const fail = (err: unknown): never => {
    if (err instanceof CastError) throw new CliError(`render: '${opts.file}' is not a valid asciicast: ${err.message}`);
    throw err;
  };
  const line = (bytes: Buffer): boolean => {
    let text = bytes.toString('utf8');
    if (text.endsWith('\r')) text = text.slice(0, -1);
    const e = reader.read(text);
    if (player === null && reader.header !== null) {
      player = new CastPlayer(reader.header, {
        maxCols: MAX_COLS, maxRows: MAX_ROWS,
        ...(opts.cols !== undefined && { cols: opts.cols }), ...(opts.rows !== undefined && { rows: opts.rows }),
        ...(opts.at !== undefined && { at: opts.at }),
      });
    }
    return e === null || player === null || player.play(e, reader.line);
  };
  try {
    let carry: Buffer = Buffer.alloc(0);
    let done = 0;
    let more = true;
    outer: for await (const chunk of chunks) {
      done += chunk.length;
      progress.update(done);
      let buf = carry.length > 0 ? Buffer.concat([carry, chunk]) : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length);
      let nl: number;
      while ((nl = buf.indexOf(10)) >= 0) {
        if (!line(buf.subarray(0, nl))) { more = false; break outer; }
        buf = buf.subarray(nl + 1);
      }
      carry = Buffer.from(buf);
    }
    if (more && carry.length > 0) line(carry);
    const header = reader.finish();
    player ??= new CastPlayer(header, { maxCols: MAX_COLS, maxRows: MAX_ROWS });
    return (player as CastPlayer).terminal.snapshot();
  } catch (err) {
    return fail(err);
  } finally {
    (player as CastPlayer | null)?.dispose();
  }
}

/** Replays the input and returns the rendered output, as written (text newline-terminated). */
export async function render(opts: RenderOptions, io: Io): Promise<string | Buffer> {
  return formatSnapshot(await renderSnapshot(opts, io), opts.format);
}

export async function runRender(args: string[], io: Io): Promise<number> {
  const animation = await import('./render-animation.js');
  if (animation.wantsAnimation(args)) return animation.runRenderAnimation(args, io);
  const opts = parseRenderArgs(args);
  if (opts === null) {
    io.stdout.write(RENDER_USAGE + animation.ANIMATION_USAGE);
    return 0;
  }
  checkDestination('render', opts.format, opts.out, io);
  await writeResult('render', io, opts.out, await render(opts, io));
  return 0;
}
