/**
 * A snapshot read a piece at a time, for answers too large to build at once (src/render/stream.ts):
 * the same bytes as `snapshot()` (format/text.ts) without its millions of cell objects alive
 * together. `scan` walks the lines into the style and link tables (which a JSON snapshot writes
 * before its lines, so they must be complete first), cheaply: no cell objects, one style lookup
 * per run of cells; then `lines` and `texts` give any range of lines with the same indices as
 * `snapshot()` gives them.
 *
 * NOTE: the terminal must not change while it is read: the server reads a frozen copy
 * (restoreTerminal(archiveTerminal(t))) piece by piece, or a live session's terminal only at once,
 * synchronously (small text and JSON reads, src/render/stream.ts). Compressed pages are read in
 * place (format/lines-json-text.ts, history-text.ts), never restored.
 */
import type { PageList } from '../page/page-list.js';
import type { Terminal } from '../terminal/terminal.js';
import type { LineJson, ScreenSnapshot, StyleJson } from '../terminal/snapshot.js';
import { freezeHistory, type FrozenHistory } from './frozen-history.js';
import { historyTexts, type HistoryNodes } from './history-text.js';
import { ByteSink } from './byte-sink.js';
import { JsonRowsReader } from './lines-json-text.js';
import { linesJson, SnapshotTables, snapshotFrom, snapshotHead } from './text.js';

export class SnapshotReader {
  /** The snapshot's fields before its tables and lines. */
  readonly head: Pick<ScreenSnapshot, 'cols' | 'rows' | 'title' | 'cursor' | 'modes'>;
  /** Lines in the snapshot: the scrollback asked for (as far as it goes) and the screen. */
  readonly lineCount: number;
  /** The terminal's list (`lines` reads it), or null for a frozen read. */
  private readonly list: PageList | null;
  /** What the rows are read from: the list, or a frozen copy of the read's rows. */
  private readonly nodes: HistoryNodes;
  private readonly from: number;
  /** The frozen copy, when the reader has one. */
  readonly frozen: FrozenHistory | null;
  private readonly tables = new SnapshotTables();
  private readonly json: JsonRowsReader;
  private readonly sink = new ByteSink();
  private scanned = 0;

  /**
   * With `freeze`, the rows read are copied now (format/frozen-history.ts): the reader may then be
   * read over several turns of the event loop while the terminal goes on changing, with the
   * answer of this instant. `lines` (cell objects) is not available then.
   */
  constructor(t: Terminal, scrollback: number, freeze = false) {
    const list = t.active.list;
    const from = snapshotFrom(t, scrollback);
    this.lineCount = list.totalRows - from;
    this.head = snapshotHead(t);
    if (freeze) {
      this.frozen = freezeHistory(list, from, list.totalRows);
      this.list = null;
      this.nodes = this.frozen;
      this.from = this.frozen.from;
    } else {
      this.frozen = null;
      this.list = list;
      this.nodes = list;
      this.from = from;
    }
    this.json = new JsonRowsReader(this.nodes, this.tables, freeze);
  }

  /** Cells a reader of `scrollback` lines would read (lines × columns), without making one. */
  static cells(t: Terminal, scrollback: number): number {
    return (t.active.list.totalRows - snapshotFrom(t, scrollback)) * t.cols;
  }

  /** Bytes the reader holds apart from the terminal's own (a frozen copy's arrays, its pages kept decoded). */
  get heldBytes(): number {
    return (this.frozen?.copiedBytes ?? 0) + this.json.keptBytes;
  }

  /** True once `scan` has seen every line: `styles` and `links` are final. */
  get complete(): boolean { return this.scanned === this.lineCount; }

  get styles(): StyleJson[] { return this.tables.styles; }
  get links(): string[] { return this.tables.links; }

  /** Adds the styles and links of up to `maxLines` more lines to the tables; returns `complete`. */
  scan(maxLines: number): boolean {
    const to = Math.min(this.lineCount, this.scanned + Math.max(1, maxLines));
    this.json.scan(this.from + this.scanned, this.from + to);
    this.scanned = to;
    return this.complete;
  }

  /** Lines [a, b) of the snapshot (0 = its first line), as `snapshot().lines.slice(a, b)`. */
  lines(a: number, b: number): LineJson[] {
    if (!this.complete) throw new Error('SnapshotReader.lines before scan completed');
    if (this.list === null) throw new Error('SnapshotReader.lines of a frozen read');
    return linesJson(this.list, this.from + a, this.from + Math.min(b, this.lineCount), this.tables);
  }

  /** Lines [a, b) as JSON text, `lines(a, b).map((l) => JSON.stringify(l)).join(',')` without the objects. */
  linesJsonText(a: number, b: number): string {
    return this.linesJsonBytes(a, b).toString('utf8');
  }

  /**
   * All the lines' JSON bytes in one pass, the tables filled as the lines are written (no `scan`
   * first: the tables are complete when it returns). For a terminal read at once, synchronously:
   * each compressed page is inflated once, not once for the scan and again for the lines.
   */
  allLinesJsonBytes(): Buffer {
    if (this.scanned !== 0) throw new Error('SnapshotReader.allLinesJsonBytes after scan');
    // ~34 bytes a cell of ASCII text: one allocation as a rule.
    const sink = new ByteSink(this.lineCount * (this.head.cols * 34 + 64));
    this.json.write(this.from, this.from + this.lineCount, sink);
    this.scanned = this.lineCount;
    return sink.takeAll();
  }

  /** linesJsonText's UTF-8 bytes, written without the string (what the streamed answer sends). */
  linesJsonBytes(a: number, b: number): Buffer {
    if (!this.complete) throw new Error('SnapshotReader.linesJsonBytes before scan completed');
    this.json.write(this.from + a, this.from + Math.min(b, this.lineCount), this.sink);
    return this.sink.take();
  }

  /** Gives back a chunk `linesJsonBytes` returned once it has been sent (ByteSink.recycle). */
  recycle(chunk: Buffer): void {
    this.sink.recycle(chunk);
  }

  /** The text of lines [a, b), as `snapshot().lines.slice(a, b).map((l) => l.text)`; needs no scan. */
  texts(a: number, b: number): string[] {
    return historyTexts(this.nodes, this.from + a, this.from + Math.min(b, this.lineCount));
  }
}
