/**
 * The small page class (issue 27, service memory): the quiet sweep moves a screen's rows onto
 * one 32 KiB small page (PageList.compactScreen) so a quiet terminal does not keep the 128 KiB
 * standard page its screen sat in; the rows above go compressed with the rest of the history.
 * Everything reads as before, small pages are recycled only as small pages (the class is the
 * page's type, the leak audit checks every free list), and a free list follows its class's
 * demand (PagePool freeShare).
 */
import { describe, expect, it } from 'vitest';
import { archiveTerminal, auditPool, PagePool, restoreTerminal, Terminal } from '../../../src/engine/index.js';
import { SMALL_PAGE_BYTES, smallCapacity, STANDARD_PAGE_BYTES, standardCapacity } from '../../../src/engine/page/capacity.js';
import type { Page, SmallPage, StandardPage } from '../../../src/engine/page/page.js';
import { FREE_FLOOR, type PageOwner } from '../../../src/engine/pool/page-pool.js';
import { styledCorpus } from '../../../bench/corpora.js';

const owner: PageOwner = { label: 'test', forEachPage() {}, forEachCompressed() {} };

/** Nothing lost, nothing stranded, every free page on its own class's list. */
function expectClean(pool: PagePool): void {
  const a = auditPool(pool);
  expect(a.leakedBytes).toBe(0);
  expect(a.strandedBytes).toBe(0);
  expect(a.danglingBytes).toBe(0);
  expect(a.ledgerDriftBytes).toBe(0);
  expect(a.misfiledBytes).toBe(0);
}

const kinds = (t: Terminal): string[] => t.primary.list.pages.map((p) => (p.kind === 'compressed' ? `z:${p.pageKind}` : p.kind));

/** Log lines, then a screen with colours, a wide char, an emoji grapheme, a link and a double-width line. */
function session(lines: number, from = 0): string {
  let s = '';
  for (let i = from; i < from + lines; i++) s += `${i} INFO [worker-${i % 8}] GET /api/v1/items/${(i * 7919) % 10007} 200 ${(i * 31) % 997}ms\r\n`;
  return s + '\x1b[1;31mred bold\x1b[0m \x1b[48;5;22m bg \x1b[0m 漢字 👩‍💻 \x1b]8;;https://example.com/x\x07link\x1b]8;;\x07\r\n' +
    '\x1b#6wide line\r\n\x1b[44m\x1b[Kfilled\x1b[0m\r\nprompt$ ';
}

/** Everything a reader sees: the snapshot with its cells and the whole history as text. */
function view(t: Terminal): string {
  return JSON.stringify({ snap: t.snapshot(100), history: t.scrollbackLines(0, t.scrollbackLength), cursor: t.cursor });
}

describe('small page class: the quiet screen', () => {
  it('a 80x24 screen fits a small page; 377-row standard pages stay as they are', () => {
    expect(smallCapacity(80)!.rows).toBe(85);
    expect(standardCapacity(80)!.rows).toBe(377);
    expect(smallCapacity(200)!.rows).toBeGreaterThanOrEqual(34);
    expect(SMALL_PAGE_BYTES * 4).toBe(STANDARD_PAGE_BYTES);
  });

  it('the sweep moves the screen onto a small page; screen, history and later output read as without it', () => {
    const pool = new PagePool();
    const ref = new PagePool({ compressIdlePages: 0 });
    const t = new Terminal({ cols: 80, rows: 24, scrollback: 5000, pool, label: 'swept' });
    const r = new Terminal({ cols: 80, rows: 24, scrollback: 5000, pool: ref, label: 'reference' });
    const input = session(3000);
    t.write(input);
    r.write(input);
    t.compressColdPages({ all: true });
    // (Checked before reading: a history read restores the pages it reads.)
    const st = pool.stats();
    expect(st.lentStandardPages).toBe(0);
    expect(st.lentSmallPages).toBe(1);
    expect(kinds(t).at(-1)).toBe('small');
    expect(kinds(t).slice(0, -1).every((k) => k.startsWith('z:'))).toBe(true);
    // A quiet terminal's hot memory is one small page.
    expect(st.bytesLent).toBe(SMALL_PAGE_BYTES);
    expectClean(pool);
    expect(view(t)).toBe(view(r));
    t.assertIntegrity();
    // Output continues on the small page, then on standard pages; the next sweep compacts again.
    for (const more of [session(10, 3000), session(500, 3010)]) {
      t.write(more);
      r.write(more);
      expect(view(t)).toBe(view(r));
      t.assertIntegrity();
      t.compressColdPages({ all: true });
      expect(pool.stats().lentStandardPages).toBe(0);
      expectClean(pool);
      expect(view(t)).toBe(view(r));
    }
    // A small page above the screen was compressed as a small page and restores as one.
    t.compressColdPages({ all: true });
    expect(kinds(t)).toContain('z:small');
    expect(t.scrollbackLines(0, t.scrollbackLength)).toEqual(r.scrollbackLines(0, r.scrollbackLength));
    expect(kinds(t)).toContain('small');
    expectClean(pool);
    t.dispose();
    r.dispose();
    expectClean(pool);
    expect(pool.stats().bytesLent).toBe(0);
  });

  it('a short session: its only page (the screen and a few lines) becomes a small page', () => {
    const pool = new PagePool();
    const t = new Terminal({ cols: 80, rows: 24, scrollback: 1000, pool });
    t.write(session(40));
    const before = view(t);
    t.compressColdPages({ all: true });
    expect(kinds(t)).toEqual(['z:standard', 'small']);
    expect(pool.stats().lentStandardPages).toBe(0);
    expect(view(t)).toBe(before);
    // Only the screen: nothing above it is left, the standard page goes back.
    const u = new Terminal({ cols: 80, rows: 24, scrollback: 1000, pool });
    u.write('$ ');
    u.compressColdPages({ all: true });
    expect(kinds(u)).toEqual(['small']);
    expect(u.screenLines()[0]).toBe('$');
    expectClean(pool);
    t.dispose();
    u.dispose();
    expectClean(pool);
  });

  it('the alt screen is compacted too, and switching back reads the primary as before', () => {
    const pool = new PagePool();
    const t = new Terminal({ cols: 80, rows: 24, scrollback: 1000, pool });
    t.write(session(100));
    t.write('\x1b[?1049h\x1b[H\x1b[2J\x1b[7mtop bar\x1b[0m\r\nbody');
    const alt = view(t);
    t.compressColdPages({ all: true });
    expect(t.alt!.list.pages.map((p) => p.kind)).toEqual(['small']);
    expect(pool.stats().lentStandardPages).toBe(0);
    expect(view(t)).toBe(alt);
    t.write('\x1b[?1049l');
    expect(t.screenLines().at(-1)).toBe('prompt$');
    expectClean(pool);
    t.dispose();
    expectClean(pool);
  });

  it('nothing changes when the screen does not fit a small page (too tall, or more styles than it holds)', () => {
    const pool = new PagePool();
    const tall = new Terminal({ cols: 200, rows: 60, scrollback: 1000, pool });
    tall.write(session(500));
    const tallView = view(tall);
    tall.compressColdPages({ all: true });
    expect(view(tall)).toBe(tallView);
    expect(kinds(tall).at(-1)).toBe('standard');
    // A style per word: the screen's rows hold more styles than a small page's 128.
    const styled = new Terminal({ cols: 80, rows: 24, scrollback: 1000, pool });
    styled.write(styledCorpus(64 * 1024));
    const styledView = view(styled);
    const smallBefore = pool.stats().smallCreated;
    styled.compressColdPages({ all: true });
    expect(view(styled)).toBe(styledView);
    expect(kinds(styled).at(-1)).toBe('large');
    // The small page it tried was given back, to the small list.
    expect(pool.stats().smallCreated).toBe(smallBefore + 1);
    expect(pool.stats().lentSmallPages).toBe(0);
    expect(pool.stats().freeSmallPages).toBe(1);
    expectClean(pool);
    tall.dispose();
    styled.dispose();
    expectClean(pool);
  });

  it('a program that floods styles onto a compacted screen: the small page grows into the large class, nothing lost', () => {
    const pool = new PagePool();
    const ref = new PagePool({ compressIdlePages: 0 });
    const t = new Terminal({ cols: 80, rows: 24, scrollback: 1000, pool });
    const r = new Terminal({ cols: 80, rows: 24, scrollback: 1000, pool: ref });
    for (const x of [t, r]) x.write(session(300));
    t.compressColdPages({ all: true });
    expect(kinds(t).at(-1)).toBe('small');
    // Repaint the screen in place, a new RGB colour per word (~10 a row): far past the small
    // page's 128 styles, and no scroll, so every write lands on the small page.
    let paint = '';
    for (let y = 1; y <= 24; y++) {
      paint += `\x1b[${y};1H`;
      for (let w = 0; w < 10; w++) paint += `\x1b[38;2;${y * 10};${w * 20};${(y * w) % 256}mword${w}\x1b[0m `;
    }
    for (const x of [t, r]) x.write(paint);
    expect(view(t)).toBe(view(r));
    expect(kinds(t).at(-1)).toBe('large');
    expect(pool.stats().lentSmallPages).toBe(0);
    expect(pool.stats().oversizedPages).toBe(0);
    t.assertIntegrity();
    expectClean(pool);
    t.dispose();
    r.dispose();
    expectClean(pool);
    expect(pool.stats().bytesLent).toBe(0);
  });

  it('archives a terminal whose screen is on a small page; it restores as it was', () => {
    const pool = new PagePool();
    const t = new Terminal({ cols: 80, rows: 24, scrollback: 5000, pool });
    t.write(session(1000));
    t.compressColdPages({ all: true });
    expect(kinds(t).at(-1)).toBe('small');
    const copy = restoreTerminal(archiveTerminal(t), { pool });
    expect(view(copy)).toBe(view(t));
    const last = copy.primary.list.pages.at(-1)!;
    expect(last.kind === 'compressed' ? last.pageKind : last.kind).toBe('small');
    copy.dispose();
    t.dispose();
    expectClean(pool);
  });
});

describe('small page class: recycled only within itself', () => {
  it('released small pages go to the small list and come back as small pages', () => {
    const pool = new PagePool();
    const terms = Array.from({ length: 6 }, (_, i) => new Terminal({ cols: 80, rows: 24, scrollback: 1000, pool, label: `t${i}` }));
    for (const t of terms) { t.write(session(400)); t.compressColdPages({ all: true }); }
    expect(pool.stats().lentSmallPages).toBe(6);
    for (const t of terms) t.dispose();
    const st = pool.stats();
    expect(st.freeSmallPages).toBe(6);
    expectClean(pool);
    const again = new Terminal({ cols: 80, rows: 24, scrollback: 1000, pool });
    again.write(session(10));
    again.compressColdPages({ all: true });
    expect(pool.stats().smallRecycled).toBe(1);
    const p = again.primary.list.pages.at(-1) as Page;
    expect(p.kind).toBe('small');
    expect(p.buffer.byteLength).toBe(SMALL_PAGE_BYTES);
    expect(p.capacity).toEqual(smallCapacity(80));
    again.dispose();
    expectClean(pool);
  });

  it('the audit reports a small page on the standard free list as misfiled', () => {
    const pool = new PagePool();
    const small = pool.acquireSmall(80, owner);
    // The deliberately wrong release, possible only through a cast.
    const internals = pool as unknown as { free: StandardPage[]; lent: Map<Page, unknown>; lentSmall: number };
    internals.lent.delete(small);
    internals.lentSmall--;
    internals.free.push(small as unknown as StandardPage);
    const a = auditPool(pool);
    expect(a.misfiledBytes).toBe(SMALL_PAGE_BYTES);
    expect(a.ledgerDriftBytes).not.toBe(0);
  });

  it('a small page cannot be put on another class list without a cast', () => {
    const pool = new PagePool();
    const s: SmallPage = pool.acquireSmall(80, owner);
    const freeStandard: StandardPage[] = [];
    // @ts-expect-error a SmallPage is not a StandardPage
    freeStandard.push(s);
    expect(s.kind).toBe('small');
  });
});

describe('free lists follow their class demand', () => {
  it('keeps at most a quarter of the pages lent (at least the floor), dropping the rest on release', () => {
    const pool = new PagePool({ maxFreePages: 256 });
    const pages = Array.from({ length: 200 }, () => pool.acquireStandard(80, owner));
    // 100 given back while 100 stay lent: at most 25 .. 34 kept, whatever came back first.
    for (const p of pages.splice(0, 100)) pool.release(p);
    expect(pool.stats().freeStandardPages).toBe(Math.ceil(100 / 4));
    // Demand falls to nothing: the list shrinks to the floor at the next releases.
    for (const p of pages.splice(0)) pool.release(p);
    const st = pool.stats();
    expect(st.freeStandardPages).toBe(FREE_FLOOR);
    expect(st.standardDropped).toBe(200 - FREE_FLOOR);
    expect(st.bytesFree).toBe(FREE_FLOOR * STANDARD_PAGE_BYTES);
    expectClean(pool);
    // freeShare: Infinity leaves only maxFreePages.
    const open = new PagePool({ maxFreePages: 64, freeShare: Infinity });
    for (const p of Array.from({ length: 100 }, () => open.acquireStandard(80, owner))) open.release(p);
    expect(open.stats().freeStandardPages).toBe(64);
  });

  it('300 quiet terminals keep a floor of free pages, not maxFreePages', () => {
    const pool = new PagePool();
    const terms = Array.from({ length: 300 }, (_, i) => new Terminal({ cols: 80, rows: 24, scrollback: 3000, pool, label: `q${i}` }));
    const input = session(1200);
    for (const t of terms) t.write(input);
    for (const t of terms) t.compressColdPages({ all: true });
    const st = pool.stats();
    expect(st.lentStandardPages).toBe(0);
    expect(st.lentSmallPages).toBe(300);
    expect(st.freeStandardPages).toBeLessThanOrEqual(FREE_FLOOR);
    expect(st.bytesLent + st.bytesFree).toBeLessThanOrEqual(300 * SMALL_PAGE_BYTES + FREE_FLOOR * STANDARD_PAGE_BYTES);
    for (const t of terms) t.dispose();
    expectClean(pool);
  });
});

describe('released pages are not kept alive by the list', () => {
  it('after the sweep and after reads, the list pins no page the pool has taken back', () => {
    const pool = new PagePool();
    const t = new Terminal({ cols: 80, rows: 24, scrollback: 5000, pool });
    const list = t.primary.list;
    const pinnedIsLent = (): boolean => list.pinPage === undefined || pool.lentPages().has(list.pinPage);
    t.write(session(3000));
    t.compressColdPages({ all: true });
    // The pin was last on a page the sweep emptied or compressed: a bounded free list drops
    // such pages, and a stale pin would keep their buffers resident (one per quiet terminal).
    expect(pinnedIsLent()).toBe(true);
    t.scrollbackLines(0, 500);
    t.compressColdPages({ all: true });
    expect(pinnedIsLent()).toBe(true);
    t.dispose();
    expect(list.pinPage).toBeUndefined();
  });
});
