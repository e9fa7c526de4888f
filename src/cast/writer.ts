/**
 * asciicast writer: records a terminal session as a header plus timed events — "o" output, "i"
 * input, "r" resize ("COLSxROWS"), "m" markers and, in v3 and once the program exits, "x" with
 * its exit status — in v2 (https://docs.asciinema.org/manual/asciicast/v2/, times from the start)
 * or v3 (https://docs.asciinema.org/manual/asciicast/v3/, `term` header, times as intervals).
 *
 * Owns: the events (a time in whole microseconds and the serialised `, "code", "data"]` tail of
 * each), their byte count in the format recorded, the UTF-8 decoders that carry a multi-byte
 * character split across two chunks over to the next event (asciicast is JSON text: event data
 * must be whole strings), and the size cap. Either format can be written out from the same
 * events (`chunks(title, format)`): times are integers, so v2 ↔ v3 never drifts. Knows nothing
 * about sessions or HTTP: callers tap bytes in.
 *
 * Size cap: when the event lines would pass `maxBytes`, recording stops and one last "m" event
 * says so; `truncated` is then true. Memory stays at most `maxBytes` plus that marker.
 */
import { StringDecoder } from 'node:string_decoder';
import { formatV2Time, formatV3Interval, toV3Header, type CastFormat, type CastHeaderV2 } from './header.js';

export { type CastHeader } from './header.js';

export type CastEventCode = 'o' | 'i' | 'r' | 'm' | 'x';

export interface CastWriterOptions {
  width: number;
  height: number;
  command?: string;
  env?: Record<string, string>;
  /** The format recorded (its bytes count against the cap) and served by default; default v2. */
  format?: CastFormat;
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
  readonly format: CastFormat;
  /** True once the cap stopped the recording. */
  truncated = false;
  private readonly header: CastHeaderV2;
  /** Event times from the start, µs, in order. */
  private readonly times: number[] = [];
  /** `, "code", "data"]\n` of each event. */
  private readonly tails: string[] = [];
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
    this.format = opts.format ?? 'v2';
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

  /** Bytes of event lines kept, in the format recorded (without the header). */
  get size(): number { return this.bytes; }

  /** Events kept. */
  get eventCount(): number { return this.tails.length; }

  /** Time of the last event, seconds from the start (0 before any). */
  get lastTime(): number { return this.times.length > 0 ? this.times[this.times.length - 1]! / 1e6 : 0; }

  /** True once the program's exit ended the recording. */
  get isEnded(): boolean { return this.ended; }

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

  /** A marker ("m"); false when nothing is recorded any more (ended or stopped by the cap). */
  marker(label: string): boolean {
    if (this.ended || this.truncated) return false;
    this.pushAlways('m', label);
    return !this.truncated;
  }

  /**
   * The program has exited: flush a dangling partial character (as U+FFFD), record its exit
   * status as an "x" event (as asciinema 3 does: the code, or 128 + the signal's number), stop.
   */
  end(status?: number): void {
    if (this.ended) return;
    if (!this.truncated) {
      this.push('o', this.out.end());
      this.push('i', this.in.end());
      if (status !== undefined) this.push('x', String(status));
    }
    this.ended = true;
  }

  /**
   * The file so far, in `format` (default the one recorded): header line then one line per
   * event, each ending in '\n', yielded in batches so a download of tens of MB never needs a
   * second copy of it. `title` (the terminal's current title, if any) goes into the header.
   */
  *chunks(title?: string, format: CastFormat = this.format): Generator<string> {
    const v2 = { ...this.header, ...(title ? { title } : {}) };
    yield JSON.stringify(format === 'v3' ? toV3Header(v2) : v2) + '\n';
    // Only the events present now: a live session may append while the reply is written.
    const n = this.tails.length;
    const BATCH = 512;
    let prev = 0;
    for (let i = 0; i < n; i += BATCH) {
      let out = '';
      for (let j = i; j < Math.min(n, i + BATCH); j++) {
        const t = this.times[j]!;
        out += `[${format === 'v3' ? formatV3Interval(t - prev) : formatV2Time(t)}${this.tails[j]!}`;
        prev = t;
      }
      yield out;
    }
  }

  /** The whole file as one string (tests, small recordings, the archive). */
  toString(title?: string, format: CastFormat = this.format): string {
    return [...this.chunks(title, format)].join('');
  }

  private push(code: CastEventCode, data: string): void {
    if (data === '' || this.ended || this.truncated) return;
    this.pushAlways(code, data);
  }

  /** Keeps the event (also with empty data: a marker may have no label) unless the cap says no. */
  private pushAlways(code: CastEventCode, data: string): void {
    const t = Math.max(0, Math.round((this.now() - this.t0) * 1000));
    const last = this.times.length > 0 ? this.times[this.times.length - 1]! : 0;
    const time = Math.max(t, last);
    const tail = `, ${JSON.stringify(code)}, ${JSON.stringify(data)}]\n`;
    const size = this.lineBytes(time, last, tail);
    const overOwn = this.bytes + size > this.maxBytes;
    if (overOwn || (this.budget !== undefined && !this.released && !this.budget.take(size))) {
      this.truncated = true;
      const why = overOwn ? `${TRUNCATED_MARKER} (${this.maxBytes} bytes)` : `${TOTAL_TRUNCATED_MARKER} (${this.budget!.limit} bytes)`;
      const markTail = `, "m", ${JSON.stringify(why)}]\n`;
      const markBytes = this.lineBytes(time, last, markTail);
      this.times.push(time);
      this.tails.push(markTail);
      this.bytes += markBytes;
      if (!this.released) this.budget?.force(markBytes);
      return;
    }
    this.times.push(time);
    this.tails.push(tail);
    this.bytes += size;
  }

  /** UTF-8 bytes of the event's line in the format recorded. */
  private lineBytes(time: number, last: number, tail: string): number {
    const stamp = this.format === 'v3' ? formatV3Interval(time - last) : formatV2Time(time);
    return 1 + stamp.length + Buffer.byteLength(tail, 'utf8');
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
