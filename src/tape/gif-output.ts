/**
 * `Output demo.gif`: the tape's recording (the .cast the runner writes: its clock stops while
 * hidden, PlaybackSpeed already applied) turned into a GIF by the animated-recording encoder
 * (src/render/animation): frames from the engine, the PNG renderer's pixels, at most Framerate
 * frames a second, the tape's font size. The theme is the encoder's palette of the same name
 * (`Dracula` → dracula, `Solarized Dark` → solarized-dark, …), otherwise xterm's.
 */
import { MAX_COLS, MAX_ROWS } from '../engine/index.js';
import { renderAnimation, THEME_NAMES, type ThemeName } from '../render/animation/index.js';
import type { TapeSettings } from './settings.js';

function themeFor(name: string): ThemeName {
  const wanted = name.toLowerCase().trim().replace(/\s+/g, '-');
  return (THEME_NAMES as readonly string[]).includes(wanted) ? wanted as ThemeName : 'xterm';
}

export function gifFromCast(cast: string, s: TapeSettings): Uint8Array {
  const a = renderAnimation(cast, { format: 'gif', fontSize: s.fontSize, theme: themeFor(s.themeName), fps: s.framerate, maxCols: MAX_COLS, maxRows: MAX_ROWS });
  return a.body as Uint8Array;
}
