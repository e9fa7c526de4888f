/**
 * A screen as a PNG in the tape's look: its theme, font size, cell size and padding (so the
 * image is about Width×Height, as VHS's), through termpool's rasteriser (src/render, resvg).
 * Used by `Screenshot` and by PNG frame directories.
 */
import type { ScreenSnapshot } from '../engine/index.js';
import { renderPng, FontsMissingError } from '../render/index.js';
import { terminalSize, type TapeSettings } from './settings.js';

export class PngUnavailableError extends Error {
  override readonly name = 'PngUnavailableError';
}

export function pngFrame(snap: ScreenSnapshot, s: TapeSettings): Buffer {
  const { cellWidth, cellHeight } = terminalSize(s);
  try {
    return renderPng(snap, { theme: s.theme, fontSize: s.fontSize, cellWidth, cellHeight, padding: s.padding });
  } catch (err) {
    if (err instanceof FontsMissingError) throw new PngUnavailableError(`PNG rendering is unavailable: ${err.message}`);
    throw err;
  }
}

/** The PNG's size in pixels for these settings (what pngFrame produces). */
export function pngSize(s: TapeSettings): { width: number; height: number } {
  const { cols, rows, cellWidth, cellHeight } = terminalSize(s);
  return { width: cols * cellWidth + 2 * s.padding, height: rows * cellHeight + 2 * s.padding };
}
