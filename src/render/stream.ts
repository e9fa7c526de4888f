/**
 * Screen answers too large to build at once, streamed: GET /v1/sessions/{id}/screen with much
 * scrollback (src/routes/screen.ts). A 500×200 session with 10,000 lines of scrollback is a
 * 174 MB JSON snapshot, built from 5 M cell objects: building it took 15.8 s of the event loop
 * and 1.26 GB, and six clients that did not read held 3.4 GB.
 *
 * Here the session's terminal is first copied, frozen, as the archive codec's compressed pages
 * (`archiveTerminal`: pages the quiet sweep already compressed are shared, not re-encoded), so
 * the answer is one instant's screen however long the client takes, and the live terminal can
 * go on changing. Then the answer is written a piece at a time from the copy (a SnapshotReader
 * hands the renderers a window of lines at a time, see src/render/snapshot-source.ts), one piece
 * per turn of the event loop, and only when the socket asks for more: a client that does not
 * read leaves the server holding the copy, one piece and the socket's buffers, no more, and
 * other requests run between the pieces. The bytes are exactly those of the built answer.
 * PNG is not streamed (resvg needs the whole SVG); it has its own pixel cap.
 *
 * Text and JSON reads up to a cell budget take a cheaper copy (issue 27): their rows frozen as they
 * are (compressed records shared, live rows copied flat), then written a slice at a time like the
 * pieces above (DIRECT_TEXT_CELLS, DIRECT_JSON_CELLS, SLICE_CELLS, directStream).
 */
import { ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { archiveTerminal, restoreTerminal, SnapshotReader, type Terminal } from '../engine/index.js';
import { ansiParts } from './ansi.js';
import { htmlParts } from './html.js';
import type { ScreenFormat } from './screen-body.js';
import { windows, linesPerPart, type SnapshotSource } from './snapshot-source.js';
import { svgParts } from './svg.js';

/** Cells a piece is built from: a few ms of work, ~300 KB of JSON (16 lines at 500 columns). */
export const PART_CELLS = 8192;
/**
 * format=text reads up to this many cells are read from a frozen copy of their rows (directStream)
 * instead of the archive copy: 10,000 lines of 80 columns (800,000 cells) are ~8 ms of text (issue 27).
 */
export const DIRECT_TEXT_CELLS = 1_048_576;
/**
 * format=json reads up to this many cells likewise (issue 27): 10,000 lines of 80 columns are
 * ~27 MB of JSON, ~40-90 ms of CPU, where the archive copy, its restore and scan cost more. The
 * frozen copy is reserved against the copy budget (a refusal falls back to the archive copy).
 */
export const DIRECT_JSON_CELLS = 1_048_576;
/**
 * Cells a direct read writes in one turn of the event loop: ~410 lines at 80 columns, ~1.1 MB of
 * JSON, a few ms; a 10,000-line read gives the loop back ~25 times instead of holding it 30-110 ms.
 */
export const SLICE_CELLS = 32_768;
/** Cells the style/link scan walks between two turns of the event loop (cheap: no objects). */
const SCAN_CELLS = 262_144;

export type StreamFormat = Exclude<ScreenFormat, 'png'>;

/** `JSON.stringify` of the snapshot, in pieces: head and tables, then the lines, a window at a time. */
export function* jsonParts(src: SnapshotSource & { linesJsonBytes?(a: number, b: number): Buffer }, perPart = Infinity): Generator<string | Buffer> {
  yield jsonHead(src);
  for (const [a, b] of windows(src.lineCount, perPart)) {
    // The engine's reader writes the lines' JSON bytes itself, without a cell object or a
    // string each (issue 27).
    if (src.linesJsonBytes !== undefined) {
      const json = src.linesJsonBytes(a, b);
      if (a > 0 && json.length > 0) yield COMMA;
      if (json.length > 0) yield json;
      continue;
    }
    let out = '';
    for (const line of src.lines(a, b)) out += (out === '' && a === 0 ? '' : ',') + JSON.stringify(line);
    yield out;
  }
  yield JSON_END;
}

const COMMA = Buffer.from(',');
const JSON_END = Buffer.from(']}');

/** A JSON snapshot's text up to its first line: head, tables, `"lines":[`. */
function jsonHead(src: Pick<SnapshotSource, 'head' | 'styles' | 'links'>): string {
  return JSON.stringify({ ...src.head, styles: src.styles, links: src.links }).slice(0, -1) + ',"lines":[';
}

/** format=text: every line followed by \n. */
export function* textParts(src: SnapshotSource, perPart = Infinity): Generator<string> {
  for (const [a, b] of windows(src.lineCount, perPart)) yield src.texts(a, b).join('\n') + '\n';
}

/**
 * `t`'s snapshot with `scrollback` lines as a stream of `format` (the same bytes screenBody
 * builds). The copy is taken now; it is released when the stream ends or is destroyed (fastify
 * destroys it when the client goes away).
 */
export function snapshotStream(t: Terminal, scrollback: number, format: StreamFormat, reserve: (bytes: number) => () => void = () => () => {}): Readable {
  if (format === 'text' || format === 'json') {
    if (SnapshotReader.cells(t, scrollback) <= (format === 'text' ? DIRECT_TEXT_CELLS : DIRECT_JSON_CELLS)) {
      const direct = directStream(t, scrollback, format, reserve);
      if (direct !== null) return direct;
    }
  }
  // Cold pages compressed in place first (what the quiet sweep would do): the copy then shares
  // them, and the next reads of a busy session find them compressed too. 5.1 M cells of live
  // pages are ~300 ms to compress, once; ~20 ms to copy compressed.
  t.compressColdPages();
  const blob = archiveTerminal(t);
  // What the copy holds until the stream ends: its compressed pages (restored a few at a time).
  const unreserve = reserve(blob.byteLength);
  let copy: Terminal;
  try {
    copy = restoreTerminal(blob, { pool: t.pool, label: `${t.label}:snapshot` });
  } catch (err) {
    unreserve();
    throw err;
  }
  const reader = new SnapshotReader(copy, scrollback);
  const perPart = linesPerPart(reader.head.cols, PART_CELLS);
  const src: SnapshotSource & { linesJsonBytes(a: number, b: number): Buffer } = {
    head: reader.head,
    get styles() { return reader.styles; },
    get links() { return reader.links; },
    lineCount: reader.lineCount,
    lines: (a, b) => reader.lines(a, b),
    texts: (a, b) => reader.texts(a, b),
    linesJsonBytes: (a: number, b: number) => reader.linesJsonBytes(a, b),
  };
  function* parts(): Generator<string | Buffer> {
    if (format !== 'text') {
      const scanLines = linesPerPart(reader.head.cols, SCAN_CELLS);
      while (!reader.scan(scanLines)) yield '';
    }
    switch (format) {
      case 'text': yield* textParts(src, perPart); break;
      case 'json': yield* jsonParts(src, perPart); break;
      case 'ansi': yield* ansiParts(src, {}, perPart); break;
      case 'html': yield* htmlParts(src, {}, perPart); break;
      case 'svg': yield* svgParts(src, {}, perPart); break;
    }
  }
  return new PartStream(parts(), () => { copy.dispose(); unreserve(); });
}

/**
 * A text or JSON read within DIRECT_*_CELLS (issue 27): the rows are frozen at once
 * (format/frozen-history.ts: compressed records shared, live rows copied, ~6 B a cell), which is
 * far cheaper than the archive copy, then written from the copy a slice of SLICE_CELLS at a time,
 * one slice per turn of the event loop and only as the socket asks, so no read holds the loop
 * for long and output the session takes meanwhile is not in the answer. Null when the copy
 * budget has no room for the frozen copy (the archive copy, compressed, is smaller).
 */
function directStream(t: Terminal, scrollback: number, format: 'text' | 'json', reserve: (bytes: number) => () => void): Readable | null {
  const reader = new SnapshotReader(t, scrollback, true);
  const frozen = reader.frozen!;
  let unreserve: () => void;
  try {
    // A JSON read keeps the compressed pages it decodes for the scan until it has written them.
    unreserve = reserve(frozen.copiedBytes + frozen.sharedBytes + (format === 'json' ? frozen.decodedBytes : 0));
  } catch {
    return null;
  }
  // Text and the scan are several times cheaper a cell than JSON: their slices are larger.
  const perSlice = linesPerPart(reader.head.cols, format === 'text' ? SLICE_CELLS * 4 : SLICE_CELLS);
  const src: SnapshotSource & { linesJsonBytes(a: number, b: number): Buffer } = {
    head: reader.head,
    get styles() { return reader.styles; },
    get links() { return reader.links; },
    lineCount: reader.lineCount,
    lines: () => { throw new Error('a direct read writes JSON bytes, not line objects'); },
    texts: (a, b) => reader.texts(a, b),
    linesJsonBytes: (a: number, b: number) => reader.linesJsonBytes(a, b),
  };
  function* parts(): Generator<string | Buffer> {
    if (format === 'text') { yield* textParts(src, perSlice); return; }
    // The tables come before the lines: scanned first, a few pages a turn.
    const scanLines = linesPerPart(reader.head.cols, SLICE_CELLS * 4);
    while (!reader.scan(scanLines)) yield '';
    yield* jsonParts(src, perSlice);
  }
  return new PartStream(parts(), unreserve, format === 'json' ? (chunk) => reader.recycle(chunk) : undefined);
}

/**
 * A Readable over a generator of strings or bytes: one `next()` per turn of the event loop
 * (setImmediate), and only when the consumer asks (`_read`), so generation follows the socket.
 * An empty string is a pause: the generator gives the loop back without output.
 */
class PartStream extends Readable {
  private tick: NodeJS.Immediate | null = null;
  private released = false;
  /** Recyclable chunks handed to the response, not yet known to be written to the socket. */
  private inFlight: Buffer[] = [];

  /**
   * `recycle`, when given, takes back the Buffer chunks of the generator once the response they
   * were piped to has written them to its socket (see pipe).
   */
  constructor(private readonly gen: Generator<string | Buffer>, private readonly release: () => void, private readonly recycle?: (chunk: Buffer) => void) {
    super({ highWaterMark: 64 * 1024 });
  }

  /**
   * NOTE: chunks are recycled only when piped straight into an HTTP response: its 'drain' comes
   * when its socket has written everything it was given (a write callback per chunk, in effect).
   * Any other consumer (a Transform in an onSend hook passes the same Buffer on) keeps them.
   */
  override pipe<T extends NodeJS.WritableStream>(dest: T, opts?: { end?: boolean }): T {
    const out = super.pipe(dest, opts);
    const recycle = this.recycle;
    if (recycle !== undefined && dest instanceof ServerResponse) {
      const res = dest;
      // Everything the response was given is written once it holds nothing (its own buffer and
      // its socket's: writableLength), which its 'drain' announces.
      const settle = (): void => {
        if (res.writableLength !== 0) return;
        for (const c of this.inFlight) recycle(c);
        this.inFlight = [];
      };
      // After pipe's own 'data' listener: the chunk has been written to the response.
      this.on('data', (chunk: unknown) => {
        if (Buffer.isBuffer(chunk)) this.inFlight.push(chunk);
        settle();
      });
      res.on('drain', settle);
    }
    return out;
  }

  override _read(): void {
    if (this.tick === null) this.tick = setImmediate(() => this.step());
  }

  private step(): void {
    this.tick = null;
    let r: IteratorResult<string | Buffer>;
    try {
      r = this.gen.next();
    } catch (err) {
      this.destroy(err as Error);
      return;
    }
    if (r.done) {
      this.free();
      this.push(null);
      return;
    }
    if (r.value === '') { this._read(); return; }
    if (typeof r.value === 'string' ? this.push(r.value, 'utf8') : this.push(r.value)) this._read();
  }

  private free(): void {
    if (this.released) return;
    this.released = true;
    this.release();
  }

  override _destroy(err: Error | null, cb: (err?: Error | null) => void): void {
    if (this.tick !== null) { clearImmediate(this.tick); this.tick = null; }
    try { this.gen.return(undefined); } catch { /* the generator's own cleanup failed: nothing to add */ }
    this.free();
    cb(err);
  }
}
