/**
 * JSON lines written as bytes (format/lines-json-text.ts) from live and compressed pages alike:
 * compressed pages are decoded into flat arrays (page/decoded-page.ts), never restored. The bytes
 * must be exactly JSON.stringify of the line objects snapshot() builds (the reference, which
 * restores every page), for styles, links, graphemes, wide characters, quotes and escapes.
 */
import { describe, expect, it } from 'vitest';
import { PagePool, SnapshotReader, Terminal } from '../../../src/engine/index.js';
import { rng } from '../../../bench/corpora.js';

const PIECES = [
  'alpha', 'beta ', '"q"', 'back\\slash', '日本語', '中', '👍', '👨‍👩‍👧', 'e\u0301', '🇫🇷', '𝄞', 'é', 'ß', 'λ', '   ', '\t', 'x',
  '\x1b[31mred\x1b[0m', '\x1b[1;38;2;1;2;3mrgb\x1b[0m', '\x1b[4:3;58;5;9mcurly\x1b[0m', '\x1b[7m inv \x1b[27m',
  '\x1b]8;;https://x.test/a"b\x07link\x1b]8;;\x07', '\x1b]8;id=k;https://y.test/\x07y\x1b]8;;\x07', '\x1b[3C', '\x1b[44m  \x1b[49m',
];

function mixed(lines: number, seed: number): string {
  const r = rng(seed);
  let s = '';
  for (let i = 0; i < lines; i++) {
    const n = Math.floor(r() * 9);
    for (let k = 0; k < n; k++) s += PIECES[Math.floor(r() * PIECES.length)];
    if (r() < 0.05) s += '\x1b#6';
    if (r() < 0.03) s += 'w'.repeat(19) + '中';
    s += '\r\n';
  }
  return s;
}

describe('JSON lines as bytes', () => {
  it('are JSON.stringify of the line objects, read from compressed pages without restoring them', () => {
    const t = new Terminal({ cols: 20, rows: 5, scrollback: 3000, pool: new PagePool() });
    t.write(mixed(3500, 11));
    const list = t.primary.list;
    t.compressColdPages({ all: true });
    const compressed = list.compressedCount();
    expect(compressed).toBeGreaterThanOrEqual(2);
    const reader = new SnapshotReader(t, 3000);
    while (!reader.scan(333));
    // Whole, and in windows across page edges (each window after the first is ','-joined).
    const whole = reader.linesJsonText(0, reader.lineCount);
    const windows: string[] = [];
    for (let a = 0; a < reader.lineCount; a += 97) windows.push(reader.linesJsonBytes(a, a + 97).toString('utf8'));
    const styles = JSON.stringify(reader.styles);
    const links = JSON.stringify(reader.links);
    expect(list.compressedCount()).toBe(compressed); // nothing restored
    const snap = t.snapshot(3000); // the reference: restores every page
    expect(list.compressedCount()).toBeLessThan(compressed);
    expect(snap.links.length).toBeGreaterThanOrEqual(2);
    expect(snap.lines.some((l) => l.size === 'double-width')).toBe(true);
    expect(snap.lines.some((l) => l.cells.some((c) => c.text === 'e\u0301'))).toBe(true);
    expect(styles).toBe(JSON.stringify(snap.styles));
    expect(links).toBe(JSON.stringify(snap.links));
    const expected = snap.lines.map((l) => JSON.stringify(l)).join(',');
    expect(whole).toBe(expected);
    expect(windows.join(',')).toBe(expected);
    t.dispose();
  });
});
