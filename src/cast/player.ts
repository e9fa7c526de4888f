/**
 * Replays asciicast events into an engine Terminal: output events are written, resize events
 * resize it, up to a moment `at` (seconds; default the end). Input, marker and exit events change
 * nothing on screen (the program's echo is in the output). v2 and v3 alike: the reader gives
 * every event its time from the start.
 *
 * Owns: the Terminal it builds (callers dispose it via `dispose()`) and the size checks against
 * the caller's limits, reported as CastErrors naming the line.
 */
import { Terminal } from '../engine/index.js';
import { CastError, CastReader, parseResize, type CastEvent } from './reader.js';
import { headerSize, type CastHeader } from './header.js';

export interface PlayerOptions {
  /** Override the header's size (the first resize event still applies). */
  cols?: number;
  rows?: number;
  /** Largest size accepted (header, overrides and resize events). */
  maxCols: number;
  maxRows: number;
  /** Stop at this time in seconds (events at exactly `at` are included). Default: play all. */
  at?: number;
  /**
   * Scrollback lines kept while replaying (default 1000): not rendered, but a resize that grows
   * the screen pulls lines back from history, as it did in the live terminal.
   */
  scrollback?: number;
}

export class CastPlayer {
  readonly terminal: Terminal;
  /** Events applied so far. */
  applied = 0;
  /** True once an event after `at` was seen: the caller can stop reading. */
  done = false;
  private readonly at: number;

  constructor(header: CastHeader, private readonly opts: PlayerOptions) {
    const size = headerSize(header);
    const cols = opts.cols ?? size.cols;
    const rows = opts.rows ?? size.rows;
    this.checkSize(cols, rows, 1, 'the header\'s size');
    this.at = opts.at ?? Infinity;
    this.terminal = new Terminal({ cols, rows, scrollback: opts.scrollback ?? 1000 });
  }

  /** Applies one event read from `line`; returns false (and sets `done`) once past `at`. */
  play(e: CastEvent, line: number): boolean {
    if (this.done) return false;
    if (e.time > this.at) {
      this.done = true;
      return false;
    }
    if (e.code === 'o') this.terminal.write(e.data);
    else if (e.code === 'r') {
      const { cols, rows } = parseResize(e.data, line);
      this.checkSize(cols, rows, line, 'resize');
      this.terminal.resize(cols, rows);
    }
    this.applied++;
    return true;
  }

  dispose(): void {
    this.terminal.dispose();
  }

  private checkSize(cols: number, rows: number, line: number, what: string): void {
    const { maxCols, maxRows } = this.opts;
    if (cols < 1 || cols > maxCols || rows < 1 || rows > maxRows) {
      throw new CastError(`${what} ${cols}x${rows} is outside the limits 1..${maxCols} columns, 1..${maxRows} rows`, line);
    }
  }
}

/**
 * Replays a whole cast held in memory into a new player (the caller disposes it), reading line
 * by line so that an error names the exact line. Lines after `at` are not even parsed.
 */
export function playCastText(text: string, opts: PlayerOptions): CastPlayer {
  const reader = new CastReader();
  let player: CastPlayer | null = null;
  try {
    let start = 0;
    while (start <= text.length) {
      let end = text.indexOf('\n', start);
      if (end < 0) end = text.length;
      const raw = text.slice(start, end);
      start = end + 1;
      const e = reader.read(raw.endsWith('\r') ? raw.slice(0, -1) : raw);
      if (player === null && reader.header !== null) player = new CastPlayer(reader.header, opts);
      if (e && player && !player.play(e, reader.line)) break;
    }
    const header = reader.finish();
    return player ?? new CastPlayer(header, opts);
  } catch (err) {
    player?.dispose();
    throw err;
  }
}
