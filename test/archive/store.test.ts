/**
 * The archive store (src/archive/store.ts) on real SQLite files in a temp dir: rows survive a
 * close and reopen, a damaged row is reported by id and its blob refused, a truncated or
 * overwritten file is moved aside and a fresh store started.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { ArchiveRowError, ArchiveStore } from '../../src/archive/store.js';

const dir = mkdtempSync(path.join(tmpdir(), 'termpool-store-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function blob(n: number, seed: number): Uint8Array {
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i++) b[i] = (i * 31 + seed) & 0xff;
  return b;
}

describe('archive store', () => {
  it('keeps rows across close and reopen, in a private file', () => {
    const file = path.join(dir, 'a', 'archive.sqlite');
    const s = new ArchiveStore(file);
    s.put('one', 1000, '{"id":"one"}', blob(5000, 1));
    s.put('two', 2000, '{"id":"two"}', blob(70_000, 2));
    expect(s.sizeBytes()).toBeGreaterThan(70_000);
    s.close();
    expect(statSync(file).mode & 0o077).toBe(0);

    const r = new ArchiveStore(file);
    expect(r.problems).toEqual([]);
    const { rows, damaged } = r.load();
    expect(damaged).toEqual([]);
    expect(rows.map((x) => [x.id, x.exitedAt, x.info, x.bytes]).sort()).toEqual([
      ['one', 1000, '{"id":"one"}', 5000], ['two', 2000, '{"id":"two"}', 70_000],
    ]);
    expect(Buffer.from(r.blob('two')!).equals(Buffer.from(blob(70_000, 2)))).toBe(true);
    expect(r.delete('one')).toBe(true);
    expect(r.delete('one')).toBe(false);
    expect(r.blob('one')).toBeNull();
    r.close();
  });

  it('reports a row whose bytes changed and refuses its blob', () => {
    const file = path.join(dir, 'b.sqlite');
    const s = new ArchiveStore(file);
    s.put('good', 1, '{}', blob(100, 3));
    s.put('bad', 2, '{}', blob(100, 4));
    s.close();
    // Alter the stored blob behind the store's back (as a disk error or a stray writer would).
    const db = new Database(file);
    db.prepare("UPDATE archived_sessions SET terminal = ? WHERE id = 'bad'").run(Buffer.from(blob(100, 5)));
    db.close();

    const r = new ArchiveStore(file);
    const { rows, damaged } = r.load();
    expect(rows.map((x) => x.id)).toEqual(['good']);
    expect(damaged).toEqual([{ id: 'bad', reason: 'checksum mismatch' }]);
    expect(() => r.blob('bad')).toThrow(ArchiveRowError);
    expect(r.blob('good')).not.toBeNull();
    r.close();
  });

  it('moves a truncated file aside and starts a fresh store', () => {
    const file = path.join(dir, 'c.sqlite');
    const s = new ArchiveStore(file);
    for (let i = 0; i < 20; i++) s.put(`s${i}`, i, '{}', blob(20_000, i));
    s.close();
    const size = statSync(file).size;
    truncateSync(file, Math.floor(size / 2));

    const r = new ArchiveStore(file);
    expect(r.problems.join()).toMatch(/integrity check/);
    expect(r.movedAside).not.toBeNull();
    expect(existsSync(r.movedAside!)).toBe(true);
    expect(r.load()).toEqual({ rows: [], damaged: [] });
    r.put('new', 1, '{}', blob(10, 1));
    r.close();
    expect(new ArchiveStore(file).load().rows.map((x) => x.id)).toEqual(['new']);
  });

  it('moves a file that is not a database aside', () => {
    const file = path.join(dir, 'd.sqlite');
    writeFileSync(file, 'this is not a database, it is a text file that happens to sit here\n'.repeat(100));
    const r = new ArchiveStore(file);
    expect(r.problems.join()).toMatch(/integrity check/);
    expect(readFileSync(r.movedAside!, 'utf8')).toMatch(/^this is not a database/);
    expect(readdirSync(dir).some((f) => f.startsWith('d.sqlite.corrupt-'))).toBe(true);
    r.close();
  });
});
