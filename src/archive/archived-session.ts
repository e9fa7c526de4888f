/**
 * An archived session: a session whose program ended, kept in the archive store, with no pty and
 * (usually) no pages. It answers the reading half of a Session — description, screen, snapshot,
 * scrollback — from a read-only Terminal that the archive restores on demand and may drop again
 * (src/archive/session-archive.ts owns that cache); everything that needs a program gets 409.
 * Its recording and its shell's command history, when it had them, are read from the store only
 * when asked for (they can be megabytes; the index holds a few numbers about them).
 */
import type { Terminal, ScreenSnapshot, CommandRecord, ShellState } from '../engine/index.js';
import type { CastFormat } from '../cast/index.js';
import type { ShellKind } from '../sessions/shell-integration.js';

/** What an archived recording was (its text is an attachment, read only when downloaded). */
export interface ArchivedRecordingInfo {
  format: CastFormat;
  /** The size cap stopped it (as the live session said). */
  truncated: boolean;
  /** Uncompressed bytes of the cast file. */
  bytes: number;
}

/** An archived recording, read back (checksum verified). */
export interface ArchivedRecording extends ArchivedRecordingInfo {
  /** The cast file, in `format`, title in its header as at exit, gzip-compressed as stored. */
  gzip: Uint8Array;
  /** The cast file decompressed whole (at most `bytes`); throws ARCHIVE_CORRUPT. */
  text(): string;
}

/** The shell integration's command history at exit (GET /commands of an archived session). */
export interface ArchivedCommands {
  commands: CommandRecord[];
  state: ShellState;
  cwd: string | null;
  /** The terminal's firstLine at exit: command lines are absolute, line - firstLine is a scrollback row. */
  firstLine: number;
}

/** The session description as archived (the Session schema minus state and pageCount). */
export interface ArchivedInfo {
  id: string;
  pid: number;
  command: string;
  args: string[];
  cwd: string;
  exitCode: number | null;
  signal: string | null;
  cols: number;
  rows: number;
  scrollback: number;
  scrollbackLength: number;
  title: string;
  bytesParsed: number;
  createdAt: string;
  exitedAt: string;
  /** The shell integration it ran with; absent in rows archived before shell integration existed. */
  shell?: ShellKind | null;
  /** Its recording, when it was recorded (absent in rows archived before recordings were kept). */
  recording?: ArchivedRecordingInfo;
}

/** Reads what was archived beside the terminal (the archive's store; throws ARCHIVE_CORRUPT). */
export interface ArchivedExtras {
  recording(): ArchivedRecording | null;
  commands(): ArchivedCommands | null;
}

export class ArchivedSession {
  readonly state = 'archived' as const;
  readonly running = false;

  constructor(
    readonly info: ArchivedInfo,
    /** Store bytes of its blob (for metrics). */
    readonly bytes: number,
    /** The restored terminal (cached by the archive); throws ARCHIVE_CORRUPT for a damaged one. */
    private readonly load: () => Terminal,
    /** Pages its restored terminal holds right now (0 when not loaded). */
    private readonly loadedPages: () => number,
    private readonly extras: ArchivedExtras = { recording: () => null, commands: () => null },
  ) {}

  get shell(): ShellKind | null { return this.info.shell ?? null; }

  /** Its recording, decompressed; null when it was not recorded. */
  recording(): ArchivedRecording | null { return this.info.recording === undefined ? null : this.extras.recording(); }

  /**
   * Its shell's command history at exit, shaped as a live Terminal's `semantic` and `firstLine`
   * (empty for a session without integration, or archived before histories were kept).
   */
  commands(): { semantic: Omit<ArchivedCommands, 'firstLine'>; firstLine: number } {
    const h = this.shell === null ? null : this.extras.commands();
    if (h === null) return { semantic: { commands: [], state: 'unknown', cwd: null }, firstLine: 0 };
    const { firstLine, ...semantic } = h;
    return { semantic, firstLine };
  }

  get id(): string { return this.info.id; }
  get exitedAt(): Date { return new Date(this.info.exitedAt); }
  get pageCount(): number { return this.loadedPages(); }

  /** Read-only Terminal with the final screen and scrollback. */
  get terminal(): Terminal { return this.load(); }

  screenLines(): string[] { return this.load().screenLines(); }

  snapshot(scrollback = 0): ScreenSnapshot { return this.load().snapshot(scrollback); }
}
