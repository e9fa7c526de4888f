/**
 * `Output dir/` (VHS: a path without an extension, or .png): the recording as numbered PNG
 * frames, one per tick of Framerate while the tape is shown (VHS's Record loop), named
 * frame-00001.png…. A frame is rasterised only when the screen changed since the last one
 * (screenLines() is a new array exactly then); an unchanged tick writes the previous bytes
 * again. A tick that comes while the previous one is still being written is skipped, so a slow
 * disk or a large screen lowers the frame rate instead of queueing without bound.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Session } from '../sessions/session.js';
import { pngFrame } from './png-frame.js';
import type { TapeSettings } from './settings.js';
import type { ShownClock } from './shown-clock.js';

export interface FrameStats {
  /** Files written. */
  frames: number;
  /** Of which rasterised (the screen had changed). */
  rendered: number;
  /** Time spent rasterising and writing, ms. */
  busyMs: number;
  /** Ticks skipped because the previous frame was still in progress. */
  skipped: number;
}

export class PngFrames {
  readonly stats: FrameStats = { frames: 0, rendered: 0, busyMs: 0, skipped: 0 };
  private timer: NodeJS.Timeout | null = null;
  private lastLines: readonly string[] | null = null;
  private lastPng: Buffer | null = null;
  private busy = false;

  constructor(private readonly dir: string, private readonly session: Session, private readonly settings: TapeSettings, private readonly clock: ShownClock) {
    mkdirSync(dir, { recursive: true });
  }

  start(): void {
    this.timer = setInterval(() => this.tick(), 1000 / this.settings.framerate);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** One frame now (also the last one, at the end, so the final screen is always there). */
  tick(): void {
    if (!this.clock.shown || this.session.isDisposed) return;
    if (this.busy) { this.stats.skipped++; return; }
    this.busy = true;
    const t0 = performance.now();
    try {
      const lines = this.session.screenLines();
      if (lines !== this.lastLines || this.lastPng === null) {
        this.lastPng = pngFrame(this.session.snapshot(), this.settings);
        this.lastLines = lines;
        this.stats.rendered++;
      }
      this.stats.frames++;
      writeFileSync(join(this.dir, `frame-${String(this.stats.frames).padStart(5, '0')}.png`), this.lastPng);
    } finally {
      this.stats.busyMs += performance.now() - t0;
      this.busy = false;
    }
  }
}
