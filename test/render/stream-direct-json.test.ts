/**
 * A JSON read of up to DIRECT_JSON_CELLS cells is written from the live terminal at once, in one
 * pass (styles and links gathered while the lines are written), without a frozen copy (issue 27);
 * its body is reserved against the copy budget, and a refusal falls back to the copy. Larger
 * reads stream from a copy. Same bytes as JSON.stringify(snapshot()) every way.
 */
import { describe, expect, it } from 'vitest';
import { PagePool, Terminal } from '../../src/engine/index.js';
import { DIRECT_JSON_CELLS, snapshotStream } from '../../src/render/stream.js';

async function body(r: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of r) chunks.push(typeof c === 'string' ? Buffer.from(c) : (c as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

describe('snapshotStream json', () => {
  it('writes a JSON answer within DIRECT_JSON_CELLS without a copy, and a larger one from a copy, byte for byte', async () => {
    const cols = 400;
    const t = new Terminal({ cols, rows: 10, scrollback: 5000, pool: new PagePool() });
    for (let i = 0; i < 2700; i++) {
      t.write(`\x1b[3${i % 8}mline ${i}\x1b[0m ${'x'.repeat(i % 300)} 中 e\u0301 "q" \\ \x1b]8;;https://h.test/${i % 7}\x07l\x1b]8;;\x07\r\n`);
    }
    expect(2710 * cols).toBeGreaterThan(DIRECT_JSON_CELLS);
    t.compressColdPages({ all: true });
    const compressed = t.primary.list.compressedCount();
    const expected = JSON.stringify(t.snapshot(600)); // restores the pages it reads
    t.compressColdPages({ all: true });
    let reserved = 0;
    let sizes: number[] = [];
    const reserve = (bytes: number) => { sizes.push(bytes); reserved += bytes; return () => { reserved -= bytes; }; };
    const direct = snapshotStream(t, 600, 'json', reserve);
    expect(t.primary.list.compressedCount()).toBe(compressed); // read in place: nothing restored
    const directBody = await body(direct);
    expect(sizes).toEqual([Buffer.byteLength(directBody)]); // the body itself is what it holds, no copy
    expect(reserved).toBe(0);
    expect(directBody).toBe(expected);

    // The budget refuses the body: the copy (smaller, compressed) is reserved instead.
    sizes = [];
    const refusing = (bytes: number) => {
      if (bytes > 1_000_000) throw new Error('over budget');
      return reserve(bytes);
    };
    expect(await body(snapshotStream(t, 600, 'json', refusing))).toBe(expected);
    expect(sizes).toHaveLength(1);
    expect(sizes[0]).toBeLessThan(1_000_000);
    expect(reserved).toBe(0);

    // Over DIRECT_JSON_CELLS: from a copy (its bytes = the built answer's: test/hostile/snapshot-budget.test.ts).
    sizes = [];
    const copied = await body(snapshotStream(t, 5000, 'json', reserve));
    expect(sizes).toHaveLength(1);
    expect(sizes[0]).toBeLessThan(copied.length / 10);
    expect(copied.endsWith(']}')).toBe(true);
    expect(reserved).toBe(0);
    t.dispose();
  });
});
