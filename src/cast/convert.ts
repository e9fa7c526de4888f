/**
 * A cast rewritten in the other asciicast version (v2 ↔ v3): header mapped as asciinema 3
 * maps it (header.ts), every event kept — codes it does not know included — with its time as the
 * target writes it (from the start in v2, the interval since the previous event in v3), in whole
 * microseconds, so a v2 → v3 → v2 round trip gives the same times back.
 *
 * Two entries over one line converter: `convertCast` for a cast already in memory (the CLI, tests)
 * and `convertCastStream` for bytes arriving in chunks (an archived recording inflated as it is
 * sent): the stream holds one partial line and about 64 KiB of output, never the whole cast,
 * and it stops at `maxLineBytes` per line so a cast without newlines cannot grow that one line.
 *
 * Owns nothing but the loop: reading is reader.ts's (errors name the line), formats header.ts's.
 */
import { StringDecoder } from 'node:string_decoder';
import { formatV2Time, formatV3Interval, toMicros, toV2Header, toV3Header, type CastFormat } from './header.js';
import { CastError, CastReader } from './reader.js';

/** Lines per yielded chunk: a 30 MB cast is never held twice. */
const BATCH = 512;

/** Output per yielded chunk of a stream: Readable.from buffers 16 chunks ahead of a slow client. */
const STREAM_BATCH_CHARS = 64 << 10;

/** Longest line `convertCastStream` holds by default (a recorded event is one pty read, a few KiB). */
export const MAX_STREAM_LINE_BYTES = 4 << 20;

/** One cast line at a time in, the converted text out (header line or event line, or ''). */
class LineConverter {
  private readonly reader = new CastReader();
  private prev = 0;
  private headerDone = false;
  constructor(private readonly format: CastFormat, private readonly title?: string) {}

  line(raw: string): string {
    const e = this.reader.read(raw.endsWith('\r') ? raw.slice(0, -1) : raw);
    let out = '';
    if (!this.headerDone && this.reader.header !== null) {
      this.headerDone = true;
      const h = this.format === 'v3' ? toV3Header(this.reader.header) : toV2Header(this.reader.header);
      out = JSON.stringify(this.title ? { ...h, title: this.title } : h) + '\n';
    }
    if (e === null) return out;
    const us = toMicros(e.time);
    out += `[${this.format === 'v3' ? formatV3Interval(us - this.prev) : formatV2Time(us)}, ${JSON.stringify(e.code)}, ${JSON.stringify(e.data)}]\n`;
    this.prev = us;
    return out;
  }

  finish(): void { this.reader.finish(); }
}

/**
 * `text` (a v2 or v3 cast) as `format`, in chunks of whole lines. `title`, when given, replaces
 * the header's. Throws CastError (naming the line) for a malformed cast.
 */
export function* convertCast(text: string, format: CastFormat, title?: string): Generator<string> {
  const c = new LineConverter(format, title);
  let start = 0;
  let out = '';
  let n = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    out += c.line(text.slice(start, end));
    start = end + 1;
    if (++n % BATCH === 0) {
      yield out;
      out = '';
    }
  }
  c.finish();
  if (out !== '') yield out;
}

/**
 * The cast arriving as UTF-8 `chunks` (split anywhere, even inside a character), as `format`, in
 * chunks of whole lines, pulled as the consumer asks: memory is one partial line and one ~64 KiB batch.
 * Throws CastError for a malformed cast or a line longer than `maxLineBytes`.
 */
export async function* convertCastStream(chunks: AsyncIterable<Uint8Array>, format: CastFormat, opts: { title?: string; maxLineBytes?: number } = {}): AsyncGenerator<string> {
  const max = opts.maxLineBytes ?? MAX_STREAM_LINE_BYTES;
  const c = new LineConverter(format, opts.title);
  const utf8 = new StringDecoder('utf8');
  let partial = '';
  let out = '';
  const take = (text: string): void => {
    let start = 0;
    for (let end = text.indexOf('\n'); end >= 0; end = text.indexOf('\n', start)) {
      out += c.line(partial + text.slice(start, end));
      partial = '';
      start = end + 1;
    }
    partial += text.slice(start);
    // UTF-16 units ≤ UTF-8 bytes: a cheap bound checked per chunk.
    if (partial.length > max) throw new CastError(`a line is longer than ${max} bytes`, 0);
  };
  for await (const chunk of chunks) {
    take(utf8.write(chunk as Buffer));
    if (out.length >= STREAM_BATCH_CHARS) {
      const o = out;
      out = '';
      yield o;
    }
  }
  take(utf8.end());
  if (partial !== '') out += c.line(partial);
  c.finish();
  if (out !== '') yield out;
}
