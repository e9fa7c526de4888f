/**
 * A text read of up to DIRECT_TEXT_CELLS cells is answered from a frozen copy of its rows
 * (compressed records shared, live rows copied flat; issue 27: the archive copy cost more than the
 * text), in slices; larger ones and other formats still stream from the archive copy. Both are
 * reserved against TERMPOOL_SNAPSHOT_COPY_BYTES. Same bytes either way.
 */
import { describe, expect, it } from 'vitest';
import { PagePool, Terminal } from '../../src/engine/index.js';
import { DIRECT_TEXT_CELLS, snapshotStream } from '../../src/render/stream.js';

async function body(r: NodeJS.ReadableStream): Promise<string> {
  let s = '';
  for await (const c of r) s += typeof c === 'string' ? c : (c as Buffer).toString('utf8');
  return s;
}

describe('snapshotStream text', () => {
  it('reads a text answer within DIRECT_TEXT_CELLS from a frozen copy, and a larger one from the archive copy, byte for byte', async () => {
    const cols = 400;
    const t = new Terminal({ cols, rows: 10, scrollback: 5000, pool: new PagePool() });
    for (let i = 0; i < 3000; i++) t.write(`line ${i} ${'x'.repeat(i % 300)} 中 e\u0301\r\n`);
    t.compressColdPages({ all: true });
    const small = Math.floor(DIRECT_TEXT_CELLS / cols) - 10; // lines of scrollback within the direct budget
    let reserved = 0;
    let copies = 0;
    const reserve = (bytes: number) => { copies++; reserved += bytes; return () => { reserved -= bytes; }; };
    const want = t.snapshot(small).lines.map((l) => l.text).join('\n') + '\n';
    t.compressColdPages({ all: true });
    const stream = snapshotStream(t, small, 'text', reserve);
    expect(copies).toBe(1); // the frozen copy: compressed records shared, live rows copied
    expect(reserved).toBeLessThan(small * cols);
    t.write('changed after the request\r\n'.repeat(50)); // not in the answer
    const direct = await body(stream);
    expect(reserved).toBe(0);
    expect(direct).toBe(want);
    const expected = t.snapshot(5000).lines.map((l) => l.text).join('\n') + '\n';
    let peak = 0;
    const copied = snapshotStream(t, 5000, 'text', (bytes) => { peak = bytes; return reserve(bytes); });
    expect(peak).toBeGreaterThan(0); // 3,010 lines × 400 columns: over the budget, from a copy
    expect(await body(copied)).toBe(expected);
    expect(copies).toBe(2);
    expect(reserved).toBe(0);
    t.dispose();
  });
});
