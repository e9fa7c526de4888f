/**
 * A cast's frames for an animation: the recording replayed through the engine (CastPlayer) and
 * the screen snapshotted once per frame interval in which output changed it. Timing as asciinema
 * plays it: a pause longer than the idle-time limit (the option, else the header's
 * idle_time_limit) is cut to the limit, then every time is divided by the speed. `start`/`end`
 * cut the recording in its own seconds (as recorded, as `render --at`): the first frame is the
 * screen at `start`.
 *
 * Coalescing: events are grouped from the first event of a group until 1/fps of output time has
 * passed; one snapshot ends each group, so a frame lasts at least 1/fps. A group that leaves the
 * screen as it was adds no frame (its time goes to the frame before).
 *
 * Owns the frame budget check (maxFrames), done while replaying so a recording of a million
 * tiny writes stops at the limit, before any raster work.
 */
import { CastPlayer, CastReader, type CastHeader } from '../../cast/index.js';
import type { ScreenSnapshot } from '../../engine/index.js';
import { KeyTable, lineKeys, screenKey } from './screen-key.js';

export interface FrameOptions {
  /** Pauses longer than this (seconds) are cut to it; default the header's idle_time_limit, else none. */
  idleTimeLimit?: number;
  /** Playback speed factor (default 1). */
  speed?: number;
  /** Recording seconds to start and end at (default: the whole recording). */
  start?: number;
  end?: number;
  /** Frames per second at most (default 10). */
  fps?: number;
  /** Draw the cursor (default true): a cursor move alone is a new frame. */
  cursor?: boolean;
  /** How long the last frame is shown, seconds (default 3, as agg). */
  lastFrame?: number;
  /** Override the header's size (as render --cols/--rows). */
  cols?: number;
  rows?: number;
  maxCols: number;
  maxRows: number;
  /** Frames at most; past it FrameBudgetError. */
  maxFrames: number;
}

export interface Frame {
  /** Output seconds from the first frame. */
  time: number;
  /** How long it is shown, seconds. */
  duration: number;
  snap: ScreenSnapshot;
  /** Per-line keys (screen-key.ts), numbers from one KeyTable for the whole animation. */
  lines: number[];
}

/** More frames than the budget allows (the caller maps it to 422). */
export class FrameBudgetError extends RangeError {
  override readonly name = 'FrameBudgetError';
  constructor(readonly limit: number) {
    super(`the animation has more than ${limit} frames: ask for a part of it (start=, end=), fewer frames per second (fps=), a shorter idle-time limit or a higher speed`);
  }
}

export const DEFAULT_FPS = 10;
export const DEFAULT_LAST_FRAME = 3;

export function castFrames(text: string, opts: FrameOptions): Frame[] {
  const reader = new CastReader();
  const speed = opts.speed ?? 1;
  const interval = 1 / (opts.fps ?? DEFAULT_FPS);
  const start = opts.start ?? 0;
  const end = opts.end ?? Infinity;
  const cursor = opts.cursor ?? true;
  const frames: Frame[] = [];
  const table = new KeyTable();
  const playerOpts = {
    maxCols: opts.maxCols, maxRows: opts.maxRows,
    ...(opts.cols !== undefined && { cols: opts.cols }), ...(opts.rows !== undefined && { rows: opts.rows }),
  };
  let player: CastPlayer | null = null;
  let limit = Infinity;
  let prevTime = 0; // recording time of the previous event
  let outTime = 0; // output time of the previous event (idle limit and speed applied)
  let groupStart = -1; // output time of the pending group's first event (-1: none pending)
  let lastKey = '';
  let header: CastHeader | null = null;

  const snapshot = (time: number): void => {
    const snap = player!.terminal.snapshot(0);
    const lines = lineKeys(snap, cursor, table);
    const key = screenKey(snap, lines);
    if (key === lastKey) return;
    lastKey = key;
    if (frames.length >= opts.maxFrames) throw new FrameBudgetError(opts.maxFrames);
    frames.push({ time, duration: 0, snap, lines });
  };

  try {
    let from = 0;
    while (from <= text.length) {
      let nl = text.indexOf('\n', from);
      if (nl < 0) nl = text.length;
      const raw = text.slice(from, nl);
      from = nl + 1;
      const e = reader.read(raw.endsWith('\r') ? raw.slice(0, -1) : raw);
      if (header === null && reader.header !== null) {
        header = reader.header;
        player = new CastPlayer(header, playerOpts);
        limit = opts.idleTimeLimit ?? header.idle_time_limit ?? Infinity;
      }
      if (e === null || player === null) continue;
      if (e.time > end) break;
      if (e.code !== 'o' && e.code !== 'r') continue;
      if (e.time <= start) {
        // Before the cut: applied, shown as the first frame.
        player.play(e, reader.line);
        prevTime = e.time;
        continue;
      }
      if (frames.length === 0 && groupStart < 0) {
        snapshot(0);
        prevTime = Math.max(prevTime, start);
      }
      outTime += Math.min(e.time - prevTime, limit) / speed;
      prevTime = e.time;
      if (groupStart >= 0 && outTime - groupStart >= interval) {
        snapshot(groupStart);
        groupStart = -1;
      }
      if (groupStart < 0) groupStart = outTime;
      player.play(e, reader.line);
    }
    header ??= reader.finish();
    player ??= new CastPlayer(header, playerOpts);
    if (frames.length === 0 && groupStart < 0) snapshot(0);
    if (groupStart >= 0) snapshot(groupStart);
  } finally {
    player?.dispose();
  }
  const last = opts.lastFrame ?? DEFAULT_LAST_FRAME;
  for (let i = 0; i < frames.length; i++) {
    frames[i].duration = i + 1 < frames.length ? frames[i + 1].time - frames[i].time : last;
  }
  return frames;
}
