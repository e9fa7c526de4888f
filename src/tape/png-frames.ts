/**
 * `Output dir/` (VHS: a path without an extension): the recording as numbered PNG frames, one per
 * tick of Framerate while the tape is shown (VHS's Record loop), named frame-00001.png….
 *
 * A tick only takes the screen (a snapshot, when the screen changed since the last tick: a new
 * screenLines() array says so; else the last one counts once more). Rasterising waits for the
 * end of the run (finish): at VHS's default size a frame takes ~60-220 ms to draw, and drawing
 * during the run would block the event loop and stretch the tape's own timing (typing, Sleep)
 * by that much. Each distinct screen is drawn once and its bytes written for every tick it
 * lasted. Budget: at most MAX_TAPE_FRAMES ticks (10 minutes at 50 fps); later ticks are dropped
 * and counted.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ScreenSnapshot } from '../engine/index.js';
import type { Session } from '../sessions/session.js';
import { pngFrame } from './png-frame.js';
import type { TapeSettings } from './settings.js';
import type { ShownClock } from './shown-clock.js';

export const MAX_TAPE_FRAMES = 30_000;

export interface FrameStats {
  /** Files written. */
  frames: number;
  /** Distinct screens, each rasterised once. */
  rendered: number;
  /** Time spent rasterising and writing after the run, ms. */
  renderMs: number;
  /** Time the ticks took during the run (snapshots), ms. */
  captureMs: number;
  /** Ticks over MAX_TAPE_FRAMES, not kept. */
  dropped: number;
}

export class PngFrames {
  readonly stats: FrameStats = { frames: 0, rendered: 0, renderMs: 0, captureMs: 0, dropped: 0 };
  private timer: NodeJS.Timeout | null = null;
  private lastLines: readonly string[] | null = null;
  private readonly screens: { snap: ScreenSnapshot; ticks: number }[] = [];
  private ticks = 0;

  constructor(private readonly dir: string, private readonly session: Session, private readonly settings: TapeSettings, private readonly clock: ShownClock) {}

  start(): void {
    this.timer = setInterval(() => this.tick(), 1000 / this.settings.framerate);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Takes the screen for one frame (also called once at the end, so the last screen is there). */
  tick(): void {
    if (!this.clock.shown || this.session.isDisposed) return;
    if (this.ticks >= MAX_TAPE_FRAMES) { this.stats.dropped++; return; }
    const t0 = performance.now();
    this.ticks++;
    const lines = this.session.screenLines();
    const last = this.screens[this.screens.length - 1];
    if (last !== undefined && lines === this.lastLines) last.ticks++;
    else this.screens.push({ snap: this.session.snapshot(), ticks: 1 });
    this.lastLines = lines;
    this.stats.captureMs += performance.now() - t0;
  }

  /** Draws and writes the frames. */
  finish(): void {
    this.stop();
    const t0 = performance.now();
    mkdirSync(this.dir, { recursive: true });
    for (const s of this.screens) {
      const png = pngFrame(s.snap, this.settings);
      this.stats.rendered++;
      for (let i = 0; i < s.ticks; i++) {
        this.stats.frames++;
        writeFileSync(join(this.dir, `frame-${String(this.stats.frames).padStart(5, '0')}.png`), png);
      }
    }
    this.screens.length = 0;
    this.stats.renderMs = performance.now() - t0;
  }
}
