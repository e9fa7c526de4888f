/**
 * asciicast v2 writer: records a terminal session as the header plus timed events
 * (https://docs.asciinema.org/manual/asciicast/v2/): "o" output, "i" input, "r" resize
 * ("COLSxROWS") and "m" markers, times in seconds relative to the start.
 *
 * Owns: the event lines (already serialised, one JSON array each), their byte count, the UTF-8
 * decoders that carry a multi-byte character split across two chunks over to the next event
 * (asciicast is JSON text: event data must be whole strings), and the size cap. Knows nothing
 * about sessions or HTTP: callers tap bytes in.
 *
 * Size cap: when the event lines would pass `maxBytes`, recording stops and one last "m" event
 * says so; `truncated` is then true. Memory stays at most `maxBytes` plus that marker.
 */
import { StringDecoder } from 'node:string_decoder';

export interface CastHeader {
  version: 2;
  width: number;
  height: number;
  /** Unix time of the start, in seconds. */
  timestamp?: number;
  command?: string;
  title?: string;
  env?: Record<string, string>;
  /** Any further fields (asciinema's idle_time_limit, theme, ...): kept, not interpreted. */
  [key: string]: unknown;
}

export type CastEventCode = 'o' | 'i' | 'r' | 'm';

export interface CastWriterOptions {
  width: number;
  height: number;
  command?: string;
  env?: Record<string, string>;
  /** Start of the recording; default now. */
  startedAt?: Date;
  /** Cap on the event lines' UTF-8 bytes; recording stops (with a marker) when reached. */
  maxBytes: number;
  /** Bytes shared by every recording of a process (the total cap); none = only maxBytes. */
  budget?: RecordingBudget;
  /** Clock in ms (monotonic); default performance.now. Tests inject one. */
  now?: () => number;
}

/** Marker text when the cap is reached (the byte count follows). */
export const TRUNCATED_MARKER = 'termpool: recording stopped: size limit reached';
/** Marker text when the total cap over all recordings is reached. */
export const TOTAL_TRUNCATED_MARKER = 'termpool: recording stopped: total size limit of all recordings reached';

/**
 * One byte budget shared by every recording, so many recorded sessions cannot together take
 * more memory than the total cap: a writer takes bytes before it keeps a line and gives them
 * all back when its recording is dropped.
 */
export class RecordingBudget {
  private used = 0;
  constructor(readonly limit: number) {}
  get bytes(): number { return this.used; }
  /** Takes `n` bytes if they fit under the limit. */
  take(n: number): boolean {
    if (this.used + n > this.limit) return false;
    this.used += n;
    return true;
  }
  /** Takes `n` bytes even past the limit (the small end marker). */
  force(n: number): void { this.used += n; }
  give(n: number): void { this.used = Math.max(0, this.used - n); }
}

export class CastWriter {
  readonly maxBytes: number;
  /** True once the cap stopped the recording. */
  truncated = false;
  private readonly header: CastHeader;
  private readonly lines: string[] = [];
  private bytes = 0;
  private readonly t0: number;
  private readonly now: () => number;
  private readonly out = new StringDecoder('utf8');
  private readonly in = new StringDecoder('utf8');
  private ended = false;
  private readonly budget: RecordingBudget | undefined;
  private released = false;

  constructor(opts: CastWriterOptions) {
    this.maxBytes = opts.maxBytes;
    this.budget = opts.budget;
    this.now = opts.now ?? (() => performance.now());
    this.t0 = this.now();
    this.header = {
      version: 2,
      width: opts.width,
      height: opts.height,
      timestamp: Math.floor((opts.startedAt ?? new Date()).getTime() / 1000),
      ...(opts.command !== undefined && { command: opts.command }),
      ...(opts.env !== undefined && { env: opts.env }),
    };
  }

  /** Bytes of event lines kept (without the header). */
  get size(): number { return this.bytes; }

  /** Events kept. */
  get eventCount(): number { return this.lines.length; }

  /** Bytes the program wrote. A character split across chunks is emitted whole with the later one. */
  output(chunk: Uint8Array): void {
    if (this.ended || this.truncated) return;
    this.push('o', this.out.write(chunk as Buffer));
  }

  /** Bytes sent to the program as if typed. */
  input(data: string | Uint8Array): void {
    if (this.ended || this.truncated) return;
    this.push('i', typeof data === 'string' ? data : this.in.write(data as Buffer));
  }

  resize(cols: number, rows: number): void {
    this.push('r', `${cols}x${rows}`);
  }

  marker(label: string): void {
    this.push('m', label);
  }

  /** The program has exited: flush a dangling partial character (as U+FFFD) and stop. */
  end(): void {
    if (this.ended) return;
    if (!this.truncated) {
      this.push('o', this.out.end());
      this.push('i', this.in.end());
    }
    this.ended = true;
  }

  /**
   * The file so far: header line then one line per event, each ending in '\n', yielded in
   * batches so a download of tens of MB never needs a second copy of it. `title` (the
   * terminal's current title, if any) goes into the header.
   */
  *chunks(title?: string): Generator<string> {
    const header: CastHeader = { ...this.header, ...(title ? { title } : {}) };
    yield JSON.stringify(header) + '\n';
    // Only the events present now: a live session may append while the reply is written.
    const n = this.lines.length;
    const BATCH = 512;
    for (let i = 0; i < n; i += BATCH) yield this.lines.slice(i, Math.min(n, i + BATCH)).join('');
  }

  /** The whole file as one string (tests, small recordings). */
  toString(title?: string): string {
    return [...this.chunks(title)].join('');
  }

  private push(code: CastEventCode, data: string): void {
    if (data === '' || this.ended || this.truncated) return;
    const t = Math.max(0, (this.now() - this.t0) / 1000);
    const line = `[${t.toFixed(6)}, ${JSON.stringify(code)}, ${JSON.stringify(data)}]\n`;
    const size = Buffer.byteLength(line, 'utf8');
    const overOwn = this.bytes + size > this.maxBytes;
    if (overOwn || (this.budget !== undefined && !this.released && !this.budget.take(size))) {
      this.truncated = true;
      const why = overOwn ? `${TRUNCATED_MARKER} (${this.maxBytes} bytes)` : `${TOTAL_TRUNCATED_MARKER} (${this.budget!.limit} bytes)`;
      const mark = `[${t.toFixed(6)}, "m", ${JSON.stringify(why)}]\n`;
      const markBytes = Buffer.byteLength(mark, 'utf8');
      this.lines.push(mark);
      this.bytes += markBytes;
      if (!this.released) this.budget?.force(markBytes);
      return;
    }
    this.lines.push(line);
    this.bytes += size;
  }

  /** The recording is being dropped: its bytes go back to the shared budget (once). */
  release(): void {
    if (this.released) return;
    this.released = true;
    this.budget?.give(this.bytes);
  }
}

/** `command args...` as one shell-quoted string (the header's "command" is a string). */
export function commandLine(command: string, args: readonly string[]): string {
  const q = (a: string): string => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`);
  return [command, ...args].map(q).join(' ');
}
