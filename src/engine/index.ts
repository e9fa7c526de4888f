/**
 * The engine's only public surface. Nothing outside src/engine imports deeper than this.
 */
import { scrollbackLines, screenLines, snapshot } from './format/text.js';
import { Terminal as TerminalCore, type TerminalOptions } from './terminal/terminal.js';
import type { ScreenSnapshot } from './terminal/snapshot.js';
import { auditOwner, type OwnerAudit } from './pool/leak-audit.js';
import { assertPageIntegrity } from './page/integrity.js';
import { applyTerminal, decodeTerminal, encodeTerminal } from './archive/terminal-codec.js';
import type { PagePool } from './pool/page-pool.js';
import type { CommandRecord } from './terminal/semantic-prompt.js';
import { textBetween, type RangeText } from './format/range-text.js';
import { historyFind, type HistoryHit } from './format/history-find.js';

export { PagePool, defaultPool, type PoolStats, type PoolOptions } from './pool/page-pool.js';
export { auditPool, auditOwner, type AuditReport, type OwnerAudit } from './pool/leak-audit.js';
export { STANDARD_PAGE_BYTES } from './page/capacity.js';
export type { ScreenSnapshot, CellJson, LineJson, StyleJson, CursorJson, ModesJson } from './terminal/snapshot.js';
export type { TerminalOptions } from './terminal/terminal.js';
export { MAX_COLS, MAX_ROWS } from './terminal/terminal.js';
export { paletteRgb } from './terminal/palette.js';
export { TerminalCodecError } from './archive/terminal-codec.js';
export { SnapshotReader } from './format/snapshot-reader.js';
export { MAX_KEPT_COMMANDS, type CommandRecord, type CommandEvent, type ShellState } from './terminal/semantic-prompt.js';
export type { LinePoint, RangeText } from './format/range-text.js';
export type { HistoryHit } from './format/history-find.js';
export { cellAt, screenLinesUntrimmed, type CellRead } from './format/cell-at.js';
// The parser alone (no terminal): tools that tokenise a byte stream, e.g. attach's output filter.
export { Parser } from './parser/parser.js';
export type { ParserHandler, ParamsView } from './parser/parser-handler.js';

/** A terminal with text/snapshot accessors. */
export class Terminal extends TerminalCore {
  constructor(opts: TerminalOptions) {
    super(opts);
  }

  /** Visible screen: exactly `rows` lines, right-trimmed. */
  screenLines(): string[] { return screenLines(this); }

  /** JSON snapshot: cells with styles, cursor, title, modes; `scrollback` lines above the screen. */
  snapshot(scrollback = 0): ScreenSnapshot { return snapshot(this, scrollback); }

  /** Primary-screen scrollback lines [start, start+count), 0 = oldest kept. */
  scrollbackLines(start: number, count: number): string[] {
    return scrollbackLines(this.primary.list, start, count);
  }

  /**
   * The lines among scrollback lines [start, start+count) whose text contains `query`, at their
   * first match (`index` from `start`): what `scrollbackLines(...)[i].indexOf(query)` finds, with
   * compressed pages mostly left unconverted (format/history-find.ts).
   */
  scrollbackFind(start: number, count: number, query: string): HistoryHit[] {
    const list = this.primary.list;
    const from = Math.max(0, Math.min(start, list.scrollbackRows));
    const to = Math.max(from, Math.min(list.scrollbackRows, from + Math.max(0, count)));
    const hits = historyFind(list, from, to, query);
    if (from !== start) for (const h of hits) h.index += from - start;
    return hits;
  }

  /**
   * Where the primary scrollback's history ends, in a numbering that pruning does not shift:
   * it grows by one for each line that scrolls into the scrollback, so the lines that came in
   * since an earlier reading `e` are the last `min(scrollbackEnd - e, scrollbackLength)`. A
   * reflow (column change) or a reset (RIS) moves it past everything before, so every line
   * kept then counts as new; rows pulled back onto a taller screen move it back.
   */
  get scrollbackEnd(): number { return this.primary.list.historyEnd; }

  /**
   * The absolute number of the oldest kept scrollback line (GET /scrollback's line 0): shell
   * integration's line numbers (CommandRecord) minus this are scrollback indexes, and from
   * `scrollbackLength` on screen rows.
   */
  get firstLine(): number { return this.primary.list.droppedRows; }

  /**
   * What command `c` printed: the logical lines between its C and D marks (up to the primary
   * cursor while it runs), the last `maxLines` of them (format/range-text.ts).
   */
  commandOutput(c: CommandRecord, maxLines: number): RangeText {
    const p = this.primary;
    const end = c.outputEnd ?? { line: p.list.historyEnd + p.cursor.y, col: p.cursor.x };
    return textBetween(p.list, c.outputStart, end, maxLines);
  }

  /**
   * Compress the primary screen's cold scrollback pages (see PageList.compressCold). Call it
   * when the terminal has gone quiet; it is never done on the write path. `all`: every page above
   * the screen whatever its age (between reads only: no page of a read in progress is held).
   * Returns how many pages it compressed.
   */
  compressColdPages(opts: { all?: boolean } = {}): number {
    const list = this.primary.list;
    const before = list.compressedCount();
    // `all` (between reads): each screen's rows onto a small page first (PageList.compactScreen),
    // so the pages they sat in hold only history and compress with the rest.
    if (opts.all === true) {
      list.compactScreen();
      this.alt?.list.compactScreen();
    }
    list.compressCold(opts.all === true);
    return list.compressedCount() - before;
  }

  /** Pages this terminal holds (both screens). */
  get pageCount(): number {
    return this.primary.list.pages.length + (this.alt?.list.pages.length ?? 0);
  }

  /** Independently audited figures for this terminal. */
  audit(): OwnerAudit { return auditOwner(this.pool, this.label); }

  /** Integrity check for tests and TERMPOOL_SLOW_CHECKS. */
  assertIntegrity(): void {
    for (const s of [this.primary, this.alt]) {
      if (s === null) continue;
      s.list.assertIntegrity();
      if (s.list.cols !== this.cols || s.list.rows !== this.rows) throw new Error(`screen ${s.list.cols}x${s.list.rows} != terminal ${this.cols}x${this.rows}`);
      s.list.forEachPage(assertPageIntegrity);
    }
    const c = this.cursor;
    if (c.x < 0 || c.x >= this.cols || c.y < 0 || c.y >= this.rows) throw new Error(`cursor outside the screen: ${c.x},${c.y}`);
  }
}

/**
 * A terminal's readable state (screens, scrollback, cursor, title, modes, palette) as bytes, with
 * a version, lengths and a crc32 (archive/terminal-codec.ts). The terminal is unchanged.
 */
export function archiveTerminal(t: Terminal): Uint8Array {
  return encodeTerminal(t);
}

/**
 * A read-only Terminal restored from `archiveTerminal` bytes, its pages held through `pool`
 * (restored into pool pages only as reads reach them). Throws TerminalCodecError for a truncated,
 * damaged or foreign blob, having released whatever it took from the pool.
 */
export function restoreTerminal(bytes: Uint8Array, opts: { pool?: PagePool; label?: string } = {}): Terminal {
  const d = decodeTerminal(bytes);
  const m = d.meta;
  const t = new Terminal({ cols: m.cols, rows: m.rows, scrollback: m.maxScrollback, ...opts });
  try {
    applyTerminal(t, d);
  } catch (err) {
    t.dispose();
    throw err;
  }
  return t;
}
