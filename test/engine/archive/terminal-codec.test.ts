/**
 * Terminal archive round trips (src/engine/archive/terminal-codec.ts): a terminal restored from
 * its bytes must read exactly like the original (text, JSON cells and styles, scrollback, wide
 * chars, graphemes, links, alternate screen, modes, title), its pages must come from and go back
 * to the pool (leak audit clean after restore, reads and dispose; standard, large and
 * oversized pages each stay of their kind), and a truncated or altered blob must be refused
 * with a clear error.
 */
import { crc32 } from 'node:zlib';
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

  it('takes restored pages from the pool only when read, and pages of every class stay in their class', () => {
    const pool = new PagePool();
    const t = new Terminal({ cols: 40, rows: 5, scrollback: 3000, pool });
    // Hundreds of distinct styles on a page overflow the standard style table: large pages.
    let s = '';
    for (let i = 0; i < 600; i++) s += `\x1b[38;2;${i & 255};${(i >> 8) & 255};7m#${i}\x1b[0m${i % 6 === 5 ? '\r\n' : ' '}`;
    // Plain lines until the large page is full (657 rows of 40 columns) and the next starts.
    for (let i = 0; i < 1200; i++) s += `line ${i}\r\n`;
    // 5,000 distinct styles in 125 rows overflow the large class too: oversized pages.
    for (let i = 0; i < 5000; i++) s += `\x1b[38;2;${i & 255};${(i >> 8) & 255};9mx${i % 40 === 39 ? '\x1b[0m\r\n' : ''}`;
    for (let i = 0; i < 1500; i++) s += `plain ${i}\r\n`;
    t.write(s + '\x1b[0mend');
    const kinds = (ks: string[]) => Object.fromEntries(['standard', 'large', 'oversized'].map((k) => [k, ks.filter((x) => x === k).length]));
    const before = kinds(t.primary.list.pages.map((p) => (p.kind === 'compressed' ? p.pageKind : p.kind)));
    expect(before['standard']).toBeGreaterThan(0);
    expect(before['large']).toBeGreaterThan(0);
    expect(before['oversized']).toBeGreaterThan(0);
    const text = view(t);
    const bytes = archiveTerminal(t);
    t.dispose();
    expectClean(pool);
    expect(pool.stats().oversizedPages).toBe(0);

    const r = restoreTerminal(bytes, { pool });
    // Nothing inflated yet: all rows are held as compressed records, of the kinds recorded.
    expect(pool.stats().compressedPages).toBe(r.primary.list.pages.length);
    const recorded: string[] = [];
    r.primary.list.forEachCompressed((c) => recorded.push(c.pageKind));
    expect(kinds(recorded)).toEqual(before);
    // Reading everything restores each page from its own class.
    const large = pool.stats().largeCreated + pool.stats().largeRecycled;
    expect(view(r)).toEqual(text);
    expect(pool.stats().largeCreated + pool.stats().largeRecycled - large).toBeGreaterThanOrEqual(before['large']!);
    const after: string[] = [];
    r.primary.list.forEachPage((p) => after.push(p.kind));
    r.primary.list.forEachCompressed((c) => after.push(c.pageKind));
    expect(kinds(after)).toEqual(before);
    expectClean(pool);
    r.dispose();
    expectClean(pool);
    expect(auditPool(pool).misfiledBytes).toBe(0);
    expect(pool.stats().oversizedPages).toBe(0);
    expect(pool.stats().compressedPages).toBe(0);
    expect(pool.stats().lentStandardPages).toBe(0);
    expect(pool.stats().lentLargePages).toBe(0);
  });

  it('refuses a large page whose capacity is not the large class', () => {
    const pool = new PagePool();
    const t = new Terminal({ cols: 40, rows: 5, scrollback: 100, pool });
    let s = '';
    for (let i = 0; i < 300; i++) s += `\x1b[38;2;${i & 255};1;7mx`;
    t.write(s + '\x1b[0m');
    expect(t.primary.list.pages[0]!.kind).toBe('large');
    const good = archiveTerminal(t);
    t.dispose();
    // Rewrite the meta's large page to claim more rows than the class has (same JSON length).
    const buf = Buffer.from(good);
    const jsonLen = buf.readUInt32LE(16);
    const meta = buf.subarray(20, 20 + jsonLen).toString('utf8');
    const m = /"kind":"large","cap":\[(\d+),/.exec(meta);
    expect(m).not.toBeNull();
    const rows = m![1]!;
    const fewer = String(Number(rows) - 1).padStart(rows.length, ' '); // a JSON space keeps the length
    const forged = meta.replace(`"kind":"large","cap":[${rows},`, `"kind":"large","cap":[${fewer},`);
    buf.write(forged, 20, 'utf8');
    buf.writeUInt32LE(crc32(buf.subarray(16)), 12);
    expect(() => restoreTerminal(new Uint8Array(buf), { pool })).toThrow(/large page with a capacity not of the large class/);
    expectClean(pool);
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
