/**
 * Animated recordings: an asciicast replayed through the engine into frames (frames.ts), drawn
 * by the PNG renderer's pixels row by row (raster.ts) and encoded as GIF or APNG (encode.ts), or
 * drawn as an animated SVG (svg-animation.ts). One entry for the CLI and the render workers.
 *
 * Owns the animation's budget: frames (maxFrames, checked while replaying) and pixels (frames ×
 * width × height, checked before any raster work; an APNG holds every frame until it is
 * encoded), refused with AnimationBudgetError naming the figures.
 */
import { castFrames, FrameBudgetError, type FrameOptions } from './frames.js';
import { ApngWriter, changedRect, crop, delays, GifWriter, gifPalette } from './encode.js';
import { FrameRasterizer, rasterSize } from './raster.js';
import { animatedSvg } from './svg-animation.js';
import { MAX_PNG_PIXELS } from '../png.js';
import { THEMES, type ThemeName } from './themes.js';

export { THEMES, THEME_NAMES, type ThemeName } from './themes.js';
export { castFrames, FrameBudgetError, DEFAULT_FPS, type Frame, type FrameOptions } from './frames.js';
export { FrameRasterizer } from './raster.js';

export const ANIMATION_FORMATS = ['gif', 'apng', 'svg'] as const;
export type AnimationFormat = (typeof ANIMATION_FORMATS)[number];

export const ANIMATION_MEDIA_TYPES: Record<AnimationFormat, string> = { gif: 'image/gif', apng: 'image/apng', svg: 'image/svg+xml' };

/** Frames at most in one animation (10 minutes at 10 fps). */
export const MAX_ANIMATION_FRAMES = 6000;
/**
 * Pixels at most over all frames of a GIF or APNG: the work of composing, comparing and
 * encoding grows with them (memory does not: the writers keep one frame and what is encoded).
 * 6000 frames at 80×24 (640×384 px) are 1.5 G.
 */
export const MAX_ANIMATION_PIXELS = 1_500_000_000;
/** One frame's pixels at most (the PNG renderer's limit). */
export const MAX_FRAME_PIXELS = MAX_PNG_PIXELS;

export interface AnimationOptions extends Omit<FrameOptions, 'maxFrames'> {
  format: AnimationFormat;
  theme?: ThemeName;
  fontSize?: number;
  /** Default MAX_ANIMATION_FRAMES. */
  maxFrames?: number;
  fontDirs?: readonly string[];
}

/** Over a budget: `details` names it and the figures. */
export class AnimationBudgetError extends RangeError {
  override readonly name = 'AnimationBudgetError';
  constructor(message: string, readonly details: Record<string, unknown>) { super(message); }
}

export interface Animation {
  body: Uint8Array | string;
  frames: number;
  width: number;
  height: number;
  /** Seconds. */
  duration: number;
}

export function renderAnimation(cast: string, opts: AnimationOptions): Animation {
  const maxFrames = opts.maxFrames ?? MAX_ANIMATION_FRAMES;
  let frames;
  try {
    frames = castFrames(cast, { ...opts, maxFrames });
  } catch (err) {
    if (err instanceof FrameBudgetError) throw new AnimationBudgetError(err.message, { budget: 'frames', limit: maxFrames });
    throw err;
  }
  const theme = THEMES[opts.theme ?? 'xterm'];
  // The cell grows with the font: 8×16 at 14 px, as the renderers' defaults.
  const fs = opts.fontSize ?? 14;
  const draw = {
    theme, fontSize: fs, cellWidth: Math.round((fs * 8) / 14), cellHeight: Math.round((fs * 16) / 14),
    cursor: opts.cursor ?? true, ...(opts.fontDirs !== undefined && { fontDirs: opts.fontDirs }),
  };
  const size = rasterSize(frames, draw);
  const duration = frames.reduce((s, f) => s + f.duration, 0);
  const out = { frames: frames.length, width: size.width, height: size.height, duration };
  if (opts.format === 'svg') return { ...out, body: animatedSvg(frames, draw) };
  const pixels = frames.length * size.width * size.height;
  if (size.width * size.height > MAX_FRAME_PIXELS || pixels > MAX_ANIMATION_PIXELS) {
    const one = size.width * size.height > MAX_FRAME_PIXELS;
    throw new AnimationBudgetError(one
      ? `a frame of ${size.width}×${size.height} px is over the ${MAX_FRAME_PIXELS} px limit: ask for a smaller font (fontSize=)`
      : `the ${opts.format.toUpperCase()} would be ${frames.length} frames of ${size.width}×${size.height} = ${pixels} pixels, over the ${MAX_ANIMATION_PIXELS} allowed: ask for a part (start=, end=), fewer frames (fps=) or a smaller font (fontSize=)`,
    { budget: 'pixels', pixels, limit: one ? MAX_FRAME_PIXELS : MAX_ANIMATION_PIXELS, frames: frames.length, width: size.width, height: size.height });
  }
  const raster = new FrameRasterizer(frames, draw);
  const { width: W, height: H } = size;
  const BATCH = 32;
  const each = (fn: (px: Uint8Array, i: number) => void): void => {
    for (let i = 0; i < frames.length; i += BATCH) {
      const batch = frames.slice(i, i + BATCH);
      raster.prepare(batch);
      batch.forEach((f, j) => fn(raster.frame(f), i + j));
    }
  };
  let prev: Uint8Array | null = null;
  if (opts.format === 'gif') {
    // First every row (the palette is the whole animation's), then the frames.
    for (let i = 0; i < frames.length; i += BATCH) raster.prepare(frames.slice(i, i + BATCH));
    const { palette, exact } = gifPalette(raster.colors, () => raster.sample());
    const gif = new GifWriter(W, H, palette, exact);
    const d = delays(frames, 100);
    each((px, i) => {
      const r = changedRect(prev, px, W, H);
      gif.add(crop(px, W, r), r, d[i]);
      prev = px;
    });
    return { ...out, body: gif.finish() };
  }
  const png = new ApngWriter(W, H, frames.length);
  const d = delays(frames, 1000);
  each((px, i) => {
    const r = changedRect(prev, px, W, H);
    png.add(crop(px, W, r), r, d[i]);
    prev = px;
  });
  return { ...out, body: png.finish() };
}
