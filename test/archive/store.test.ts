/**
 * The archive store (src/archive/store.ts, archive-file.ts) on real SQLite files in a temp dir:
 * rows survive a close and reopen; a damaged row (any column: blob, exit time, id) is reported by
 * id and its blob refused; a termpool archive SQLite finds corrupt (truncated, pages flipped, a
 * broken header that still carries our mark) is moved aside and a fresh store started; and
 * everything we cannot prove is ours and damaged — a text file, another program's database
 * (marked or not), a directory, a damaged database without our mark, a newer schema — is left
 * byte for byte as it was, with nothing created beside it, and refused with a reason. Archives
 * made before the mark (schema 1) open, keep their rows and are stamped.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { APPLICATION_ID, ArchiveUnavailableError, type ArchiveUnavailableCode } from '../../src/archive/archive-file.js';
import { ArchiveRowError, ArchiveStore } from '../../src/archive/store.js';

const dir = mkdtempSync(path.join(tmpdir(), 'termpool-store-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function blob(n: number, seed: number): Uint8Array {
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i++) b[i] = (i * 31 + seed) & 0xff;
  return b;
}

/** A fresh directory of its own, so "nothing created beside it" can be checked by listing. */
function caseDir(name: string): string {
  const d = path.join(dir, name);
  mkdirSync(d, { recursive: true });
  return d;
}

/** Every entry under `d` with a hash of its bytes (directories marked): what "untouched" compares. */
function snapshot(d: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (p: string, rel: string): void => {
    const st = statSync(p);
    if (st.isDirectory()) {
      out[rel || '.'] = `dir ${(st.mode & 0o7777).toString(8)}`;
      for (const n of readdirSync(p)) walk(path.join(p, n), path.join(rel, n));
    } else {
      out[rel] = `${(st.mode & 0o7777).toString(8)} ${createHash('sha256').update(readFileSync(p)).digest('hex')}`;
    }
  };
  walk(d, '');
  return out;
}

function refused(file: string): ArchiveUnavailableError {
  try {
    new ArchiveStore(file).close();
  } catch (err) {
    expect(err).toBeInstanceOf(ArchiveUnavailableError);
    return err as ArchiveUnavailableError;
  }
  throw new Error(`the store at ${file} opened`);
}

/** Refused with `code` and a message matching `why`, and `d` exactly as it was. */
function expectLeftAlone(file: string, code: ArchiveUnavailableCode, why: RegExp, d = path.dirname(file)): void {
  const before = snapshot(d);
  const err = refused(file);
  expect(err.code).toBe(code);
  expect(err.message).toMatch(why);
  expect(err.message).toContain(file);
  expect(snapshot(d)).toEqual(before);
  // And again: a second start changes nothing either.
  expect(refused(file).code).toBe(code);
  expect(snapshot(d)).toEqual(before);
}

/** A store with `n` rows of 20 kB, closed (WAL checkpointed into the file). */
function archiveWith(file: string, n: number): void {
  const s = new ArchiveStore(file);
  for (let i = 0; i < n; i++) s.put(`s${i}`, 1000 + i, `{"id":"s${i}"}`, blob(20_000, i));
  s.close();
}

function header(file: string): { appId: number; userVersion: number } {
  const b = readFileSync(file);
  return { appId: b.readUInt32BE(68), userVersion: b.readUInt32BE(60) };
}

describe('archive store: rows', () => {
  it('keeps rows across close and reopen, in a private file marked as termpool\'s', () => {
    const file = path.join(dir, 'a', 'archive.sqlite');
    const s = new ArchiveStore(file);
    s.put('one', 1000, '{"id":"one"}', blob(5000, 1));
    s.put('two', 2000, '{"id":"two"}', blob(70_000, 2));
    expect(s.sizeBytes()).toBeGreaterThan(70_000);
    s.close();
    expect(statSync(file).mode & 0o077).toBe(0);
    expect(header(file)).toEqual({ appId: APPLICATION_ID, userVersion: 3 });
    expect(readFileSync(file).subarray(68, 72).toString('latin1')).toBe('TPAR');

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

  it('reports a row whose blob, exit time or id changed and refuses its blob', () => {
    const file = path.join(dir, 'b.sqlite');
    const s = new ArchiveStore(file);
    s.put('good', 1, '{}', blob(100, 3));
    s.put('bad-blob', 2, '{}', blob(100, 4));
    s.put('bad-exit', 1_700_000_000_000, '{}', blob(100, 5));
    s.put('twin-a', 4, '{}', blob(100, 6));
    s.close();
    // Alter stored columns behind the store's back (as a disk error or a stray writer would):
    // a later exit time keeps a session past its retention, another id serves it as another.
    const db = new Database(file);
    db.prepare("UPDATE archived_sessions SET terminal = ? WHERE id = 'bad-blob'").run(Buffer.from(blob(100, 7)));
    db.prepare("UPDATE archived_sessions SET exited_at = exited_at + 86400000 WHERE id = 'bad-exit'").run();
    db.prepare("UPDATE archived_sessions SET id = 'twin-b' WHERE id = 'twin-a'").run(); // same length
    db.close();

    const r = new ArchiveStore(file);
    const { rows, damaged } = r.load();
    expect(rows.map((x) => x.id)).toEqual(['good']);
    expect(damaged.sort((a, b) => a.id.localeCompare(b.id))).toEqual([
      { id: 'bad-blob', reason: 'checksum mismatch' },
      { id: 'bad-exit', reason: 'checksum mismatch' },
      { id: 'twin-b', reason: 'checksum mismatch' },
    ]);
    for (const id of ['bad-blob', 'bad-exit', 'twin-b']) expect(() => r.blob(id)).toThrow(ArchiveRowError);
    expect(r.blob('good')).not.toBeNull();
    r.close();
  });
});

describe('archive store: archives made before the mark (schema 1)', () => {
  /** What termpool wrote before application_id and the schema-2 checksum, byte for byte. */
  function legacyArchive(file: string, rows: { id: string; exitedAt: number; info: string; blob: Uint8Array; badCrc?: boolean }[]): void {
    const db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.exec(`CREATE TABLE archived_sessions (
     id TEXT PRIMARY KEY,
     exited_at INTEGER NOT NULL,
     info TEXT NOT NULL,
     terminal BLOB NOT NULL,
     crc INTEGER NOT NULL
   ) WITHOUT ROWID`);
    db.pragma('user_version = 1');
    const put = db.prepare('INSERT INTO archived_sessions (id, exited_at, info, terminal, crc) VALUES (?, ?, ?, ?, ?)');
    for (const r of rows) {
      const crc = crc32(r.blob, crc32(Buffer.from(r.info, 'utf8')));
      put.run(r.id, r.exitedAt, r.info, r.blob, r.badCrc ? crc ^ 1 : crc);
    }
    db.close();
  }

  it('opens one, keeps its rows (a row already damaged stays damaged) and stamps it', () => {
    const file = path.join(caseDir('legacy'), 'archive.sqlite');
    legacyArchive(file, [
      { id: 'old1', exitedAt: 5000, info: '{"id":"old1"}', blob: blob(30_000, 1) },
      { id: 'old2', exitedAt: 6000, info: '{"id":"old2"}', blob: blob(10, 2) },
      { id: 'rotten', exitedAt: 7000, info: '{"id":"rotten"}', blob: blob(10, 3), badCrc: true },
    ]);
    expect(header(file)).toEqual({ appId: 0, userVersion: 1 });

    const s = new ArchiveStore(file);
    expect(s.problems).toEqual([]);
    expect(s.movedAside).toBeNull();
    const { rows, damaged } = s.load();
    expect(rows.map((r) => [r.id, r.exitedAt, r.info, r.bytes]).sort()).toEqual([
      ['old1', 5000, '{"id":"old1"}', 30_000], ['old2', 6000, '{"id":"old2"}', 10],
    ]);
    expect(damaged).toEqual([{ id: 'rotten', reason: 'checksum mismatch' }]);
    expect(Buffer.from(s.blob('old1')!).equals(Buffer.from(blob(30_000, 1)))).toBe(true);
    s.close();
    expect(header(file)).toEqual({ appId: APPLICATION_ID, userVersion: 3 });
    // Migrated rows now have their exit time covered too.
    const db = new Database(file);
    db.prepare("UPDATE archived_sessions SET exited_at = 9999999 WHERE id = 'old2'").run();
    db.close();
    const r = new ArchiveStore(file);
    expect(r.load().damaged.map((d) => d.id).sort()).toEqual(['old2', 'rotten']);
    r.close();
  });

  it('a file of another program with no mark but a table of the same name is not taken for one', () => {
    const file = path.join(caseDir('lookalike'), 'archive.sqlite');
    const db = new Database(file);
    db.exec('CREATE TABLE archived_sessions (id TEXT PRIMARY KEY, payload BLOB)');
    db.pragma('user_version = 1');
    db.prepare('INSERT INTO archived_sessions VALUES (?, ?)').run('x', Buffer.from('their data'));
    db.close();
    expectLeftAlone(file, 'ARCHIVE_FOREIGN', /not a termpool archive: .* application_id 0x00000000 and tables archived_sessions/);
  });
});

describe('archive store: real corruption of a termpool archive is moved aside', () => {
  it('a truncated file', () => {
    const file = path.join(caseDir('truncated'), 'archive.sqlite');
    archiveWith(file, 20);
    truncateSync(file, Math.floor(statSync(file).size / 2));
    const damagedBytes = readFileSync(file);

    const r = new ArchiveStore(file);
    expect(r.problems.join()).toMatch(/failed its integrity check \(.+\); it was moved aside to .*archive\.sqlite\.corrupt-/);
    expect(r.movedAside).not.toBeNull();
    expect(readFileSync(r.movedAside!).equals(damagedBytes)).toBe(true);
    expect(r.load()).toEqual({ rows: [], damaged: [] });
    r.put('new', 1, '{}', blob(10, 1));
    r.close();
    const again = new ArchiveStore(file);
    expect(again.load().rows.map((x) => x.id)).toEqual(['new']);
    expect(again.movedAside).toBeNull();
    again.close();
  });

  it('flipped bytes in its pages (a b-tree page header)', () => {
    const file = path.join(caseDir('flipped'), 'archive.sqlite');
    archiveWith(file, 20);
    const b = readFileSync(file);
    const pageSize = b.readUInt16BE(16);
    // Page 2 is the table's root; its first bytes are the b-tree page header.
    for (let k = 0; k < 8; k++) b[pageSize + k]! ^= 0xff;
    writeFileSync(file, b);

    const r = new ArchiveStore(file);
    expect(r.problems.join()).toMatch(/failed its integrity check \(quick_check: .*page 2/);
    expect(readFileSync(r.movedAside!).equals(b)).toBe(true);
    expect(r.load()).toEqual({ rows: [], damaged: [] });
    r.close();
  });

  it('a header SQLite refuses (page size 3) that still carries our application_id at offset 68', () => {
    const file = path.join(caseDir('bad-header'), 'archive.sqlite');
    archiveWith(file, 3);
    const b = readFileSync(file);
    b.writeUInt16BE(3, 16);
    writeFileSync(file, b);
    const r = new ArchiveStore(file);
    expect(r.problems.join()).toMatch(/failed its integrity check \(file is not a database\)/);
    expect(readFileSync(r.movedAside!).equals(b)).toBe(true);
    r.close();
  });
});

describe('archive store: what is not provably ours and damaged is left untouched', () => {
  it('a text file', () => {
    const file = path.join(caseDir('text'), 'archive.sqlite');
    writeFileSync(file, 'this is not a database, it is a text file that happens to sit here\n'.repeat(100), { mode: 0o644 });
    expectLeftAlone(file, 'ARCHIVE_NOT_SQLITE', /^not a termpool archive: .* is not an SQLite database \(6700 bytes without the SQLite header\); it was left untouched$/);
  });

  it('a short binary file', () => {
    const file = path.join(caseDir('short'), 'archive.sqlite');
    writeFileSync(file, Buffer.from('SQLite format 3\0'));
    expectLeftAlone(file, 'ARCHIVE_NOT_SQLITE', /not an SQLite database \(16 bytes/);
  });

  it('another program\'s database with its own application_id', () => {
    const file = path.join(caseDir('foreign-id'), 'archive.sqlite');
    const db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.pragma(`application_id = ${0x47504b47}`); // GeoPackage's 'GPKG'
    db.exec('CREATE TABLE features (id INTEGER PRIMARY KEY, geom BLOB)');
    db.prepare('INSERT INTO features (geom) VALUES (?)').run(Buffer.alloc(5000, 7));
    db.close();
    expectLeftAlone(file, 'ARCHIVE_FOREIGN', /^not a termpool archive: .* is an SQLite database with application_id 0x47504b47 \(a termpool archive has 0x54504152\); it was left untouched$/);
  });

  it('another program\'s database whose mark is still only in its WAL (header says 0)', () => {
    const d = caseDir('foreign-wal');
    const live = path.join(dir, 'foreign-wal-live.sqlite');
    const db = new Database(live);
    db.pragma('journal_mode = WAL');
    db.pragma('wal_autocheckpoint = 0');
    db.exec('CREATE TABLE t (x)');
    db.close(); // checkpointed: the file has the table, application_id 0
    const again = new Database(live);
    again.pragma('wal_autocheckpoint = 0');
    again.pragma(`application_id = ${0x12345678}`);
    // Copied while open: the new first page is in the -wal only, as after a crash.
    const file = path.join(d, 'archive.sqlite');
    writeFileSync(file, readFileSync(live));
    writeFileSync(`${file}-wal`, readFileSync(`${live}-wal`));
    again.close();
    expect(header(file).appId).toBe(0);
    const before = readFileSync(file);
    const err = refused(file);
    expect(err.code).toBe('ARCHIVE_FOREIGN');
    expect(err.message).toMatch(/application_id 0x12345678 and tables t/);
    expect(readFileSync(file).equals(before)).toBe(true);
  });

  it('another program\'s database without an application_id', () => {
    const file = path.join(caseDir('foreign-zero'), 'archive.sqlite');
    const db = new Database(file);
    db.exec('CREATE TABLE users (name TEXT); CREATE TABLE orders (n INTEGER)');
    db.prepare('INSERT INTO users VALUES (?)').run('alice');
    db.close();
    expectLeftAlone(file, 'ARCHIVE_FOREIGN', /application_id 0x00000000 and tables orders, users/);
  });

  it('a damaged database without our mark (it could be anyone\'s)', () => {
    const file = path.join(caseDir('unmarked-damaged'), 'archive.sqlite');
    const db = new Database(file);
    db.exec('CREATE TABLE t (x)');
    db.close();
    const b = readFileSync(file);
    b.writeUInt16BE(3, 16);
    writeFileSync(file, b);
    expectLeftAlone(file, 'ARCHIVE_UNIDENTIFIED', /does not carry termpool's application_id/);
  });

  it('a directory', () => {
    const file = path.join(caseDir('directory'), 'archive.sqlite');
    mkdirSync(file);
    writeFileSync(path.join(file, 'notes.txt'), 'a user\'s file');
    expectLeftAlone(file, 'ARCHIVE_NOT_A_FILE', /is a directory, not an archive file; it was left as it is/);
  });

  it('an archive of a newer termpool', () => {
    const file = path.join(caseDir('too-new'), 'archive.sqlite');
    archiveWith(file, 2);
    const db = new Database(file);
    db.pragma('user_version = 99');
    db.close();
    expectLeftAlone(file, 'ARCHIVE_TOO_NEW', /has schema 99, newer than this termpool's 3/);
  });

  it('an archive of a newer termpool that crashed: its -wal is not checkpointed into the file either', () => {
    const d = caseDir('too-new-crashed');
    const live = path.join(dir, 'too-new-live.sqlite');
    archiveWith(live, 2);
    const db = new Database(live);
    db.pragma('wal_autocheckpoint = 0');
    db.pragma('user_version = 99');
    db.prepare('DELETE FROM archived_sessions WHERE id = ?').run('s0');
    // Copied while open, as a crash leaves them: the newer schema is in the -wal only.
    const file = path.join(d, 'archive.sqlite');
    writeFileSync(file, readFileSync(live));
    writeFileSync(`${file}-wal`, readFileSync(`${live}-wal`));
    db.close();
    const main = readFileSync(file);
    const wal = readFileSync(`${file}-wal`);
    expect(header(file).userVersion).toBe(3);

    expect(refused(file).code).toBe('ARCHIVE_TOO_NEW');
    // Without a reader held while the writer closed, SQLite's close folded the -wal in.
    expect(readFileSync(file).equals(main)).toBe(true);
    expect(readFileSync(`${file}-wal`).equals(wal)).toBe(true);
  });

  it('a file whose directory cannot be made (a path through a regular file)', () => {
    const d = caseDir('blocked');
    writeFileSync(path.join(d, 'blocker'), 'a file');
    const file = path.join(d, 'blocker', 'sub', 'archive.sqlite');
    expectLeftAlone(file, 'ARCHIVE_IO', /cannot create the directory .*blocker\/sub for .*ENOTDIR/, d);
  });
});

describe('archive store: nothing to lose is adopted', () => {
  it('a 0-byte file and an empty SQLite database become stores', () => {
    const d = caseDir('blank');
    const empty = path.join(d, 'empty.sqlite');
    writeFileSync(empty, '', { mode: 0o600 });
    const s = new ArchiveStore(empty);
    s.put('x', 1, '{}', blob(10, 1));
    s.close();
    expect(header(empty).appId).toBe(APPLICATION_ID);

    const bare = path.join(d, 'bare.sqlite');
    const db = new Database(bare);
    db.pragma('journal_mode = WAL');
    db.close();
    const t = new ArchiveStore(bare);
    expect(t.problems).toEqual([]);
    t.close();
    expect(header(bare).appId).toBe(APPLICATION_ID);
    expect(existsSync(`${bare}.corrupt`)).toBe(false);
    expect(readdirSync(d).filter((n) => n.includes('corrupt'))).toEqual([]);
  });
});
