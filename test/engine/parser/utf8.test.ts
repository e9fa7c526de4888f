import { describe, it, expect } from 'vitest';
import {
  Utf8Decoder,
  UTF8_NEED_MORE,
  UTF8_REPROCESS,
  REPLACEMENT_CHAR,
  encodeUtf8,
} from '../../../src/engine/parser/utf8.js';

/** Decode with the streaming decoder, one byte at a time, the way the parser drives it. */
function decode(bytes: number[], dec = new Utf8Decoder()): number[] {
  const out: number[] = [];
  for (let i = 0; i < bytes.length; ) {
    const r = dec.push(bytes[i]!);
    if (r === UTF8_NEED_MORE) i++;
    else if (r === UTF8_REPROCESS) out.push(REPLACEMENT_CHAR);
    else {
      out.push(r);
      i++;
    }
  }
  return out;
}

/** What WHATWG says, via Node's TextDecoder (same algorithm, incl. maximal subparts). */
function reference(bytes: number[]): number[] {
  const s = new TextDecoder('utf-8', { fatal: false }).decode(new Uint8Array(bytes), { stream: true });
  return [...s].map((c) => c.codePointAt(0)!);
}

describe('Utf8Decoder: valid input', () => {
  it('decodes 1- to 4-byte sequences', () => {
    expect(decode([0x41, 0xc3, 0xa9, 0xe2, 0x82, 0xac, 0xf0, 0x9f, 0x8e, 0x89])).toEqual([0x41, 0xe9, 0x20ac, 0x1f389]);
  });
  it('decodes the boundaries U+0080, U+07FF, U+0800, U+FFFF, U+10000, U+10FFFF', () => {
    const cps = [0x80, 0x7ff, 0x800, 0xffff, 0x10000, 0x10ffff];
    expect(decode([...Buffer.from(String.fromCodePoint(...cps))])).toEqual(cps);
  });
  it('keeps a sequence across separate push() streams (chunk boundary)', () => {
    const dec = new Utf8Decoder();
    expect(dec.push(0xe2)).toBe(UTF8_NEED_MORE);
    expect(dec.needed).toBe(2);
    expect(dec.push(0x82)).toBe(UTF8_NEED_MORE);
    expect(dec.push(0xac)).toBe(0x20ac);
    expect(dec.needed).toBe(0);
  });
});

describe('Utf8Decoder: ill-formed input (maximal subpart)', () => {
  const cases: [string, number[], number[]][] = [
    ['lone continuation', [0x80], [0xfffd]],
    ['C0/C1 overlong leads', [0xc0, 0xaf, 0xc1, 0xbf], [0xfffd, 0xfffd, 0xfffd, 0xfffd]],
    ['E0 overlong', [0xe0, 0x80, 0x80], [0xfffd, 0xfffd, 0xfffd]],
    ['surrogate ED A0 80', [0xed, 0xa0, 0x80], [0xfffd, 0xfffd, 0xfffd]],
    ['F0 overlong', [0xf0, 0x8f, 0xbf, 0xbf], [0xfffd, 0xfffd, 0xfffd, 0xfffd]],
    ['above U+10FFFF (F4 90)', [0xf4, 0x90, 0x80, 0x80], [0xfffd, 0xfffd, 0xfffd, 0xfffd]],
    ['F5..FF never valid', [0xf5, 0xff], [0xfffd, 0xfffd]],
    ['truncated 3-byte then ASCII is one U+FFFD', [0xe2, 0x82, 0x41], [0xfffd, 0x41]],
    ['truncated 4-byte then ASCII', [0xf0, 0x9f, 0x8e, 0x41], [0xfffd, 0x41]],
    ['lead after lead', [0xc3, 0xc3, 0xa9], [0xfffd, 0xe9]],
    ['raw C1 byte 0x9b', [0x9b], [0xfffd]],
  ];
  for (const [name, input, want] of cases) {
    it(name, () => {
      expect(decode(input)).toEqual(want);
      expect(decode(input)).toEqual(reference(input));
    });
  }

  it('matches TextDecoder on 2000 random byte strings', () => {
    let seed = 12345;
    const rnd = (): number => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) >> 8) & 0xff;
    for (let n = 0; n < 2000; n++) {
      const len = 1 + (rnd() % 24);
      // Bias towards the interesting region (leads and continuations).
      const input = Array.from({ length: len }, () => (rnd() & 1 ? 0x80 | rnd() : rnd()));
      // Append ASCII so no partial sequence is left pending at the end (the stream never "ends").
      input.push(0x41);
      expect(decode(input)).toEqual(reference(input));
    }
  });

  it('reset() drops a partial sequence', () => {
    const dec = new Utf8Decoder();
    dec.push(0xf0);
    dec.push(0x9f);
    dec.reset();
    expect(dec.needed).toBe(0);
    expect(dec.push(0x41)).toBe(0x41);
  });
});

describe('encodeUtf8', () => {
  it('round-trips every length class', () => {
    const out = new Uint8Array(16);
    let n = 0;
    for (const cp of [0x24, 0xa2, 0x20ac, 0x10348]) n = encodeUtf8(cp, out, n);
    expect(Buffer.from(out.subarray(0, n)).toString('utf8')).toBe('$¢€𐍈');
    expect(n).toBe(1 + 2 + 3 + 4);
  });
});
