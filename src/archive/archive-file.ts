/**
 * The file at the archive path, before the store opens it for writing: whose it is, whether it
 * can be used, and what to do with it when it is damaged.
 *
 * Owns: termpool's mark (`PRAGMA application_id` = APPLICATION_ID, 'TPAR'), the identity check,
 * the translation of open failures into reasons an operator can act on, moving a damaged
 * archive aside, and finding archives moved aside by earlier runs.
 *
 * The rule: never move aside anything we cannot prove is ours and damaged. Moving a file aside
 * and starting empty is right for a termpool archive SQLite itself calls corrupt; for anything
 * else it loses the user's data silently (a full disk, a file the server may not write, a
 * directory, another program's database, a text file: each used to be renamed `.corrupt-…` and
 * replaced, and after the disk was freed the next start said `ok` with 0 sessions). So:
 *
 *  - proof of ours: our application_id (read through SQLite, or at offset 68 of the header when
 *    SQLite cannot read the file), or — for archives made before the mark — application_id 0
 *    with exactly the original table (its CREATE statement, whitespace aside) at user_version 1;
 *  - proof of damage: SQLITE_CORRUPT / SQLITE_NOTADB or a failed `quick_check`, never an I/O,
 *    permission, space or lock error (those say nothing about the bytes);
 *  - nothing to lose: a 0-byte file, or an SQLite database with no schema at all and
 *    application_id 0 (what a crash during the first start leaves), is adopted;
 *  - everything else is left byte for byte as it was, and the archive is `unavailable` with an
 *    ArchiveUnavailableError saying why, until the operator fixes it and restarts.
 *
 * The identity check reads the 100-byte header itself first: a file whose header carries another
 * program's application_id is refused without SQLite ever opening it (SQLite may create -wal/-shm
 * files beside a database it opens). Files with application_id 0 in the header are then opened
 * read-only, because a WAL not yet checkpointed can hold a newer first page than the file does.
 */
import Database from 'better-sqlite3';
import { accessSync, closeSync, constants, existsSync, openSync, readdirSync, readSync, renameSync, statfsSync, statSync } from 'node:fs';
import path from 'node:path';

/** `PRAGMA application_id` of a termpool archive: ASCII 'TPAR' (big-endian, as SQLite stores it). */
export const APPLICATION_ID = 0x54504152;

/** Why the archive cannot be used; the file is left untouched in every case. */
export type ArchiveUnavailableCode =
  /** A valid SQLite database that is not a termpool archive. */
  | 'ARCHIVE_FOREIGN'
  /** Not an SQLite database (a text file, zeros, ...). */
  | 'ARCHIVE_NOT_SQLITE'
  /** An SQLite database SQLite cannot read, without termpool's mark: maybe ours, maybe not. */
  | 'ARCHIVE_UNIDENTIFIED'
  /** The path is a directory (or a socket, a device, ...). */
  | 'ARCHIVE_NOT_A_FILE'
  /** Permission denied (another owner, mode bits). */
  | 'ARCHIVE_NO_ACCESS'
  /** Read-only file system, immutable file (`chattr +i`), or SQLite says read-only. */
  | 'ARCHIVE_READ_ONLY'
  /** No space left on the archive's file system. */
  | 'ARCHIVE_NO_SPACE'
  /** Written by a newer termpool (schema version above ours). */
  | 'ARCHIVE_TOO_NEW'
  /** Any other I/O error. */
  | 'ARCHIVE_IO';

export class ArchiveUnavailableError extends Error {
  override readonly name = 'ArchiveUnavailableError';
  constructor(readonly code: ArchiveUnavailableCode, message: string) {
    super(message);
  }
}

/** What the identity check found at the archive path (anything else throws ArchiveUnavailableError). */
export type ArchiveIdentity =
  /** Nothing there yet. */
  | { kind: 'absent' }
  /** A 0-byte file or an empty SQLite database without a mark: nothing to lose, adopted. */
  | { kind: 'blank' }
  /** A termpool archive (legacy: made before the mark, stamped when opened for writing). */
  | { kind: 'termpool'; legacy: boolean }
  /** Our mark in the header, but SQLite cannot read the file: ours, and damaged. */
  | { kind: 'damaged'; reason: string };

const SQLITE_MAGIC = Buffer.from('SQLite format 3\0', 'latin1');

/**
 * Identifies what is at `file` without writing anything to it. `legacySchema(sql)` says whether
 * an unmarked database's only table (its CREATE statement) is termpool's original one.
 */
export function identifyArchive(file: string, legacySchema: (tableSql: string, userVersion: number) => boolean): ArchiveIdentity {
  let size: number;
  try {
    const st = statSync(file);
    if (!st.isFile()) {
      throw new ArchiveUnavailableError('ARCHIVE_NOT_A_FILE', `${file} is ${st.isDirectory() ? 'a directory' : 'not a regular file'}, not an archive file; it was left as it is`);
    }
    size = st.size;
  } catch (err) {
    if (err instanceof ArchiveUnavailableError) throw err;
    // ENOTDIR: a path component is a file; creating the directory says so more plainly.
    if (errnoOf(err) === 'ENOENT' || errnoOf(err) === 'ENOTDIR') return { kind: 'absent' };
    throw fromOpenError(file, err, 'cannot look at');
  }
  // A 0-byte file is blank unless a WAL beside it holds pages (a crash before the first
  // checkpoint): then SQLite's view decides, below.
  let walBytes = 0;
  try { walBytes = statSync(`${file}-wal`).size; } catch { /* no WAL */ }
  if (size === 0 && walBytes === 0) return { kind: 'blank' };

  let headerId = 0;
  if (size > 0) {
    const head = Buffer.alloc(100);
    let got: number;
    try {
      const fd = openSync(file, 'r');
      try { got = readSync(fd, head, 0, 100, 0); } finally { closeSync(fd); }
    } catch (err) {
      throw fromOpenError(file, err, 'cannot read');
    }
    if (got < 100 || !head.subarray(0, 16).equals(SQLITE_MAGIC)) {
      throw new ArchiveUnavailableError('ARCHIVE_NOT_SQLITE', `not a termpool archive: ${file} is not an SQLite database (${size} bytes without the SQLite header); it was left untouched`);
    }
    headerId = head.readUInt32BE(68);
    if (headerId !== 0 && headerId !== APPLICATION_ID) throw foreign(file, headerId, null);
  }

  let db: Database.Database | undefined;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
    const appId = (db.pragma('application_id', { simple: true }) as number) >>> 0;
    if (appId === APPLICATION_ID) return { kind: 'termpool', legacy: false };
    const tables = db.prepare<[], { type: string; name: string; sql: string | null }>(
      "SELECT type, name, sql FROM sqlite_schema WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name",
    ).all();
    const userVersion = db.pragma('user_version', { simple: true }) as number;
    if (appId === 0 && tables.length === 0 && userVersion === 0) return { kind: 'blank' };
    if (appId === 0 && tables.length === 1 && tables[0]!.type === 'table' && legacySchema(tables[0]!.sql ?? '', userVersion)) {
      return { kind: 'termpool', legacy: true };
    }
    throw foreign(file, appId, tables.map((t) => t.name));
  } catch (err) {
    if (err instanceof ArchiveUnavailableError) throw err;
    if (isCorruption(err)) {
      if (headerId === APPLICATION_ID) return { kind: 'damaged', reason: message(err) };
      throw new ArchiveUnavailableError('ARCHIVE_UNIDENTIFIED', `${file} looks like an SQLite database but SQLite cannot read it (${message(err)}), and it does not carry termpool's application_id, so it cannot be told apart from another program's damaged database; it was left untouched`);
    }
    throw fromOpenError(file, err, 'cannot open');
  } finally {
    db?.close();
  }
}

/** True for errors that say the bytes are bad (as opposed to the disk, permissions or locks). */
export function isCorruption(err: unknown): boolean {
  const code = sqliteCode(err);
  return code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB';
}

/**
 * An open or write failure that is not corruption, as an ArchiveUnavailableError with the cause
 * an operator can act on. SQLite hides the errno behind SQLITE_CANTOPEN / SQLITE_IOERR_* (a full
 * disk shows up as SQLITE_IOERR_SHMSIZE when the -shm file cannot be sized), so the file, its
 * directory and the file system are probed again to say which.
 */
export function fromOpenError(file: string, err: unknown, doing: string): ArchiveUnavailableError {
  if (err instanceof ArchiveUnavailableError) return err;
  const dir = path.dirname(file);
  const what = `${doing} ${file}: ${message(err)}`;
  const errno = errnoOf(err);
  const code = sqliteCode(err);
  const full = (): ArchiveUnavailableError => new ArchiveUnavailableError('ARCHIVE_NO_SPACE',
    `no space left on the file system holding ${dir} (${what}); the archive was left untouched and is used again at the next start after space is freed`);
  if (errno === 'ENOSPC' || code === 'SQLITE_FULL') return full();
  if (errno === 'EISDIR') return new ArchiveUnavailableError('ARCHIVE_NOT_A_FILE', `${file} is a directory, not an archive file; it was left as it is`);
  if (errno === 'EROFS' || errno === 'EPERM' || code.startsWith('SQLITE_READONLY')) {
    return new ArchiveUnavailableError('ARCHIVE_READ_ONLY', `${readOnlyWhy(file) ?? `${file} cannot be written`} (${what}); the archive was left untouched`);
  }
  if (errno === 'EACCES') return new ArchiveUnavailableError('ARCHIVE_NO_ACCESS', `permission denied (${what}); the archive was left untouched`);
  if (code.startsWith('SQLITE_CANTOPEN') || code.startsWith('SQLITE_IOERR') || code.startsWith('SQLITE_PERM') || code.startsWith('SQLITE_AUTH')) {
    const ro = readOnlyWhy(file);
    if (ro !== null) return new ArchiveUnavailableError(ro.includes('permission') ? 'ARCHIVE_NO_ACCESS' : 'ARCHIVE_READ_ONLY', `${ro} (${what}); the archive was left untouched`);
    if (noSpaceLeft(dir)) return full();
  }
  return new ArchiveUnavailableError('ARCHIVE_IO', `${what}; the archive was left untouched`);
}

/**
 * Why `file` (or its directory, where SQLite keeps the -wal and -shm files) cannot be written,
 * or null when both can. Root passes mode bits, but not a read-only mount or `chattr +i`.
 */
export function readOnlyWhy(file: string): string | null {
  const dir = path.dirname(file);
  for (const [p, mode, name] of [[file, constants.R_OK, 'read'], [file, constants.W_OK, 'written'], [dir, constants.W_OK, 'written (its -wal and -shm files live there)']] as const) {
    if (p === file && !existsSync(file)) continue;
    try {
      accessSync(p, mode);
    } catch (err) {
      const e = errnoOf(err);
      const label = p === dir ? `the archive's directory ${dir}` : file;
      if (e === 'EROFS') return `${label} is on a read-only file system`;
      if (e === 'EPERM') return `${label} cannot be ${name}: it is immutable (chattr +i)`;
      if (e === 'EACCES') return `${label} cannot be ${name}: permission denied`;
      if (e === 'ENOENT' || e === 'ENOTDIR') continue;
      return `${label} cannot be ${name}: ${message(err)}`;
    }
  }
  return null;
}

/**
 * Renames `file` and its -wal/-shm to `<file>.corrupt-<time>` (kept for inspection, never
 * deleted by termpool) and returns the new name. Only for a file proven ours and damaged.
 */
export function moveAside(file: string): string {
  const aside = `${file}.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}`;
  for (const suffix of ['', '-wal', '-shm']) {
    if (existsSync(file + suffix)) renameSync(file + suffix, aside + suffix);
  }
  return aside;
}

/**
 * Damaged archives moved aside by this or an earlier run (`<file>.corrupt-*` beside it, their
 * -wal/-shm not counted), oldest first. They are reported until the operator removes them, so
 * a start after a recovery does not look like a clean `ok` with nothing lost.
 */
export function movedAsideFiles(file: string): string[] {
  const prefix = `${path.basename(file)}.corrupt-`;
  try {
    return readdirSync(path.dirname(file))
      .filter((n) => n.startsWith(prefix) && !/-(wal|shm)$/.test(n))
      .sort()
      .map((n) => path.join(path.dirname(file), n));
  } catch {
    return [];
  }
}

function foreign(file: string, appId: number, tables: string[] | null): ArchiveUnavailableError {
  const t = tables === null ? '' : tables.length === 0 ? ' and no tables' : ` and tables ${tables.join(', ')}`;
  return new ArchiveUnavailableError('ARCHIVE_FOREIGN',
    `not a termpool archive: ${file} is an SQLite database with application_id ${hex(appId)}${t} (a termpool archive has ${hex(APPLICATION_ID)}); it was left untouched`);
}

/** Whether the file system holding `dir` has no block left for an unprivileged writer. */
export function noSpaceLeft(dir: string): boolean {
  try {
    const s = statfsSync(dir);
    return s.bavail === 0;
  } catch {
    return false;
  }
}

function hex(n: number): string {
  return `0x${(n >>> 0).toString(16).padStart(8, '0')}`;
}

function sqliteCode(err: unknown): string {
  const c = (err as { code?: unknown } | null)?.code;
  return typeof c === 'string' && c.startsWith('SQLITE_') ? c : '';
}

function errnoOf(err: unknown): string {
  const c = (err as { code?: unknown } | null)?.code;
  return typeof c === 'string' && !c.startsWith('SQLITE_') ? c : '';
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
