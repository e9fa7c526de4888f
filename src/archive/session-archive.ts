/**
 * The session archive: what keeps an ended session readable after its program, and the server,
 * are gone. Sessions are written to the store (store.ts) when their program exits — including
 * those killed by a SIGTERM/SIGINT shutdown — and, after a restart, come back as ArchivedSessions
 * from the store's index until their retention (TERMPOOL_EXITED_RETENTION_MS from exit) ends,
 * when their rows are deleted.
 *
 * What is archived: the description, the terminal (final screen, scrollback, modes), and, gzip
 * compressed beside it in the same transaction, the recording (as the cast file in the format
 * recorded, already capped by TERMPOOL_RECORDING_MAX_BYTES) and the shell integration's command
 * history. A damaged attachment answers 410 ARCHIVE_CORRUPT for itself; the screen stays readable.
 * A recording over SYNC_RECORDING_BYTES is compressed off the event loop and the session written
 * again with it when done (recording-attachment.ts); `close` finishes any still pending, so a
 * shutdown keeps them (a crash before then loses that recording, not the session).
 *
 * Owns: the index of archived sessions (descriptions only: no pages), the few restored Terminals
 * (an LRU of RESTORED_CACHE, each dropped after RESTORED_IDLE_MS unread, so a thousand archived
 * sessions cost a thousand small descriptions, not a thousand screens of pool pages), expiry
 * timers, and the health report (damaged file moved aside, damaged rows, write failures).
 *
 * Failures never stop the server: without a usable store the archive is `unavailable` (with the
 * reason; the file is left as it was, see archive-file.ts) and sessions simply are not archived;
 * a damaged row is reported by id and answered with 410 ARCHIVE_CORRUPT, never restored. A
 * damaged archive moved aside keeps the archive `degraded` at every start, naming the file,
 * until the operator removes it: the sessions in it are lost to termpool, and a later `ok`
 * would hide that.
 */
import { gunzipSync, gzipSync } from 'node:zlib';
import { z } from 'zod';
import { CAST_FORMATS, type CastWriter } from '../cast/index.js';
import { archiveTerminal, restoreTerminal, type PagePool, type Terminal } from '../engine/index.js';
import type { Config } from '../config.js';
import { ServiceError, archiveCorrupt } from '../errors.js';
import type { Session } from '../sessions/session.js';
import { ArchivedSession, type ArchivedCommands, type ArchivedInfo, type ArchivedRecording } from './archived-session.js';
import { ArchiveUnavailableError, movedAsideFiles, type ArchiveUnavailableCode } from './archive-file.js';
import { ArchiveStore, type Attachment, type AttachmentKind } from './store.js';
import { compressRecording, compressRecordingSync, GZIP_LEVEL, SYNC_RECORDING_BYTES, type CompressedRecording } from './recording-attachment.js';
import { SessionInfo } from '../schemas/sessions.js';

/** What a stored description must look like (the Session schema minus what is not stored,
 *  the recording described by its own small object). */
const StoredInfo = SessionInfo.omit({ state: true, pageCount: true, inputPending: true, recording: true, recordingTruncated: true }).extend({
  exitedAt: SessionInfo.shape.exitedAt.unwrap(),
  recording: z.object({ format: z.enum(CAST_FORMATS), truncated: z.boolean(), bytes: z.number().int().min(0) }).optional(),
});

/** A session archived without its big recording yet: the recording is being compressed. */
interface PendingRecording {
  info: ArchivedInfo;
  exitedAt: number;
  blob: Uint8Array;
  /** Its other attachments (the command history), written again with the recording. */
  others: Attachment[];
  rec: CastWriter;
  title: string | undefined;
}

/** Restored Terminals kept at once (least recently read dropped first). */
export const RESTORED_CACHE = 4;
/** Failures kept for /healthz (older ones are in the log). */
export const RECENT_PROBLEMS = 10;
/** A restored Terminal nobody read for this long gives its pages back. */
export const RESTORED_IDLE_MS = 60_000;

export interface ArchiveLog {
  info(msg: string): void;
  error(msg: string): void;
}

export interface ArchiveHealth {
  /** off: disabled; unavailable: no usable store; degraded: working, with problems below. */
  status: 'ok' | 'degraded' | 'off' | 'unavailable';
  sessions: number;
  damagedSessions: number;
  /** Only when unavailable: why, as a code (the problem text has the details and the path). */
  code?: ArchiveUnavailableCode;
  problems: string[];
}

export class SessionArchive {
  private store: ArchiveStore | null = null;
  private readonly entries = new Map<string, ArchivedSession>();
  /** id → why it cannot be served. */
  private readonly damaged = new Map<string, string>();
  /** Restored terminals in least-recently-read order (Map iteration order). */
  private readonly restored = new Map<string, { terminal: Terminal; timer: NodeJS.Timeout }>();
  private readonly expiry = new Map<string, NodeJS.Timeout>();
  /** What the start found that holds until the next start (no store, a moved-aside file):
   *  always listed, however many failures come after. */
  private readonly standing: string[] = [];
  /** Failures since the start, the latest RECENT_PROBLEMS only. */
  private readonly recent: string[] = [];
  private readonly enabled: boolean;
  /** Why there is no store, when the archive is on but unavailable. */
  private unavailable: ArchiveUnavailableCode | null = null;
  private closed = false;
  /** Recordings being compressed off the event loop, by session id (recording-attachment.ts). */
  private readonly pending = new Map<string, PendingRecording>();

  constructor(private readonly config: Config, private readonly pool: PagePool, private readonly log: ArchiveLog) {
    this.enabled = config.archivePath !== null;
    if (config.archivePath === null) return;
    try {
      this.store = new ArchiveStore(config.archivePath);
    } catch (err) {
      this.unavailable = err instanceof ArchiveUnavailableError ? err.code : 'ARCHIVE_IO';
      this.report(`the archive is unavailable: ${message(err)}; sessions will not be kept across restarts until this is fixed and the server restarted`, true);
    }
    if (this.store?.movedAside != null) this.log.error(`archive: ${config.archivePath} was damaged and moved to ${this.store.movedAside}`);
    for (const p of this.store?.problems ?? []) this.report(p, true);
    for (const f of movedAsideFiles(config.archivePath)) {
      if (f === this.store?.movedAside) continue;
      this.report(`a damaged archive was moved aside to ${f} by an earlier start; the sessions in it are not served. Delete it (or move it out of that directory) to clear this`, true);
    }
    if (this.store !== null) {
      try {
        this.loadIndex();
      } catch (err) {
        // The server starts regardless (the registry plugin builds this): reading the rows failed
        // after the file passed its checks, so it is left as it is and the archive is off.
        this.entries.clear();
        this.damaged.clear();
        for (const t of this.expiry.values()) clearTimeout(t);
        this.expiry.clear();
        this.store.close();
        this.store = null;
        this.unavailable = 'ARCHIVE_IO';
        this.report(`the archive is unavailable: its sessions could not be read (${message(err)}); it was left untouched`, true);
      }
    }
  }

  /** Archived sessions (whose program ended in this or an earlier run), damaged ones left out. */
  list(): ArchivedSession[] { return [...this.entries.values()]; }

  get(id: string): ArchivedSession | undefined { return this.entries.get(id); }

  has(id: string): boolean { return this.entries.has(id) || this.damaged.has(id); }

  /** Why `id` cannot be served, when its archived copy is damaged. */
  damage(id: string): string | undefined { return this.damaged.get(id); }

  health(): ArchiveHealth {
    const status = !this.enabled ? 'off' : this.store === null ? 'unavailable'
      : this.standing.length > 0 || this.recent.length > 0 || this.damaged.size > 0 ? 'degraded' : 'ok';
    return {
      status, sessions: this.entries.size, damagedSessions: this.damaged.size,
      ...(status === 'unavailable' && this.unavailable !== null && { code: this.unavailable }),
      problems: [...this.standing, ...this.recent],
    };
  }

  /** Store bytes (0 without a store). */
  sizeBytes(): number {
    try { return this.store?.sizeBytes() ?? 0; } catch { return 0; }
  }

  /**
   * Writes `s` (its program has exited) to the store. Synchronous: when it returns the row is
   * committed, which is what lets shutdown archive every session before the process exits.
   */
  save(s: Session): void {
    if (this.store === null || this.config.exitedRetentionMs === 0) return;
    try {
      // One instant for the row's exited_at (which drives its expiry) and the description's.
      const exited = s.exitedAt ?? new Date();
      const info = archivedInfo(s, exited);
      const blob = archiveTerminal(s.terminal);
      const rec = s.recording;
      const title = s.terminal.title || undefined;
      // A big recording follows once compressed off the event loop (or at close, whichever first).
      const later = rec !== null && rec.size > SYNC_RECORDING_BYTES;
      const attachments = archivedAttachments(s, info, later ? null : rec, title);
      const exitedAt = exited.getTime();
      this.pending.delete(s.id);
      this.store.put(s.id, exitedAt, JSON.stringify(info), blob, attachments);
      this.dropRestored(s.id);
      this.damaged.delete(s.id);
      this.entries.set(s.id, this.entry(info, blob.byteLength + attachments.reduce((n, a) => n + a.data.byteLength, 0)));
      this.scheduleExpiry(s.id, exitedAt);
      if (later) this.compressLater(s.id, { info, exitedAt, blob, others: attachments, rec, title });
    } catch (err) {
      this.report(`session ${s.id} could not be archived: ${message(err)}`);
    }
  }

  /** Compresses `job`'s recording off the loop, then writes the session again with it. */
  private compressLater(id: string, job: PendingRecording): void {
    this.pending.set(id, job);
    compressRecording(job.rec, job.title).then(
      (r) => { if (this.pending.get(id) === job) this.attachRecording(id, job, r); },
      (err: unknown) => {
        if (this.pending.get(id) !== job) return;
        this.pending.delete(id);
        this.report(`session ${id}: its recording could not be archived: ${message(err)}`);
      },
    );
  }

  /** Writes the session again, now with its recording (one transaction, as at exit). */
  private attachRecording(id: string, job: PendingRecording, r: CompressedRecording): void {
    this.pending.delete(id);
    // Deleted (or its retention over) meanwhile: nothing to attach to.
    if (this.store === null || !this.entries.has(id)) return;
    try {
      const info: ArchivedInfo = { ...job.info, recording: { format: job.rec.format, truncated: job.rec.truncated, bytes: r.bytes } };
      const attachments = [...job.others, { kind: 'recording' as const, data: r.data }];
      this.store.put(id, job.exitedAt, JSON.stringify(info), job.blob, attachments);
      this.entries.set(id, this.entry(info, job.blob.byteLength + attachments.reduce((n, a) => n + a.data.byteLength, 0)));
    } catch (err) {
      this.report(`session ${id}: its recording could not be archived: ${message(err)}`);
    }
  }

  /** Deletes `id` from the store and memory; true if there was anything. */
  delete(id: string): boolean {
    this.pending.delete(id);
    const had = this.has(id);
    this.entries.delete(id);
    this.damaged.delete(id);
    this.dropRestored(id);
    const t = this.expiry.get(id);
    if (t) { clearTimeout(t); this.expiry.delete(id); }
    try {
      return (this.store?.delete(id) ?? false) || had;
    } catch (err) {
      this.report(`archived session ${id} could not be deleted: ${message(err)}`);
      return had;
    }
  }

  /** Gives back restored pages, stops timers and closes the store (after the last save). */
  close(): void {
    // Recordings still being compressed are finished here, synchronously: shutdown keeps them.
    for (const [id, job] of [...this.pending]) {
      try {
        this.attachRecording(id, job, compressRecordingSync(job.rec, job.title));
      } catch (err) {
        this.report(`session ${id}: its recording could not be archived: ${message(err)}`);
      }
    }
    this.pending.clear();
    this.closed = true;
    for (const id of [...this.restored.keys()]) this.dropRestored(id);
    for (const t of this.expiry.values()) clearTimeout(t);
    this.expiry.clear();
    this.store?.close();
  }

  // ------------------------------------------------------------------ internals

  private loadIndex(): void {
    const store = this.store!;
    const now = Date.now();
    const { rows, damaged } = store.load();
    let expired = 0;
    for (const r of rows) {
      if (r.exitedAt + this.config.exitedRetentionMs <= now) {
        try {
          store.delete(r.id);
          expired++;
        } catch (err) {
          this.report(`expired archived session ${r.id} could not be deleted: ${message(err)}`);
        }
        continue;
      }
      let info: ArchivedInfo;
      try {
        const parsed = StoredInfo.safeParse(JSON.parse(r.info));
        if (!parsed.success || parsed.data.id !== r.id) throw new Error('not a session description');
        info = parsed.data as ArchivedInfo;
      } catch (err) {
        this.markDamaged(r.id, `its description cannot be read (${message(err)})`, now);
        continue;
      }
      this.entries.set(r.id, this.entry(info, r.bytes));
      this.scheduleExpiry(r.id, r.exitedAt);
    }
    // A damaged row's own exit time cannot be trusted: it goes when a retention from now ends.
    for (const d of damaged) this.markDamaged(d.id, d.reason, now);
    if (rows.length > 0 || damaged.length > 0) {
      this.log.info(`archive: ${this.entries.size} archived sessions loaded, ${this.damaged.size} damaged, ${expired} expired and deleted`);
    }
  }

  private entry(info: ArchivedInfo, bytes: number): ArchivedSession {
    return new ArchivedSession(info, bytes, () => this.restore(info.id), () => this.restored.get(info.id)?.terminal.pageCount ?? 0, {
      recording: () => this.readRecording(info),
      commands: () => this.readCommands(info.id),
    });
  }

  /** The recording of `info`'s session as stored; decompressed on demand, to at most the size it was stored with. */
  private readRecording(info: ArchivedInfo): ArchivedRecording | null {
    const r = info.recording;
    if (r === undefined) return null;
    const gzip = this.attachment(info.id, 'recording');
    if (gzip === null) return null;
    return { ...r, gzip, text: () => this.inflate(info.id, 'recording', gzip, r.bytes) };
  }

  private readCommands(id: string): ArchivedCommands | null {
    // 1,000 commands of at most 4 KiB typed text each, with their numbers: well under 16 MiB.
    const text = this.attachmentText(id, 'commands', 16 << 20);
    if (text === null) return null;
    try {
      const h = JSON.parse(text) as ArchivedCommands;
      if (!Array.isArray(h.commands) || typeof h.firstLine !== 'number') throw new Error('not a command history');
      return h;
    } catch (err) {
      this.report(`archived session ${id}: its command history cannot be read (${message(err)})`);
      throw archiveCorrupt(id, `its command history cannot be read (${message(err)})`);
    }
  }

  /** An attachment as text; null when the session has none. Throws 410 ARCHIVE_CORRUPT / 503. */
  private attachmentText(id: string, kind: AttachmentKind, maxBytes: number): string | null {
    const data = this.attachment(id, kind);
    return data === null ? null : this.inflate(id, kind, data, maxBytes);
  }

  /** An attachment's stored (compressed) bytes, checksum verified; null when there is none. */
  private attachment(id: string, kind: AttachmentKind): Uint8Array | null {
    if (this.closed) throw new ServiceError('SHUTTING_DOWN', 'the server is shutting down; the archive is closed');
    if (this.store === null) return null;
    try {
      return this.store.attachment(id, kind);
    } catch (err) {
      this.report(`archived session ${id}: its ${kind} cannot be read (${message(err)})`);
      throw archiveCorrupt(id, `its ${kind} cannot be read (${message(err)})`);
    }
  }

  private inflate(id: string, kind: AttachmentKind, data: Uint8Array, maxBytes: number): string {
    try {
      // Bounded: a damaged or forged row cannot inflate past what was stored.
      return gunzipSync(data, { maxOutputLength: Math.max(1024, maxBytes) }).toString('utf8');
    } catch (err) {
      this.report(`archived session ${id}: its ${kind} cannot be read (${message(err)})`);
      throw archiveCorrupt(id, `its ${kind} cannot be read (${message(err)})`);
    }
  }

  private restore(id: string): Terminal {
    const hit = this.restored.get(id);
    if (hit !== undefined) {
      // Most recently read goes last.
      this.restored.delete(id);
      this.restored.set(id, hit);
      hit.timer.refresh();
      return hit.terminal;
    }
    const why = this.damaged.get(id);
    if (why !== undefined) throw archiveCorrupt(id, why);
    if (this.closed) throw new ServiceError('SHUTTING_DOWN', 'the server is shutting down; the archive is closed');
    let terminal: Terminal;
    try {
      const blob = this.store?.blob(id);
      if (blob === null || blob === undefined) throw new Error('its row is missing from the store');
      terminal = restoreTerminal(blob, { pool: this.pool, label: id });
    } catch (err) {
      this.markDamaged(id, message(err), Date.now());
      throw archiveCorrupt(id, message(err));
    }
    const timer = setTimeout(() => this.dropRestored(id), RESTORED_IDLE_MS);
    timer.unref();
    this.restored.set(id, { terminal, timer });
    while (this.restored.size > RESTORED_CACHE) this.dropRestored(this.restored.keys().next().value!);
    return terminal;
  }

  private dropRestored(id: string): void {
    const r = this.restored.get(id);
    if (r === undefined) return;
    this.restored.delete(id);
    clearTimeout(r.timer);
    r.terminal.dispose();
  }

  private markDamaged(id: string, reason: string, from: number): void {
    this.entries.delete(id);
    this.dropRestored(id);
    this.damaged.set(id, reason);
    this.log.error(`archive: archived session ${id} is damaged (${reason}); it will not be served`);
    this.scheduleExpiry(id, from);
  }

  private scheduleExpiry(id: string, exitedAt: number): void {
    const old = this.expiry.get(id);
    if (old) clearTimeout(old);
    const t = setTimeout(() => {
      this.expiry.delete(id);
      this.delete(id);
    }, Math.max(0, exitedAt + this.config.exitedRetentionMs - Date.now()));
    t.unref();
    this.expiry.set(id, t);
  }

  private report(problem: string, standing = false): void {
    if (standing) {
      this.standing.push(problem);
    } else {
      this.recent.push(problem);
      if (this.recent.length > RECENT_PROBLEMS) this.recent.shift();
    }
    this.log.error(`archive: ${problem}`);
  }
}

/**
 * The recording `rec` (the cast file as recorded, with the title at exit; null: none, or one
 * compressed later) and the shell's command history, compressed; `info.recording` is set to
 * describe the recording.
 */
function archivedAttachments(s: Session, info: ArchivedInfo, rec: CastWriter | null, title: string | undefined): Attachment[] {
  const out: Attachment[] = [];
  if (rec !== null) {
    const r = compressRecordingSync(rec, title);
    info.recording = { format: rec.format, truncated: rec.truncated, bytes: r.bytes };
    out.push({ kind: 'recording', data: r.data });
  }
  if (s.shell !== null) {
    const t = s.terminal;
    const sp = t.semantic;
    const h: ArchivedCommands = { commands: sp.commands, state: sp.state, cwd: sp.cwd, firstLine: t.firstLine };
    out.push({ kind: 'commands', data: gzipSync(JSON.stringify(h), { level: GZIP_LEVEL }) });
  }
  return out;
}

/** What an archived session says about itself (the live description at exit). */
function archivedInfo(s: Session, exited: Date): ArchivedInfo {
  const t = s.terminal;
  return {
    id: s.id,
    pid: s.pid,
    command: s.spec.command,
    args: s.spec.args,
    cwd: s.spec.cwd,
    exitCode: s.exitCode,
    signal: s.signal,
    cols: t.cols,
    rows: t.rows,
    scrollback: s.spec.scrollback,
    scrollbackLength: t.scrollbackLength,
    title: t.title,
    bytesParsed: t.bytesParsed,
    createdAt: s.createdAt.toISOString(),
    exitedAt: exited.toISOString(),
    shell: s.shell,
  };
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
