/**
 * The archive's on-disk store: one SQLite file (better-sqlite3) with a row per archived session,
 * its description (JSON), exit time and terminal blob (src/engine archiveTerminal bytes), and
 * beside it (schema 3) the session's attachments: its recording and its shell's command history,
 * each compressed by the caller, written in the same transaction and deleted with it.
 *
 * Owns: opening, checking and migrating the file, and the per-row checksum. SQLite was chosen
 * over a directory of files for atomic replace/delete, one fsync'd commit per archived session,
 * and a built-in structural check (`PRAGMA quick_check`); better-sqlite3 is synchronous, which
 * suits writes made from a pty exit callback and a shutdown that must finish them before exiting.
 *
 * Trust: what is at the path is identified first (archive-file.ts). Only a file proven to be a
 * termpool archive (application_id 'TPAR', or the pre-mark schema) that SQLite finds corrupt is
 * renamed aside (with its -wal/-shm) to `<file>.corrupt-<time>` and replaced by a fresh store;
 * anything else that keeps the store from opening — another program's file, a directory, no
 * permission, a read-only or full file system, a newer schema — throws ArchiveUnavailableError
 * and leaves the file as it was. Each row carries a checksum over every column that decides what
 * the row is and when it goes (id, exited_at) and what it serves (info, terminal), checked when
 * rows are loaded and again when a blob is read; a bad row is reported by id, never served.
 */
import Database from 'better-sqlite3';
import { closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import {
  APPLICATION_ID, ArchiveUnavailableError, fromOpenError, identifyArchive, isCorruption, moveAside, noSpaceLeft, readOnlyWhy,
  type ArchiveIdentity,
} from './archive-file.js';

/** Schema version in `PRAGMA user_version`; migrations below bring older files up to it. */
export const SCHEMA_VERSION = 3;

/** The table as schema 1 created it. NOTE: never edit: archives made before the application_id
 *  mark are recognised as termpool's by this exact statement (archive-file.ts). */
const TABLE_V1 = `CREATE TABLE archived_sessions (
     id TEXT PRIMARY KEY,
     exited_at INTEGER NOT NULL,
     info TEXT NOT NULL,
     terminal BLOB NOT NULL,
     crc INTEGER NOT NULL
   ) WITHOUT ROWID`;

/** MIGRATIONS[v] brings a store from schema v to v + 1, inside the opening transaction. */
const MIGRATIONS: ((db: Database.Database) => void)[] = [
  // 0 → 1: the table.
  (db) => db.exec(TABLE_V1),
  // 1 → 2: the checksum covers id and exited_at too (a changed exit time moved a row's expiry,
  // a changed id served it as another session, and neither was noticed). Rows that pass their
  // schema-1 checksum get the new one; a row that fails it keeps its old value, which fails the
  // new check, so it is still reported as damaged.
  (db) => {
    const ids = db.prepare<[], string>('SELECT id FROM archived_sessions').pluck().all();
    const get = db.prepare<[string], RawRow>('SELECT id, exited_at, info, terminal, crc FROM archived_sessions WHERE id = ?');
    const set = db.prepare<[number, string]>('UPDATE archived_sessions SET crc = ? WHERE id = ?');
    for (const id of ids) {
      const r = get.get(id);
      if (r !== undefined && wellTyped(r) && crcV1(r.info, r.terminal) === r.crc >>> 0) set.run(rowSum(r.id, r.exited_at, r.info, r.terminal), id);
    }
  },
  // 2 → 3: attachments (a recording, a command history). Not WITHOUT ROWID: a recording can be
  // megabytes, which SQLite stores better in a rowid table.
  (db) => db.exec(`CREATE TABLE archived_attachments (
     id TEXT NOT NULL,
     kind TEXT NOT NULL,
     data BLOB NOT NULL,
     crc INTEGER NOT NULL,
     PRIMARY KEY (id, kind)
   )`),
];

/** What a session may have besides its terminal. */
export type AttachmentKind = 'recording' | 'commands';

export interface Attachment {
  kind: AttachmentKind;
  data: Uint8Array;
}

/** An attachment's checksum: crc32 over `len(id) id len(kind) kind` then the data. */
export function attachmentSum(id: string, kind: string, data: Uint8Array): number {
  const idB = Buffer.from(id, 'utf8');
  const kindB = Buffer.from(kind, 'utf8');
  const head = Buffer.alloc(8 + idB.length + kindB.length);
  head.writeUInt32BE(idB.length, 0);
  idB.copy(head, 4);
  head.writeUInt32BE(kindB.length, 4 + idB.length);
  kindB.copy(head, 8 + idB.length);
  return crc32(data, crc32(head));
}

interface RawRow { id: unknown; exited_at: unknown; info: unknown; terminal: unknown; crc: unknown }
interface TypedRow { id: string; exited_at: number; info: string; terminal: Buffer; crc: number }

/** A row that passed its checksum. */
export interface StoredSession {
  id: string;
  /** ms since the epoch. */
  exitedAt: number;
  /** The session description as stored (JSON text, parsed by the caller). */
  info: string;
  /** Stored bytes: the terminal blob plus its attachments. */
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

/** Schema 1's checksum: info and blob only (kept to migrate rows written before schema 2). */
function crcV1(info: string, blob: Uint8Array): number {
  return crc32(blob, crc32(Buffer.from(info, 'utf8')));
}

/**
 * The row checksum: crc32 over `len(id) id exited_at len(info) info` then the blob (lengths u32
 * big-endian, exited_at a big-endian double), so no two rows that differ in any column share the
 * bytes summed. crc32 catches damage and stray writes, not a forger (who can recompute it).
 */
export function rowSum(id: string, exitedAt: number, info: string, blob: Uint8Array): number {
  const idB = Buffer.from(id, 'utf8');
  const infoB = Buffer.from(info, 'utf8');
  const head = Buffer.alloc(16 + idB.length);
  head.writeUInt32BE(idB.length, 0);
  idB.copy(head, 4);
  head.writeDoubleBE(exitedAt, 4 + idB.length);
  head.writeUInt32BE(infoB.length, 12 + idB.length);
  return crc32(blob, crc32(infoB, crc32(head)));
}

function wellTyped(r: RawRow): r is TypedRow {
  return typeof r.id === 'string' && typeof r.exited_at === 'number' && typeof r.info === 'string' && Buffer.isBuffer(r.terminal) && typeof r.crc === 'number';
}

function rowOk(r: RawRow): r is TypedRow {
  return wellTyped(r) && rowSum(r.id, r.exited_at, r.info, r.terminal) === r.crc;
}

/** Whether an unmarked database's only table is schema 1's (archives made before the mark). */
function isLegacySchema(tableSql: string, userVersion: number): boolean {
  const norm = (s: string): string => s.replace(/\s+/g, ' ').trim();
  return userVersion === 1 && norm(tableSql) === norm(TABLE_V1);
}

/** SQLite says the bytes of a file we know to be ours are bad. */
class DamagedStore extends Error {}

export class ArchiveStore {
  /** What was wrong at open (file moved aside, ...), for /healthz and the log. */
  readonly problems: string[] = [];
  /** Where a damaged file was moved at this open, if one was. */
  movedAside: string | null = null;
  private db: Database.Database;
  private readonly stmts: {
    put: Database.Statement<[string, number, string, Uint8Array, number]>;
    get: Database.Statement<[string], RawRow>;
    del: Database.Statement<[string]>;
    putAttachment: Database.Statement<[string, string, Uint8Array, number]>;
    getAttachment: Database.Statement<[string, string], { data: unknown; crc: unknown }>;
    delAttachments: Database.Statement<[string]>;
  };
  private readonly putTx: (id: string, exitedAt: number, info: string, blob: Uint8Array, attachments: readonly Attachment[]) => void;
  private readonly delTx: (id: string) => boolean;

  /**
   * Opens (creating, migrating or recovering) the store at `file`. Throws ArchiveUnavailableError,
   * with the file left untouched, when no usable store can be had.
   */
  constructor(readonly file: string) {
    // Before the identity check, whose read-only look may create an (empty) -wal itself.
    const crashed = existsSync(`${file}-wal`);
    const identity = identifyArchive(file, isLegacySchema);
    let db: Database.Database;
    try {
      if (identity.kind === 'damaged') throw new DamagedStore(identity.reason);
      db = openForWriting(file, identity, crashed);
    } catch (err) {
      if (!(err instanceof DamagedStore)) throw err;
      try {
        this.movedAside = moveAside(file);
      } catch (e) {
        throw fromOpenError(file, e, `found damaged (${err.message}) but cannot move aside`);
      }
      this.problems.push(`the archive file failed its integrity check (${err.message}); it was moved aside to ${this.movedAside} and a new one started; delete that file (or move it out of that directory) once inspected to clear this`);
      db = openForWriting(file, { kind: 'absent' }, false);
    }
    this.db = db;
    this.stmts = {
      put: db.prepare('INSERT OR REPLACE INTO archived_sessions (id, exited_at, info, terminal, crc) VALUES (?, ?, ?, ?, ?)'),
      get: db.prepare('SELECT id, exited_at, info, terminal, crc FROM archived_sessions WHERE id = ?'),
      del: db.prepare('DELETE FROM archived_sessions WHERE id = ?'),
      putAttachment: db.prepare('INSERT INTO archived_attachments (id, kind, data, crc) VALUES (?, ?, ?, ?)'),
      getAttachment: db.prepare('SELECT data, crc FROM archived_attachments WHERE id = ? AND kind = ?'),
      delAttachments: db.prepare('DELETE FROM archived_attachments WHERE id = ?'),
    };
    this.putTx = db.transaction((id, exitedAt, info, blob, attachments) => {
      this.stmts.put.run(id, exitedAt, info, blob, rowSum(id, exitedAt, info, blob));
      this.stmts.delAttachments.run(id);
      for (const a of attachments) this.stmts.putAttachment.run(id, a.kind, a.data, attachmentSum(id, a.kind, a.data));
    });
    this.delTx = db.transaction((id) => {
      this.stmts.delAttachments.run(id);
      return this.stmts.del.run(id).changes > 0;
    });
  }

  /**
   * Stores (or replaces) a session and its attachments in one transaction; committed and synced
   * to disk when it returns.
   */
  put(id: string, exitedAt: number, info: string, blob: Uint8Array, attachments: readonly Attachment[] = []): void {
    this.putTx(id, exitedAt, info, blob, attachments);
  }

  /** An attachment of `id`, checksum verified; null when it has none. Throws ArchiveRowError. */
  attachment(id: string, kind: AttachmentKind): Uint8Array | null {
    const r = this.stmts.getAttachment.get(id, kind);
    if (r === undefined) return null;
    if (!Buffer.isBuffer(r.data) || typeof r.crc !== 'number' || attachmentSum(id, kind, r.data) !== r.crc) {
      throw new ArchiveRowError(`archived session '${id}': its ${kind} failed its checksum in the store`);
    }
    return r.data;
  }

  /** The blob of `id`, checksum verified; null when there is no such row. Throws ArchiveRowError. */
  blob(id: string): Uint8Array | null {
    const r = this.stmts.get.get(id);
    if (r === undefined) return null;
    if (!rowOk(r)) throw new ArchiveRowError(`archived session '${id}' failed its checksum in the store`);
    return r.terminal;
  }

  /** Every row: those that pass their checksum, and those that do not. */
  load(): { rows: StoredSession[]; damaged: DamagedRow[] } {
    const rows: StoredSession[] = [];
    const damaged: DamagedRow[] = [];
    // Attachments are counted, not read (a recording can be megabytes): checked when served.
    const extra = new Map(this.db.prepare<[], { id: string; n: number }>('SELECT id, SUM(length(data)) AS n FROM archived_attachments GROUP BY id').all().map((r) => [r.id, r.n]));
    const it = this.db.prepare<[], RawRow>('SELECT id, exited_at, info, terminal, crc FROM archived_sessions').iterate();
    for (const r of it) {
      if (rowOk(r)) rows.push({ id: r.id, exitedAt: r.exited_at, info: r.info, bytes: r.terminal.byteLength + (extra.get(r.id) ?? 0) });
      else damaged.push({ id: String(r.id), reason: 'checksum mismatch' });
    }
    return { rows, damaged };
  }

  /** Deletes a row and its attachments; true if there was a row. */
  delete(id: string): boolean {
    return this.delTx(id);
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

/**
 * Opens `file` (identified as absent, blank or ours) for writing: checks its structure, brings
 * its schema up to date and stamps the mark, all in one write transaction, which is also the
 * proof that the store can be written now (a full disk or read-only file fails here, at start,
 * instead of at every exit). Throws DamagedStore when SQLite finds our file corrupt, else
 * ArchiveUnavailableError.
 */
function openForWriting(file: string, identity: Exclude<ArchiveIdentity, { kind: 'damaged' }>, crashed: boolean): Database.Database {
  // A full file system is refused before anything is created or opened for writing: the write
  // that would find out appends (ignored) bytes to a -wal a crash left behind.
  if (noSpaceLeft(path.dirname(file))) {
    throw new ArchiveUnavailableError('ARCHIVE_NO_SPACE', `no space left on the file system holding ${path.dirname(file)} (0 blocks free); the archive ${file} was left untouched and is used again at the next start after space is freed`);
  }
  if (identity.kind === 'absent') {
    try {
      mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    } catch (err) {
      throw fromOpenError(file, err, `cannot create the directory ${path.dirname(file)} for`);
    }
    // Created by us first so the file is private: final screens can hold anything a program
    // printed. 'wx': never through a symlink or over a file that appeared meanwhile.
    try {
      closeSync(openSync(file, 'wx', 0o600));
    } catch (err) {
      throw fromOpenError(file, err, 'cannot create');
    }
  }
  const ro = readOnlyWhy(file);
  if (ro !== null) throw new ArchiveUnavailableError(ro.includes('permission') ? 'ARCHIVE_NO_ACCESS' : 'ARCHIVE_READ_ONLY', `${ro}; the archive was left untouched`);
  // NOTE: SQLite's last connection to close checkpoints the WAL into the file. If this open
  // fails with a -wal a crash left (a newer schema in it, a disk that fills meanwhile), that
  // checkpoint would rewrite the file we promise to leave untouched; a read-only connection that
  // has read (and so holds its WAL read lock) makes the writer's close not the last, and never
  // checkpoints itself. Without such a -wal there is nothing to fold in, and the writer's close
  // removes the -wal/-shm files this open created.
  let guard: Database.Database | null = null;
  try {
    if (crashed) {
      guard = new Database(file, { readonly: true, fileMustExist: true });
      guard.pragma('user_version', { simple: true });
    }
  } catch {
    guard?.close();
    guard = null;
  }
  let db: Database.Database;
  try {
    db = new Database(file, { fileMustExist: true });
  } catch (err) {
    guard?.close();
    throw fromOpenError(file, err, 'cannot open');
  }
  try {
    // The first problem is enough to decide; all of them would be a line per page.
    const check = String(db.pragma('quick_check(1)', { simple: true }));
    if (check !== 'ok') throw new DamagedStore(`quick_check: ${check.replace(/\*\*\* in database main \*\*\*\s*/, '').replace(/\s*\n\s*/g, '; ')}`);
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > SCHEMA_VERSION) {
      throw new ArchiveUnavailableError('ARCHIVE_TOO_NEW', `the archive ${file} has schema ${version}, newer than this termpool's ${SCHEMA_VERSION}; it was left untouched`);
    }
    db.pragma('journal_mode = WAL');
    // FULL: a session archived at exit survives a power cut too, at one fsync per exit.
    db.pragma('synchronous = FULL');
    db.transaction(() => {
      for (let v = version; v < SCHEMA_VERSION; v++) MIGRATIONS[v]!(db);
      db.pragma(`application_id = ${APPLICATION_ID}`);
      db.pragma(`user_version = ${SCHEMA_VERSION}`);
    })();
    guard?.close();
    return db;
  } catch (err) {
    db.close();
    guard?.close();
    if (err instanceof ArchiveUnavailableError) throw err;
    if (err instanceof DamagedStore || isCorruption(err)) {
      // Moved aside only when the identity check proved the file ours; a blank file that SQLite
      // calls corrupt (it changed since it was looked at) is not touched.
      if (identity.kind === 'termpool') throw err instanceof DamagedStore ? err : new DamagedStore(message(err));
      throw new ArchiveUnavailableError('ARCHIVE_UNIDENTIFIED', `${file} changed while it was being opened and SQLite now finds it damaged (${message(err)}); it was left untouched`);
    }
    throw fromOpenError(file, err, 'cannot write');
  }
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
