/**
 * The session archive's memory bound (src/archive/session-archive.ts): many archived sessions
 * are an index of descriptions, not screens. Reading them all restores each one from the store
 * into the pool, but at most RESTORED_CACHE terminals hold pages at any time, and closing the
 * archive gives every page back (leak audit clean). And its health: a damaged archive moved aside
 * stays named among the problems however many failures come after.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { RECENT_PROBLEMS, RESTORED_CACHE, SessionArchive } from '../../src/archive/session-archive.js';
import { ArchiveStore } from '../../src/archive/store.js';
import { loadConfig } from '../../src/config.js';
import { archiveTerminal, auditPool, PagePool, Terminal } from '../../src/engine/index.js';

const dir = mkdtempSync(path.join(tmpdir(), 'termpool-session-archive-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const N = 200;

describe('session archive: memory', () => {
  it(`reads ${N} archived sessions with at most ${RESTORED_CACHE} restored at once`, () => {
    const file = path.join(dir, 'many.sqlite');
    const store = new ArchiveStore(file);
    const src = new PagePool();
    const now = Date.now();
    for (let i = 0; i < N; i++) {
      const t = new Terminal({ cols: 80, rows: 24, scrollback: 1000, pool: src });
      let s = '';
      for (let k = 0; k < 100; k++) s += `\x1b[3${k % 7}msession ${i} line ${k}\x1b[0m\r\n`;
      t.write(s);
      const info = {
        id: `s${i}`, pid: 1000 + i, command: 'bash', args: [], cwd: '/', exitCode: 0, signal: null, cols: 80, rows: 24,
        scrollback: 1000, scrollbackLength: t.scrollbackLength, title: '', bytesParsed: t.bytesParsed,
        createdAt: new Date(now).toISOString(), exitedAt: new Date(now).toISOString(),
      };
      store.put(info.id, now, JSON.stringify(info), archiveTerminal(t));
      t.dispose();
    }
    store.close();

    const pool = new PagePool();
    const errors: string[] = [];
    const archive = new SessionArchive(loadConfig({ TERMPOOL_ARCHIVE_PATH: file }), pool, { info: () => {}, error: (m) => errors.push(m) });
    expect(archive.health()).toEqual({ status: 'ok', sessions: N, damagedSessions: 0, problems: [] });
    // Loading the index restores nothing.
    expect(pool.stats().owners).toBe(0);
    for (let i = 0; i < N; i++) {
      const a = archive.get(`s${i}`)!;
      const lines = a.screenLines();
      expect(lines[22]).toBe(`session ${i} line 99`);
      expect(a.terminal.scrollbackLines(0, 1)).toEqual([`session ${i} line 0`]);
      // One page list per restored terminal (none of these had an alternate screen).
      expect(pool.stats().owners).toBeLessThanOrEqual(RESTORED_CACHE);
    }
    expect(errors).toEqual([]);
    archive.close();
    const audit = auditPool(pool);
    expect(audit.leakedBytes).toBe(0);
    expect(pool.stats().lentStandardPages).toBe(0);
    expect(pool.stats().compressedPages).toBe(0);
    expect(pool.stats().owners).toBe(0);
  });
});

describe('session archive: health', () => {
  it(`a moved-aside archive stays named past ${RECENT_PROBLEMS} later failures; its -wal and other names do not count`, () => {
    const d = mkdtempSync(path.join(dir, 'health-'));
    const file = path.join(d, 'archive.sqlite');
    new ArchiveStore(file).close();
    const aside = `${file}.corrupt-2026-01-02T03-04-05-006Z`;
    writeFileSync(aside, 'damaged bytes');
    writeFileSync(`${aside}-wal`, 'its wal');
    writeFileSync(path.join(d, 'other.sqlite.corrupt-2026-01-02T03-04-05-006Z'), 'another archive\'s');
    const errors: string[] = [];
    const archive = new SessionArchive(loadConfig({ TERMPOOL_ARCHIVE_PATH: file }), new PagePool(), { info: () => {}, error: (m) => errors.push(m) });
    const standing = `a damaged archive was moved aside to ${aside} by an earlier start; the sessions in it are not served. Delete it (or move it out of that directory) to clear this`;
    expect(archive.health()).toEqual({ status: 'degraded', sessions: 0, damagedSessions: 0, problems: [standing] });

    // Failures while running (deletes the store refuses, as a failing disk would).
    const store = (archive as unknown as { store: ArchiveStore }).store;
    store.delete = () => { throw new Error('SQLITE_IOERR: disk I/O error'); };
    for (let i = 0; i < RECENT_PROBLEMS + 5; i++) archive.delete(`gone${i}`);
    const h = archive.health();
    expect(h.status).toBe('degraded');
    expect(h.problems).toHaveLength(1 + RECENT_PROBLEMS);
    expect(h.problems[0]).toBe(standing);
    expect(h.problems.at(-1)).toBe(`archived session gone${RECENT_PROBLEMS + 4} could not be deleted: SQLITE_IOERR: disk I/O error`);
    expect(errors).toHaveLength(1 + RECENT_PROBLEMS + 5);
    archive.close();

    rmSync(aside);
    const cleared = new SessionArchive(loadConfig({ TERMPOOL_ARCHIVE_PATH: file }), new PagePool(), { info: () => {}, error: () => {} });
    expect(cleared.health()).toEqual({ status: 'ok', sessions: 0, damagedSessions: 0, problems: [] });
    cleared.close();
  });
});

describe('session archive: a store whose rows cannot be read', () => {
  it('leaves the archive unavailable instead of failing the server\'s start', () => {
    const d = mkdtempSync(path.join(dir, 'unreadable-rows-'));
    const file = path.join(d, 'archive.sqlite');
    new ArchiveStore(file).close();
    const load = vi.spyOn(ArchiveStore.prototype, 'load').mockImplementation(() => { throw Object.assign(new Error('database disk image is malformed'), { code: 'SQLITE_CORRUPT' }); });
    try {
      const archive = new SessionArchive(loadConfig({ TERMPOOL_ARCHIVE_PATH: file }), new PagePool(), { info: () => {}, error: () => {} });
      expect(archive.health()).toEqual({
        status: 'unavailable', sessions: 0, damagedSessions: 0, code: 'ARCHIVE_IO',
        problems: ['the archive is unavailable: its sessions could not be read (database disk image is malformed); it was left untouched'],
      });
      archive.close();
    } finally {
      load.mockRestore();
    }
  });

  it('an expired row that cannot be deleted at start is reported; the rest still load', () => {
    const d = mkdtempSync(path.join(dir, 'undeletable-'));
    const file = path.join(d, 'archive.sqlite');
    const store = new ArchiveStore(file);
    const t = new Terminal({ cols: 10, rows: 2, pool: new PagePool() });
    t.write('kept');
    const now = Date.now();
    const info = (id: string, at: number): string => JSON.stringify({
      id, pid: 1, command: 'sh', args: [], cwd: '/', exitCode: 0, signal: null, cols: 10, rows: 2, scrollback: 0,
      scrollbackLength: 0, title: '', bytesParsed: 4, createdAt: new Date(at).toISOString(), exitedAt: new Date(at).toISOString(),
    });
    store.put('old', now - 86_400_000, info('old', now - 86_400_000), archiveTerminal(t));
    store.put('new', now, info('new', now), archiveTerminal(t));
    store.close();
    t.dispose();
    const del = vi.spyOn(ArchiveStore.prototype, 'delete').mockImplementation(() => { throw new Error('SQLITE_FULL: database or disk is full'); });
    try {
      const archive = new SessionArchive(loadConfig({ TERMPOOL_ARCHIVE_PATH: file, TERMPOOL_EXITED_RETENTION_MS: '3600000' }), new PagePool(), { info: () => {}, error: () => {} });
      expect(archive.health()).toEqual({
        status: 'degraded', sessions: 1, damagedSessions: 0,
        problems: ['expired archived session old could not be deleted: SQLITE_FULL: database or disk is full'],
      });
      expect(archive.list().map((a) => a.id)).toEqual(['new']);
      archive.close();
    } finally {
      del.mockRestore();
    }
  });
});
