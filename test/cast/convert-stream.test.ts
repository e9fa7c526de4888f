/**
 * convertCastStream: the cast as chunks split anywhere (inside a line, inside a UTF-8
 * character) converts to exactly what convertCast gives for the whole text, both ways; a
 * malformed line is named; a line past the cap stops the stream instead of growing.
 */
import { describe, expect, it } from 'vitest';
import { CastError, convertCast, convertCastStream, type CastFormat } from '../../src/cast/index.js';

const V2 = '{"version": 2, "width": 20, "height": 4, "title": "t"}\n[0.5, "o", "中文 é\\r\\n"]\n[1.25, "i", "ls\\r"]\n\n[2, "r", "30x5"]\n[2.000001, "m", "mark"]\n[3, "o", "end"]\n';

async function* pieces(bytes: Buffer, size: number): AsyncGenerator<Buffer> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

async function collect(gen: AsyncIterable<string>): Promise<string> {
  let s = '';
  for await (const c of gen) s += c;
  return s;
}

describe('convertCastStream', () => {
  it('gives convertCast\'s text whatever the chunk boundaries, v2 → v3 → v2', async () => {
    const v3 = [...convertCast(V2, 'v3')].join('');
    for (const [from, to] of [[V2, 'v3'], [v3, 'v2']] as [string, CastFormat][]) {
      const want = [...convertCast(from, to)].join('');
      for (const size of [1, 2, 3, 7, 64, 1 << 16]) {
        expect(await collect(convertCastStream(pieces(Buffer.from(from), size), to))).toBe(want);
      }
    }
    // Without the trailing newline too.
    expect(await collect(convertCastStream(pieces(Buffer.from(V2.trimEnd()), 5), 'v3'))).toBe(v3);
  });

  it('names a malformed line; stops at a line longer than the cap', async () => {
    const bad = Buffer.from('{"version": 2, "width": 20, "height": 4}\n[0.5, "o", "a"]\n[oops\n');
    await expect(collect(convertCastStream(pieces(bad, 4), 'v3'))).rejects.toThrow(/line 3: not valid JSON/);
    let pulled = 0;
    async function* endless(): AsyncGenerator<Buffer> {
      yield Buffer.from('{"version": 2, "width": 20, "height": 4}\n[0.5, "o", "');
      for (;;) { pulled++; yield Buffer.alloc(1024, 0x61); }
    }
    const err = await collect(convertCastStream(endless(), 'v3', { maxLineBytes: 64 << 10 })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CastError);
    expect(String(err)).toMatch(/longer than 65536 bytes/);
    expect(pulled).toBeLessThan(70);
  });
});
