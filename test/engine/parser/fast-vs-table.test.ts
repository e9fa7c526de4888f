/**
 * Every shortcut of the parser (groundFast's ASCII runs, C0 controls, `ESC x` and `ESC i x`
 * dispatch, csiFast, printUtf8Run, stringFast) against the plain table: the reference is a
 * handler without printAscii fed one byte per parse() call, which leaves every byte to the
 * transition table (csiFast needs `ESC [` in one call, groundFast needs printAscii). The fast side
 * is a handler with printAscii, on the whole input and cut at every position (and at every
 * pair of positions around the escapes). print-ascii.test.ts compares the two handlers at the
 * same chunking, so csiFast (used by both) is never compared with the table there.
 */
import { describe, expect, it } from 'vitest';
import { Parser } from '../../../src/engine/parser/parser.js';
import { Recorder, bytes, normalize } from './recorder.js';
import { rng } from '../../../bench/corpora.js';

class AsciiRecorder extends Recorder {
  printAscii(data: Uint8Array, start: number, end: number): number {
    let stop = start;
    while (stop < end && data[stop]! >= 0x20 && data[stop]! < 0x7f) stop++;
    this.events.push(`print ${JSON.stringify(String.fromCharCode(...data.subarray(start, stop)))}`);
    return stop;
  }
}

/** The table alone: one byte per call, no printAscii. */
function reference(data: Uint8Array): string[] {
  const h = new Recorder();
  const p = new Parser(h);
  for (let i = 0; i < data.length; i++) p.parse(data, i, i + 1);
  return normalize(h.events);
}

/** The fast paths: `data` cut at `cuts` (ascending), each piece one parse() call on the same buffer. */
function fast(data: Uint8Array, cuts: number[]): string[] {
  const h = new AsciiRecorder();
  const p = new Parser(h);
  let prev = 0;
  for (const c of [...cuts, data.length]) {
    p.parse(data, prev, c);
    prev = c;
  }
  return normalize(h.events);
}

/**
 * ESC + intermediate(s) + final and its near misses (a C0 control, DEL, ESC, CAN, a non-ASCII
 * character or a second intermediate in between; a final at the edges of 0x30..0x7e), next to
 * strings ended by `ESC \` (whose `\` must not dispatch) and the CSIs csiFast takes or gives up.
 */
const SAMPLES: string[] = [
  '\x1b(Bx', '\x1b)0\x1b(B\x1b[m', '\x1b#8', '\x1b%G', '\x1b -F', '\x1b (0', '\x1b/0', '\x1b(\x30', '\x1b(~', '\x1b(\x7fB',
  '\x1b(\nB', '\x1b(\x07B', '\x1b(\x1b[1m', '\x1b(\x18B', '\x1b(\x1aB', '\x1b(éB', '\x1b((B', '\x1b(((B', '\x1b( ', '\x1b(',
  '\x1b]0;title\x1b\\\x1b(B', '\x1bP1$qm\x1b\\\x1b(Bz', '\x1b_apc\x1b\\\x1b#8', '\x1b]0;t\x1b(B', '\x1b\\\x1b(B', '\x1b]0;t\x07\x1b(B',
  '\x1b[1;2H\x1b(B\x1b[m', '\x1b[?25l\x1b[38:2::1:2:3m', '\x1b[2 q', '\x1b[1\x1b(B', '\x1b[1;\nH', '\x1b[>c', '\x1b[1?h', '\x1b[99999999999m',
  '\x1b[1::2m', '\x1b[;;m', '\x1b[5;m', '\x1b[999;1000m', '\x1b[1;22;333;4444H', `\x1b[${Array.from({ length: 34 }, (_, k) => k).join(';')}m`, '\x9b1m', '\u009b2J', '\x1b7\x1b8\x1bM\x1b=\x1bc', '\x1b\x7f', '\x1b\x1b(B', '\x1bX sos \x1b\\',
  'ab\r\n\tc', '漢字😀', '\x1b(B漢', 'x\x1b(Bé\x1b)0y',
];

describe('Parser: fast paths match the table', () => {
  it('on every sample, whole and cut at every position', () => {
    for (const s of SAMPLES) {
      const data = bytes(s);
      const want = reference(data);
      expect(fast(data, []), `${JSON.stringify(s)} whole`).toEqual(want);
      for (let a = 0; a <= data.length; a++) expect(fast(data, [a]), `${JSON.stringify(s)} cut at ${a}`).toEqual(want);
    }
  });

  it('on samples back to back, cut at every pair of positions', () => {
    const r = rng(27);
    for (let trial = 0; trial < 12; trial++) {
      let s = '';
      for (let k = 0; k < 4; k++) s += SAMPLES[Math.floor(r() * SAMPLES.length)]!;
      const data = bytes(s);
      const want = reference(data);
      for (let a = 0; a <= data.length; a++) {
        for (let b = a; b <= data.length; b++) expect(fast(data, [a, b]), `${JSON.stringify(s)} cuts at ${a},${b}`).toEqual(want);
      }
    }
  });

  it('on random bytes weighted to escapes, at random chunk sizes', () => {
    const r = rng(2027);
    const ALPHABET = [0x1b, 0x1b, 0x1b, 0x28, 0x29, 0x23, 0x20, 0x2f, 0x5b, 0x5d, 0x50, 0x5c, 0x42, 0x30, 0x38, 0x6d, 0x3b, 0x31, 0x3f, 0x7e, 0x7f, 0x07, 0x0a, 0x18, 0x41, 0xc3, 0xa9, 0xc2, 0x9b];
    for (let trial = 0; trial < 400; trial++) {
      const data = Uint8Array.from({ length: 40 }, () => ALPHABET[Math.floor(r() * ALPHABET.length)]!);
      const cuts: number[] = [];
      for (let at = 1 + Math.floor(r() * 8); at < data.length; at += 1 + Math.floor(r() * 8)) cuts.push(at);
      expect(fast(data, cuts), `bytes ${Array.from(data).join(',')} cuts ${cuts.join(',')}`).toEqual(reference(data));
    }
  });
});
