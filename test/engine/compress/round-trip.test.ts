/**
 * Cold-page compression round trips: a terminal with compression on must be indistinguishable
 * (cells, styles, graphemes, links, wrap flags, cursor) from the same terminal with it off, at
 * every point: while pages sit compressed, after reads restore them, across resize/reflow and
 * after more output recompresses them. Every step also checks cell-level integrity (exact
 * style/link refcounts) and the leak audit.
 */
import { describe, expect, it } from 'vitest';
import { auditPool, PagePool, Terminal } from '../../../src/engine/index.js';
import { rng } from '../../../bench/corpora.js';

const WORDS = ['alpha', 'beta', '日本語', '中文字', '👍', '👨‍👩‍👧', 'e\u0301', 'na\u0308ive', '🇫🇷', 'x', 'status=200'];

/** Varied scrollback: plain, dense RGB, 256-colour, CJK/emoji/ZWJ/combining, OSC 8 links, long wrapped lines. */
function mixed(lines: number, seed: number, cols = 80): string {
  const r = rng(seed);
  let s = '';
  for (let i = 0; i < lines; i++) {
    const kind = i % 7;
    if (kind === 0) s += `plain line ${i} ${'-'.repeat(Math.floor(r() * 40))}`;
    else if (kind === 1) {
      for (let w = 0; w < 8; w++) s += `\x1b[38;2;${Math.floor(r() * 256)};${Math.floor(r() * 256)};${i & 255};48;2;${w * 30};0;${Math.floor(r() * 256)}m${WORDS[Math.floor(r() * WORDS.length)]} `;
      s += '\x1b[0m';
    } else if (kind === 2) {
      for (let w = 0; w < 10; w++) s += `\x1b[${r() < 0.3 ? '1;' : ''}${r() < 0.3 ? '4:3;' : ''}38;5;${Math.floor(r() * 256)}m${WORDS[Math.floor(r() * WORDS.length)]}`;
      s += '\x1b[0m';
    } else if (kind === 3) {
      s += `\x1b]8;id=k${i % 5};https://example.com/${i % 9}\x07link ${i}\x1b]8;;\x07 and \x1b]8;;file:///tmp/${i}\x1b\\file\x1b]8;;\x1b\\ done`;
    } else if (kind === 4) {
      // Longer than the screen is wide: soft-wraps (and reflows on resize).
      const n = cols + Math.floor(r() * cols * 2);
      for (let k = 0; k < n; k++) s += WORDS[Math.floor(r() * WORDS.length)][0];
    } else if (kind === 5) {
      for (let w = 0; w < 12; w++) s += WORDS[Math.floor(r() * WORDS.length)];
    } else {
      s += `\x1b[7m${i}\x1b[27m \x1b[9;3mstrike italic\x1b[0m \x1b[48;5;${i % 256}m   \x1b[0m`;
    }
    s += '\r\n';
  }
  return s;
}

interface Pair { on: Terminal; off: Terminal; poolOn: PagePool; poolOff: PagePool }

function pair(cols: number, rows: number, scrollback: number): Pair {
  const poolOn = new PagePool({ compressIdlePages: 2 });
  const poolOff = new PagePool({ compressIdlePages: 0 });
  return {
    poolOn, poolOff,
    on: new Terminal({ cols, rows, scrollback, pool: poolOn }),
    off: new Terminal({ cols, rows, scrollback, pool: poolOff }),
  };
}

/**
 * Feed both terminals; the compressing one gets a cold-page sweep after every 4 KiB, as the
 * service gives a session whenever its output pauses (compression is never on the write path).
 */
function write(p: Pair, data: string): void {
  // Byte chunks: the parser carries a UTF-8 sequence split across writes.
  const bytes = Buffer.from(data);
  for (let i = 0; i < bytes.length; i += 4096) {
    p.on.write(bytes.subarray(i, i + 4096));
    p.on.compressColdPages();
  }
  p.off.write(data);
}

function expectClean(pool: PagePool): void {
  const a = auditPool(pool);
  expect(a.leakedBytes).toBe(0);
  expect(a.strandedBytes).toBe(0);
  expect(a.danglingBytes).toBe(0);
  expect(a.ledgerDriftBytes).toBe(0);
  expect(a.compressedReferencedBytes).toBe(a.compressedBytes);
}

function compressedNodes(t: Terminal): number {
  return t.primary.list.pages.filter((n) => n.kind === 'compressed').length;
}

/** Full snapshot of every scrollback line plus the screen, and the plain-text scrollback. */
function expectSame(p: Pair): void {
  expect(p.on.scrollbackLength).toBe(p.off.scrollbackLength);
  const n = p.off.scrollbackLength;
  expect(p.on.snapshot(n)).toEqual(p.off.snapshot(n));
  expect(p.on.scrollbackLines(0, n)).toEqual(p.off.scrollbackLines(0, n));
  p.on.assertIntegrity();
  expectClean(p.poolOn);
}

// Whole-scrollback JSON snapshots of two terminals per step: slow on a loaded machine.
describe('compress: round trip', { timeout: 120_000 }, () => {
  it('loses no cell, style, grapheme, link or wrap flag', () => {
    const p = pair(80, 24, 3000);
    write(p, mixed(2300, 1));
    // Cold pages are compressed and their buffers are back in the pool.
    expect(compressedNodes(p.on)).toBeGreaterThan(3);
    const s = p.poolOn.stats();
    expect(s.compressedPages).toBe(compressedNodes(p.on));
    expect(s.compressedBytes).toBeGreaterThan(0);
    expect(s.bytesLent).toBeLessThan(p.poolOff.stats().bytesLent);
    p.on.assertIntegrity();
    expectClean(p.poolOn);

    expectSame(p); // reads restore every page
    expect(p.poolOn.stats().compressedRestored).toBeGreaterThan(0);
    // Reading through history keeps only the last few restored pages uncompressed.
    expect(compressedNodes(p.on)).toBeGreaterThan(3);

    // More output recompresses and prunes; still identical.
    write(p, mixed(2500, 2));
    expectSame(p);
    p.on.dispose();
    p.off.dispose();
    expect(p.poolOn.stats().compressedPages).toBe(0);
    expect(p.poolOn.stats().compressedBytes).toBe(0);
    expect(p.poolOn.stats().bytesLent).toBe(0);
    expectClean(p.poolOn);
  });

  it('survives resize and reflow (narrower, wider, taller into cold history, shorter)', () => {
    const p = pair(80, 24, 2000);
    write(p, mixed(1600, 3));
    expect(compressedNodes(p.on)).toBeGreaterThan(2);
    for (const [cols, rows] of [[57, 24], [131, 300], [40, 10], [80, 24]] as const) {
      p.on.resize(cols, rows);
      p.off.resize(cols, rows);
      expect(p.on.cursor).toEqual(p.off.cursor);
      expectSame(p);
      write(p, mixed(250, cols * rows));
    }
    expectSame(p);
    p.on.dispose();
    p.off.dispose();
    expectClean(p.poolOn);
    expect(p.poolOn.stats().compressedPages).toBe(0);
  });

  it('restores the screen growing into compressed history (pinActive path)', () => {
    const p = pair(80, 5, 3000);
    write(p, mixed(2000, 4));
    expect(compressedNodes(p.on)).toBeGreaterThan(2);
    const before = p.poolOn.stats().compressedRestored;
    // The active area grows upward over compressed pages; the screen itself is read first.
    p.on.resize(80, 1500);
    p.off.resize(80, 1500);
    expect(p.on.screenLines()).toEqual(p.off.screenLines());
    expect(p.poolOn.stats().compressedRestored).toBeGreaterThan(before);
    expectSame(p);
    write(p, mixed(300, 5));
    expectSame(p);
  });

  it('compresses oversized pages (many styles, wide terminal) and restores them as oversized', () => {
    // 2000 columns do not fit 16 rows in a standard page: every page is oversized.
    const wide = pair(2000, 4, 400);
    write(wide, mixed(150, 6, 2000));
    expect(compressedNodes(wide.on)).toBeGreaterThan(0);
    expect(wide.on.primary.list.pages.every((n) => n.kind === 'compressed' ? n.pageKind === 'oversized' : n.kind === 'oversized')).toBe(true);
    expectSame(wide);

    // 80 columns, more distinct RGB styles than a standard page holds: pages grow oversized.
    const styled = pair(80, 24, 3000);
    let s = '';
    for (let l = 0; l < 1200; l++) {
      for (let x = 0; x < 40; x++) s += `\x1b[38;2;${(l * 40 + x) & 255};${((l * 40 + x) >> 8) & 255};3mx`;
      s += '\x1b[0m\r\n';
    }
    write(styled, s);
    const kinds = styled.on.primary.list.pages.map((n) => n.kind === 'compressed' ? `c-${n.pageKind}` : n.kind);
    expect(kinds).toContain('c-oversized');
    expectSame(styled);
    for (const t of [wide.on, wide.off, styled.on, styled.off]) t.dispose();
    for (const pool of [wide.poolOn, styled.poolOn]) {
      expectClean(pool);
      // Oversized pages were freed, never recycled: every one made was freed again.
      expect(pool.stats().oversizedFreed).toBe(pool.stats().oversizedCreated);
      expect(pool.stats().compressedPages).toBe(0);
    }
  });

  it('prunes compressed pages at the scrollback limit and clears them with ED 3', () => {
    const p = pair(80, 24, 1000);
    write(p, mixed(5000, 7));
    expect(p.poolOn.stats().compressedDropped).toBeGreaterThan(0);
    expectSame(p);
    write(p, mixed(2000, 8));
    write(p, '\x1b[3J');
    expect(p.on.scrollbackLength).toBe(0);
    expectSame(p);
    write(p, mixed(1500, 9));
    expectSame(p);
  });

  it('is deterministic: the idle rule counts pages appended, not time', () => {
    const pool = new PagePool({ compressIdlePages: 2 });
    const t = new Terminal({ cols: 80, rows: 24, scrollback: 10_000, pool });
    const rowsPerPage = t.primary.list.pages[0].capacity.rows;
    // Pages 0 and 1 full, page 2 just started: page 0 is two ticks old, page 1 one tick.
    let i = 0;
    while (t.primary.list.pages.length < 3) t.write(`${i++}\r\n`);
    // Writing never compresses; the owner's sweep does.
    expect(t.primary.list.pages.map((n) => n.kind === 'compressed')).toEqual([false, false, false]);
    expect(t.compressColdPages()).toBe(1);
    expect(t.primary.list.pages.map((n) => n.kind === 'compressed')).toEqual([true, false, false]);
    // A text read leaves it compressed (format/history-text.ts reads the compressed streams)...
    expect(t.scrollbackLines(0, 1)).toEqual(['0']);
    expect(t.primary.list.pages.map((n) => n.kind)).toEqual(['compressed', 'standard', 'standard']);
    // ...a cell read restores page 0 (page 1 is two ticks old too, but still holds active rows)...
    expect(t.snapshot(10_000).lines[0]!.text).toBe('0');
    expect(t.primary.list.pages.map((n) => n.kind)).toEqual(['standard', 'standard', 'standard']);
    // ...and two more pages appended make page 0 cold again.
    for (let i = 0; i < rowsPerPage * 2; i++) t.write(`more ${i}\r\n`);
    t.compressColdPages();
    expect(t.primary.list.pages.slice(0, 3).map((n) => n.kind)).toEqual(['compressed', 'compressed', 'compressed']);
    t.assertIntegrity();
    t.dispose();
    expectClean(pool);
  });

  it('rejects an idle rule of 1 page (a held pin could be compressed under its caller)', () => {
    expect(() => new PagePool({ compressIdlePages: 1 })).toThrow(/at least 2/);
  });
});
