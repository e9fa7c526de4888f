/**
 * Terminal archive round trips (src/engine/archive/terminal-codec.ts): a terminal restored from
 * its bytes must read exactly like the original (text, JSON cells and styles, scrollback, wide
 * chars, graphemes, links, alternate screen, modes, title), its pages must come from and go back
 * to the pool (leak audit clean after restore, reads and dispose; oversized pages stay
 * oversized), and a truncated or altered blob must be refused with a clear error.
 */
import { describe, expect, it } from 'vitest';
import { archiveTerminal, auditPool, PagePool, restoreTerminal, Terminal, TerminalCodecError } from '../../../src/engine/index.js';

function expectClean(pool: PagePool): void {
  const a = auditPool(pool);
  expect(a.leakedBytes).toBe(0);
  expect(a.danglingBytes).toBe(0);
  expect(a.ledgerDriftBytes).toBe(0);
  expect(a.compressedReferencedBytes).toBe(a.compressedBytes);
}

/** Everything a reader can see: full JSON snapshot with all scrollback, and the text forms. */
function view(t: Terminal): unknown {
  const n = t.scrollbackLength;
  return { snap: t.snapshot(n), screen: t.screenLines(), scrollback: t.scrollbackLines(0, n), cursor: [t.cursor.x, t.cursor.y] };
}

function colourful(lines: number): string {
  let s = '\x1b]0;build log\x07';
  for (let i = 0; i < lines; i++) {
    s += `\x1b[38;5;${i % 256}m${i}\x1b[0m \x1b[1;4:3;48;2;${i & 255};20;90mstyled\x1b[0m 日本語 👨‍👩‍👧 e\u0301 `;
    if (i % 5 === 0) s += `\x1b]8;id=l${i % 3};https://example.com/${i}\x07link\x1b]8;;\x07`;
    s += '\r\n';
  }
  return s;
}

describe('terminal codec: round trip', () => {
  it('restores screen text, JSON cells with styles, scrollback, wide chars, graphemes and links', () => {
    const pool = new PagePool();
    const t = new Terminal({ cols: 60, rows: 10, scrollback: 500, pool, label: 'src' });
    t.write(colourful(300));
    t.write('\x1b[?2004h\x1b[?1006h\x1b[?1002h\x1b[3 q\x1b]4;1;rgb:11/22/33\x07tail \x1b[31mred');
    t.compressColdPages();
    const before = view(t);
    const bytes = archiveTerminal(t);
    // The source is unchanged by archiving.
    expect(view(t)).toEqual(before);

    const r = restoreTerminal(bytes, { pool, label: 'restored' });
    expect(view(r)).toEqual(before);
    expect(r.title).toBe('build log');
    expect(r.snapshot().modes).toEqual(t.snapshot().modes);
    expect(r.snapshot().cursor).toEqual(t.snapshot().cursor);
    expect(r.paletteOverrides.get(1)).toBe('rgb:1111/2222/3333'); // kept in xterm's answer form
    expect(r.bytesParsed).toBe(t.bytesParsed);
    // Links survive as links, wide chars as width 2.
    const rs = r.snapshot(r.scrollbackLength);
    const cells = rs.lines.flatMap((l) => l.cells);
    expect(cells.some((c) => c.link !== undefined && rs.links[c.link]!.startsWith('https://example.com/'))).toBe(true);
    expect(cells.some((c) => c.text === '日' && c.width === 2)).toBe(true);
    expect(cells.some((c) => c.text === '👨‍👩‍👧')).toBe(true);
    r.assertIntegrity();
    expectClean(pool);

    // Read-only: writes and resizes are refused, reads keep working.
    expect(() => r.write('x')).toThrow(/read-only/);
    expect(() => r.resize(30, 5)).toThrow(/read-only/);
    expect(r.screenLines()).toEqual((before as { screen: string[] }).screen);

    t.dispose();
    r.dispose();
    expectClean(pool);
    expect(pool.stats().lentStandardPages).toBe(0);
    expect(pool.stats().compressedPages).toBe(0);
  });

  it('restores the alternate screen and keeps the primary screen behind it', () => {
    const pool = new PagePool();
    const t = new Terminal({ cols: 20, rows: 4, pool });
    t.write('shell line 1\r\nshell line 2\r\n\x1b[?1049h\x1b[2;3Hin the editor\x1b[?25l');
    const r = restoreTerminal(archiveTerminal(t), { pool });
    expect(r.altActive).toBe(true);
    expect(r.screenLines()).toEqual(t.screenLines());
    expect(r.snapshot().modes.alternateScreen).toBe(true);
    expect(r.snapshot().cursor).toEqual({ row: 1, col: 15, visible: false, shape: 0 });
    expect(r.primary.list.pages.length).toBeGreaterThan(0);
    expect(r.scrollbackLines(0, 10)).toEqual(t.scrollbackLines(0, 10));
    r.assertIntegrity();
    t.dispose();
    r.dispose();
    expectClean(pool);
  });

  it('takes restored pages from the pool only when read, and oversized pages stay oversized', () => {
    const pool = new PagePool();
    const t = new Terminal({ cols: 40, rows: 5, scrollback: 2000, pool });
    // Hundreds of distinct styles on a page overflow the standard style table: oversized pages.
    let s = '';
    for (let i = 0; i < 600; i++) s += `\x1b[38;2;${i & 255};${(i >> 8) & 255};7m#${i}\x1b[0m${i % 6 === 5 ? '\r\n' : ' '}`;
    t.write(s + '\r\nend');
    const oversized = t.primary.list.pages.filter((p) => p.kind !== 'compressed' && p.kind === 'oversized').length;
    expect(oversized).toBeGreaterThan(0);
    const before = view(t);
    const bytes = archiveTerminal(t);
    t.dispose();
    expectClean(pool);
    expect(pool.stats().oversizedPages).toBe(0);

    const r = restoreTerminal(bytes, { pool });
    // Nothing inflated yet: all rows are held as compressed records.
    expect(pool.stats().compressedPages).toBe(r.primary.list.pages.length);
    expect(view(r)).toEqual(before);
    expect(pool.stats().oversizedPages + r.primary.list.compressedCount()).toBeGreaterThanOrEqual(oversized);
    let restoredOversized = 0;
    r.primary.list.forEachPage((p) => { if (p.kind === 'oversized') restoredOversized++; });
    r.primary.list.forEachCompressed((c) => { if (c.pageKind === 'oversized') restoredOversized++; });
    expect(restoredOversized).toBe(oversized);
    expectClean(pool);
    r.dispose();
    expectClean(pool);
    expect(pool.stats().oversizedPages).toBe(0);
    expect(pool.stats().compressedPages).toBe(0);
    expect(pool.stats().lentStandardPages).toBe(0);
  });
});

describe('terminal codec: damaged blobs', () => {
  const pool = new PagePool();
  const t = new Terminal({ cols: 30, rows: 5, scrollback: 100, pool });
  t.write(colourful(40));
  const bytes = archiveTerminal(t);
  t.dispose();

  it('refuses a truncated blob, at any length', () => {
    for (const n of [0, 3, 15, 16, 40, bytes.length >> 1, bytes.length - 1]) {
      expect(() => restoreTerminal(bytes.subarray(0, n), { pool }), `length ${n}`).toThrow(TerminalCodecError);
    }
    expect(() => restoreTerminal(bytes.subarray(0, bytes.length - 1), { pool })).toThrow(/truncated/);
    expectClean(pool);
    expect(pool.stats().owners).toBe(0);
  });

  it('refuses a blob with a flipped bit anywhere', () => {
    for (let i = 0; i < bytes.length; i += Math.max(1, Math.floor(bytes.length / 97))) {
      const bad = bytes.slice();
      bad[i] ^= 1 << (i % 8);
      expect(() => restoreTerminal(bad, { pool }), `bit flipped at byte ${i}`).toThrow(TerminalCodecError);
    }
    const bad = bytes.slice();
    bad[bad.length - 3] ^= 0x10;
    expect(() => restoreTerminal(bad, { pool })).toThrow(/checksum mismatch/);
    expectClean(pool);
    expect(pool.stats().owners).toBe(0);
  });

  it('refuses another version and trailing bytes', () => {
    const v2 = bytes.slice();
    v2[4] = 2;
    expect(() => restoreTerminal(v2, { pool })).toThrow(/version 2/);
    const padded = new Uint8Array(bytes.length + 4);
    padded.set(bytes);
    expect(() => restoreTerminal(padded, { pool })).toThrow(/padded/);
  });
});
