/**
 * The archive's on-disk store: one SQLite file (better-sqlite3) with a row per archived session,
 * its description (JSON), exit time and terminal blob (src/engine archiveTerminal bytes).
 *
 * Owns: opening, checking and migrating the file, and the per-row checksum. SQLite was chosen
 * over a directory of files for atomic replace/delete, one fsync'd commit per archived session,
 * and a built-in structural check (`PRAGMA quick_check`); better-sqlite3 is synchronous, which
 * suits writes made from a pty exit callback and a shutdown that must finish them before exiting.
 *
 * Trust: a file that fails to open or fails quick_check is renamed aside (with its -wal/-shm) to
 * `<file>.corrupt-<time>` and a fresh store is created, so the server always starts; the problem
 * is kept in `problems` for /healthz and the log. Each row carries crc32(info ‖ blob), checked
 * when rows are loaded and again when a blob is read; a bad row is reported by id, never served.
 */
import Database from 'better-sqlite3';
import { closeSync, existsSync, mkdirSync, openSync, renameSync } from 'node:fs';
import path from 'node:path';
import { crc32 } from 'node:zlib';

/** Schema version in `PRAGMA user_version`; migrations below bring older files up to it. */
const SCHEMA_VERSION = 1;

const MIGRATIONS: string[] = [
  // 0 → 1
  `CREATE TABLE archived_sessions (
     id TEXT PRIMARY KEY,
     exited_at INTEGER NOT NULL,
     info TEXT NOT NULL,
     terminal BLOB NOT NULL,
     crc INTEGER NOT NULL
   ) WITHOUT ROWID`,
];

/** A row that passed its checksum. */
export interface StoredSession {
  id: string;
  /** ms since the epoch. */
  exitedAt: number;
  /** The session description as stored (JSON text, parsed by the caller). */
  info: string;
  /** Blob size in bytes. */
  bytes: number;
}

/** A row whose checksum failed (or that could not be read): reported by id, never served. */
export interface DamagedRow {
  id: string;
  reason: string;
}

/** A row that fails its checksum when read. */
export class ArchiveRowError extends Error {
  override readonly name = 'ArchiveRowError';
}

/** A store written by a newer termpool: left alone (not moved aside), the archive stays off. */
export class ArchiveTooNewError extends Error {
  override readonly name = 'ArchiveTooNewError';
}

function rowCrc(info: string, blob: Uint8Array): number {
  return crc32(blob, crc32(Buffer.from(info, 'utf8')));
}

export class ArchiveStore {
  /** What was wrong at open (file moved aside, ...), for /healthz and the log. */
  readonly problems: string[] = [];
  /** Where a damaged file was moved, if one was. */
  movedAside: string | null = null;
  private db: Database.Database;
  private readonly stmts: {
    put: Database.Statement<[string, number, string, Uint8Array, number]>;
    get: Database.Statement<[string], { info: string; terminal: Buffer; crc: number }>;
    del: Database.Statement<[string]>;
  };

  /** Opens (creating or recovering) the store at `file`; throws only when no usable store can be had. */
  constructor(readonly file: string) {
    mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    let db: Database.Database;
    try {
      db = openChecked(file);
    } catch (err) {
      if (err instanceof ArchiveTooNewError || !existsSync(file)) throw err;
      const aside = `${file}.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}`;
      for (const suffix of ['', '-wal', '-shm']) {
        if (existsSync(file + suffix)) renameSync(file + suffix, aside + suffix);
      }
      this.movedAside = aside;
      this.problems.push(`the archive file failed its integrity check (${message(err)}); it was moved aside and a new one started`);
      db = openChecked(file);
    }
    this.db = db;
    this.stmts = {
      put: db.prepare('INSERT OR REPLACE INTO archived_sessions (id, exited_at, info, terminal, crc) VALUES (?, ?, ?, ?, ?)'),
      get: db.prepare('SELECT info, terminal, crc FROM archived_sessions WHERE id = ?'),
      del: db.prepare('DELETE FROM archived_sessions WHERE id = ?'),
    };
  }

  /** Stores (or replaces) a session; committed and synced to disk when it returns. */
  put(id: string, exitedAt: number, info: string, blob: Uint8Array): void {
    this.stmts.put.run(id, exitedAt, info, blob, rowCrc(info, blob));
  }

  /** The blob of `id`, checksum verified; null when there is no such row. Throws ArchiveRowError. */
  blob(id: string): Uint8Array | null {
    const r = this.stmts.get.get(id);
    if (r === undefined) return null;
    if (rowCrc(r.info, r.terminal) !== r.crc >>> 0) throw new ArchiveRowError(`archived session '${id}' failed its checksum in the store`);
    return r.terminal;
  }

  /** Every row: those that pass their checksum, and those that do not. */
  load(): { rows: StoredSession[]; damaged: DamagedRow[] } {
    const rows: StoredSession[] = [];
    const damaged: DamagedRow[] = [];
    const it = this.db.prepare<[], { id: string; exited_at: number; info: string; terminal: Buffer; crc: number }>(
      'SELECT id, exited_at, info, terminal, crc FROM archived_sessions',
    ).iterate();
    for (const r of it) {
      if (typeof r.info !== 'string' || !Buffer.isBuffer(r.terminal) || rowCrc(r.info, r.terminal) !== r.crc >>> 0) {
        damaged.push({ id: String(r.id), reason: 'checksum mismatch' });
      } else {
        rows.push({ id: r.id, exitedAt: r.exited_at, info: r.info, bytes: r.terminal.byteLength });
      }
    }
    return { rows, damaged };
  }

  /** Deletes a row; true if there was one. */
  delete(id: string): boolean {
    return this.stmts.del.run(id).changes > 0;
  }

  /** Bytes the database file holds (pages × page size). */
  sizeBytes(): number {
    const pages = this.db.pragma('page_count', { simple: true }) as number;
    const size = this.db.pragma('page_size', { simple: true }) as number;
    return pages * size;
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

/** Opens `file`, checks its structure and brings its schema up to date; throws if unusable. */
function openChecked(file: string): Database.Database {
  // Created by us first so the file is private: final screens can hold anything a program printed.
  if (!existsSync(file)) closeSync(openSync(file, 'a', 0o600));
  const db = new Database(file);
  try {
    db.pragma('journal_mode = WAL');
    // FULL: a session archived at exit survives a power cut too, at one fsync per exit.
    db.pragma('synchronous = FULL');
    const check = db.pragma('quick_check', { simple: true });
    if (check !== 'ok') throw new Error(`quick_check: ${String(check)}`);
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > SCHEMA_VERSION) throw new ArchiveTooNewError(`the archive has schema ${version}, newer than this termpool's ${SCHEMA_VERSION}`);
    db.transaction(() => {
      for (let v = version; v < SCHEMA_VERSION; v++) db.exec(MIGRATIONS[v]!);
      db.pragma(`user_version = ${SCHEMA_VERSION}`);
    })();
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
