/**
 * A JSON read of up to DIRECT_JSON_CELLS cells is written from a frozen copy of its rows
 * (compressed records shared, live rows copied flat: no archive copy), a slice of SLICE_CELLS at a
 * time (issue 27); the copy is reserved against the copy budget, and a refusal falls back to the
 * archive copy. Larger reads stream from the archive copy. Same bytes as JSON.stringify(snapshot())
 * every way, and the answer is the terminal's at the request even when it changes between slices.
 */
import { describe, expect, it } from 'vitest';
import { PagePool, Terminal } from '../../src/engine/index.js';
import { DIRECT_JSON_CELLS, SLICE_CELLS, snapshotStream } from '../../src/render/stream.js';

async function body(r: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of r) chunks.push(typeof c === 'string' ? Buffer.from(c) : (c as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

describe('snapshotStream json', () => {
  it('writes a JSON answer within DIRECT_JSON_CELLS from a frozen copy in slices, and a larger one from the archive copy, byte for byte', async () => {
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
    // The frozen copy: the compressed records, a flat copy of the live rows, the records decoded.
    expect(sizes).toHaveLength(1);
    expect(sizes[0]).toBeLessThan(610 * cols * 6 * 2);
    // The terminal changes while the answer is read: more output (pages pruned at the top,
    // styles, links), a page restored and the pages compressed again. The answer is the request's.
    const chunks: Buffer[] = [];
    let changed = false;
    for await (const c of direct) {
      chunks.push(typeof c === 'string' ? Buffer.from(c) : (c as Buffer));
      if (!changed) {
        changed = true;
        for (let i = 0; i < 700; i++) t.write(`\x1b[4${i % 8}mafter ${i}\x1b[0m \x1b]8;;https://z.test/\x07z\x1b]8;;\x07 ${'y'.repeat(i % 390)}\r\n`);
        t.snapshot(3000);
        t.compressColdPages({ all: true });
      }
    }
    const directBody = Buffer.concat(chunks).toString('utf8');
    expect(reserved).toBe(0);
    expect(directBody).toBe(expected);
    // Written in slices: no piece past SLICE_CELLS cells of lines (~34 bytes a cell here, more with links).
    expect(chunks.length).toBeGreaterThanOrEqual(Math.floor(610 * cols / SLICE_CELLS));
    expect(Math.max(...chunks.map((c) => c.length))).toBeLessThan(SLICE_CELLS * 60);
    t.dispose();
  });

  it('falls back to the archive copy when the budget refuses the frozen one, and streams larger reads from it', async () => {
    const cols = 400;
    const t = new Terminal({ cols, rows: 10, scrollback: 5000, pool: new PagePool() });
    for (let i = 0; i < 2700; i++) {
      t.write(`\x1b[3${i % 8}mline ${i}\x1b[0m ${'x'.repeat(i % 300)} 中 e\u0301 "q" \\ \x1b]8;;https://h.test/${i % 7}\x07l\x1b]8;;\x07\r\n`);
    }
    const expected = JSON.stringify(t.snapshot(600));
    t.compressColdPages({ all: true });
    let reserved = 0;
    let sizes: number[] = [];
    const reserve = (bytes: number) => { sizes.push(bytes); reserved += bytes; return () => { reserved -= bytes; }; };
    // The budget refuses the frozen copy: the archive copy (smaller, compressed) is reserved instead.
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
