/**
 * The optional printAscii fast path (ASCII runs handed over as input bytes) must produce
 * exactly the events the code-point path does, for any input and any chunking.
 */
import { describe, expect, it } from 'vitest';
import { Parser } from '../../../src/engine/parser/parser.js';
import { Recorder } from './recorder.js';

/** A Recorder that also takes printAscii; consecutive prints are merged for comparison. */
class AsciiRecorder extends Recorder {
  asciiCalls = 0;
  printAscii(data: Uint8Array, start: number, end: number): number {
    this.asciiCalls++;
    expect(data[start]! >= 0x20 && data[start]! < 0x7f).toBe(true);
    let stop = start;
    while (stop < end && data[stop]! >= 0x20 && data[stop]! < 0x7f) stop++;
    this.events.push(`print ${JSON.stringify(String.fromCharCode(...data.subarray(start, stop)))}`);
    return stop;
  }
}

function merged(events: string[]): string[] {
  const out: string[] = [];
  for (const e of events) {
    const prev = out[out.length - 1];
    if (prev !== undefined && prev.startsWith('print ') && e.startsWith('print ')) {
      out[out.length - 1] = `print ${JSON.stringify(JSON.parse(prev.slice(6)) + JSON.parse(e.slice(6)))}`;
    } else out.push(e);
  }
  return out;
}

function run(h: Recorder, data: Uint8Array, chunk: number): string[] {
  const p = new Parser(h);
  for (let i = 0; i < data.length; i += chunk) p.parse(data, i, Math.min(data.length, i + chunk));
  return merged(h.events);
}

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

const PIECES = [
  'hello ', 'wörld ', '漢字', '\x1b[31m', '\x1b[0m', '\r\n', '\x1b]0;t\x07', '\x9b1m', '\xff', '\t', '😀', '\x1bP1q', '\x1b\\', 'x',
  // Two-byte escapes (the ground loop dispatches these itself) and their near misses.
  '\x1b7', '\x1b8', '\x1bM', '\x1b=', '\x1bc', '\x1b(B', '\x1b#8', '\x1bX', '\x1b^', '\x1b_', '\x1b\x1b', '\x1b\x7f', '\x1b~', '\x1b0',
];

describe('Parser: printAscii fast path', () => {
  it('is used for plain ASCII runs', () => {
    const h = new AsciiRecorder();
    new Parser(h).parse(Buffer.from('abc\r\ndef'));
    expect(h.asciiCalls).toBe(2);
    expect(h.events).toEqual(['print "abc"', 'exec 0d', 'exec 0a', 'print "def"']);
  });

  it('matches the code-point path on random input at random chunk sizes', () => {
    const r = rng(7);
    for (let trial = 0; trial < 300; trial++) {
      let s = '';
      for (let k = 0; k < 30; k++) s += PIECES[Math.floor(r() * PIECES.length)];
      const bytes = Buffer.from(s);
      const chunk = 1 + Math.floor(r() * 12);
      expect(run(new AsciiRecorder(), bytes, chunk), `input ${JSON.stringify(s)} chunk ${chunk}`).toEqual(run(new Recorder(), bytes, chunk));
    }
  });

  // The ground loop decodes complete UTF-8 characters itself (printUtf8Run) and leaves
  // anything ill-formed to the decoder: both must yield the same code points, byte for byte.
  const BYTE_PIECES: number[][] = [
    [0xe6, 0xbc, 0xa2], [0xf0, 0x9f, 0x9a, 0x80], [0xc3, 0xb6], [0xc2, 0xa0], [0xef, 0xbf, 0xbd],
    [0xc2, 0x9b], [0xc2, 0x85], // C1 controls: CSI, NEL
    [0xe0, 0x80, 0x80], [0xe0, 0xa0, 0x80], [0xed, 0xa0, 0x80], [0xed, 0x9f, 0xbf], // overlong, surrogate, edges
    [0xf0, 0x8f, 0xbf, 0xbf], [0xf4, 0x8f, 0xbf, 0xbf], [0xf4, 0x90, 0x80, 0x80], [0xf5, 0x80], // 4-byte edges
    [0xc0, 0xaf], [0xc1, 0xbf], [0x80], [0xbf], [0xff], [0xe6, 0xbc], [0xf0, 0x9f, 0x9a], [0xe6], // invalid, cut short
    [0x61, 0x62], [0x20], [0x1b, 0x5b, 0x31, 0x6d], [0x0d, 0x0a], [0x7f],
  ];
  it('matches the decoder on well-formed and ill-formed UTF-8 at random chunk sizes', () => {
    const r = rng(11);
    for (let trial = 0; trial < 400; trial++) {
      const bytes: number[] = [];
      for (let k = 0; k < 24; k++) bytes.push(...BYTE_PIECES[Math.floor(r() * BYTE_PIECES.length)]!);
      const data = Uint8Array.from(bytes);
      const chunk = 1 + Math.floor(r() * 16);
      expect(run(new AsciiRecorder(), data, chunk), `bytes ${bytes.join(',')} chunk ${chunk}`).toEqual(run(new Recorder(), data, chunk));
      expect(run(new AsciiRecorder(), data, data.length)).toEqual(run(new Recorder(), data, 1));
    }
  });
});
