/**
 * An archived session: a session whose program ended, kept in the archive store, with no pty and
 * (usually) no pages. It answers the reading half of a Session — description, screen, snapshot,
 * scrollback — from a read-only Terminal that the archive restores on demand and may drop again
 * (src/archive/session-archive.ts owns that cache); everything that needs a program gets 409.
 */
import type { Terminal, ScreenSnapshot } from '../engine/index.js';
import type { ShellKind } from '../sessions/shell-integration.js';

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
  ) {}

  get id(): string { return this.info.id; }
  get exitedAt(): Date { return new Date(this.info.exitedAt); }
  get pageCount(): number { return this.loadedPages(); }

  /** Read-only Terminal with the final screen and scrollback. */
  get terminal(): Terminal { return this.load(); }

  screenLines(): string[] { return this.load().screenLines(); }

  snapshot(scrollback = 0): ScreenSnapshot { return this.load().snapshot(scrollback); }
}
