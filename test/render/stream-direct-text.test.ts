/**
 * A text read of up to DIRECT_TEXT_CELLS cells is answered from the live terminal at once, without
 * a frozen copy (issue 27: the copy cost more than the text); larger ones and other formats still
 * stream from a copy, reserved against TERMPOOL_SNAPSHOT_COPY_BYTES. Same bytes either way.
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
  it('reads a text answer within DIRECT_TEXT_CELLS without a copy, and a larger one from a copy, byte for byte', async () => {
    const cols = 400;
    const t = new Terminal({ cols, rows: 10, scrollback: 5000, pool: new PagePool() });
    for (let i = 0; i < 3000; i++) t.write(`line ${i} ${'x'.repeat(i % 300)} 中 e\u0301\r\n`);
    t.compressColdPages({ all: true });
    const expected = t.snapshot(5000).lines.map((l) => l.text).join('\n') + '\n';
    const small = Math.floor(DIRECT_TEXT_CELLS / cols) - 10; // lines of scrollback within the direct budget
    let reserved = 0;
    let copies = 0;
    const reserve = (bytes: number) => { copies++; reserved += bytes; return () => { reserved -= bytes; }; };
    const direct = await body(snapshotStream(t, small, 'text', reserve));
    expect(copies).toBe(0);
    expect(direct).toBe(t.snapshot(small).lines.map((l) => l.text).join('\n') + '\n');
    let peak = 0;
    const copied = snapshotStream(t, 5000, 'text', (bytes) => { peak = bytes; return reserve(bytes); });
    expect(peak).toBeGreaterThan(0); // 3,010 lines × 400 columns: over the budget, from a copy
    expect(await body(copied)).toBe(expected);
    expect(copies).toBe(1);
    expect(reserved).toBe(0);
    t.dispose();
  });
});
