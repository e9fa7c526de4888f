/**
 * ALiS v1, asciinema's live-stream protocol (the `v1.alis` WebSocket subprotocol the asciinema
 * server relays and asciinema-player consumes): framing only, no sockets.
 *
 * As asciinema-player 3.18 reads it (its `alisHandler`): every WebSocket message is one binary
 * frame. The first is the magic `ALiS\x01`; then an init frame, then events. Integers are
 * unsigned LEB128 varints; times are microseconds: the init carries the stream's time so far,
 * each event the time since the previous one.
 *
 *   init    0x01 id time cols rows theme(0 = none) len bytes   (bytes: the screen so far, as output)
 *   output  'o'  id dt len bytes                                 (UTF-8, whole characters)
 *   resize  'r'  id dt cols rows
 *   marker  'm'  id dt len label
 *   exit    'x'  id dt status
 *   EOT     0x04                                                 (stream over; a new init may follow)
 *
 * An init may come again mid-stream: the player resets its terminal to it (used here to bring a
 * viewer that fell behind back to the current screen). The id is the event's sequence number
 * (the player ignores it; the asciinema server uses it to spot gaps).
 */

export const ALIS_SUBPROTOCOL = 'v1.alis';
export const ALIS_MAGIC = Buffer.from('ALiS\x01', 'latin1');

export const FRAME_INIT = 0x01;
export const FRAME_OUTPUT = 0x6f; // 'o'
export const FRAME_RESIZE = 0x72; // 'r'
export const FRAME_MARKER = 0x6d; // 'm'
export const FRAME_EXIT = 0x78; // 'x'
export const FRAME_EOT = 0x04;

/** Unsigned LEB128 of a non-negative safe integer. */
export function varint(n: number): Buffer {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`varint: ${n} is not a non-negative integer`);
  const out: number[] = [];
  do {
    let b = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) b |= 0x80;
    out.push(b);
  } while (n > 0);
  return Buffer.from(out);
}

const bytes = (s: string | Buffer): Buffer => (typeof s === 'string' ? Buffer.from(s, 'utf8') : s);

/** Writes one stream's frames: keeps the event ids and the clock the relative times count from. */
export class AlisEncoder {
  private id = 0;
  private lastUs = 0;

  /** The frame that resets a viewer: size, time since the stream began, the screen as output bytes. */
  init(timeUs: number, cols: number, rows: number, screen: string | Buffer): Buffer {
    const t = Math.max(0, Math.round(timeUs));
    this.lastUs = t;
    const b = bytes(screen);
    return Buffer.concat([Buffer.of(FRAME_INIT), varint(this.id), varint(t), varint(cols), varint(rows), Buffer.of(0), varint(b.length), b]);
  }

  output(timeUs: number, data: string | Buffer): Buffer {
    const b = bytes(data);
    return Buffer.concat([this.head(FRAME_OUTPUT, timeUs), varint(b.length), b]);
  }

  resize(timeUs: number, cols: number, rows: number): Buffer {
    return Buffer.concat([this.head(FRAME_RESIZE, timeUs), varint(cols), varint(rows)]);
  }

  marker(timeUs: number, label: string): Buffer {
    const b = bytes(label);
    return Buffer.concat([this.head(FRAME_MARKER, timeUs), varint(b.length), b]);
  }

  exit(timeUs: number, status: number): Buffer {
    return Buffer.concat([this.head(FRAME_EXIT, timeUs), varint(Math.max(0, status))]);
  }

  eot(): Buffer {
    return Buffer.of(FRAME_EOT);
  }

  /** Type, id, time since the previous event (never negative: the clock only moves forward). */
  private head(type: number, timeUs: number): Buffer {
    const t = Math.max(this.lastUs, Math.round(timeUs));
    const dt = t - this.lastUs;
    this.lastUs = t;
    this.id++;
    return Buffer.concat([Buffer.of(type), varint(this.id), varint(dt)]);
  }
}

/** One decoded frame (for tests and tools): times absolute, in microseconds. */
export type AlisFrame =
  | { type: 'init'; id: number; time: number; cols: number; rows: number; data: Buffer }
  | { type: 'output'; id: number; time: number; data: Buffer }
  | { type: 'resize'; id: number; time: number; cols: number; rows: number }
  | { type: 'marker'; id: number; time: number; label: string }
  | { type: 'exit'; id: number; time: number; status: number }
  | { type: 'eot' };

/** Reads a stream's frames after the magic, as asciinema-player does. */
export class AlisDecoder {
  private time = 0;

  decode(frame: Buffer): AlisFrame {
    let at = 0;
    const u8 = (): number => {
      if (at >= frame.length) throw new RangeError('ALiS frame ends early');
      return frame[at++]!;
    };
    const vu = (): number => {
      let n = 0, mul = 1, b: number;
      do { b = u8(); n += (b & 0x7f) * mul; mul *= 128; } while (b & 0x80);
      return n;
    };
    const blob = (): Buffer => {
      const len = vu();
      if (at + len > frame.length) throw new RangeError('ALiS frame ends early');
      const b = frame.subarray(at, at + len);
      at += len;
      return b;
    };
    const type = u8();
    if (type === FRAME_EOT) return { type: 'eot' };
    const id = vu();
    if (type === FRAME_INIT) {
      this.time = vu();
      const cols = vu(), rows = vu();
      const theme = u8();
      if (theme !== 0) at += (2 + theme) * 3;
      return { type: 'init', id, time: this.time, cols, rows, data: blob() };
    }
    this.time += vu();
    const time = this.time;
    switch (type) {
      case FRAME_OUTPUT: return { type: 'output', id, time, data: blob() };
      case FRAME_RESIZE: { const cols = vu(); return { type: 'resize', id, time, cols, rows: vu() }; }
      case FRAME_MARKER: return { type: 'marker', id, time, label: blob().toString('utf8') };
      case FRAME_EXIT: return { type: 'exit', id, time, status: vu() };
      default: throw new RangeError(`unknown ALiS frame type 0x${type.toString(16)}`);
    }
  }
}
