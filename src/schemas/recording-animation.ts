/**
 * The query options of an animated recording (GET /v1/sessions/{id}/recording?format=gif|apng|svg),
 * merged into RecordingQuery (schemas/recording.ts). Each is checked here, so a bad value is a
 * 400 naming it before any replay; combinations are checked by `animationProblem`.
 */
import { z } from 'zod';
import { ANIMATION_FORMATS, THEME_NAMES } from '../render/animation/index.js';

export { ANIMATION_FORMATS };

const seconds = (what: string) => z.coerce.number().min(0).max(1e9).optional().describe(what);

export const AnimationQueryShape = {
  idleTimeLimit: z.coerce.number().gt(0).max(86_400).optional()
    .describe('animations: pauses longer than this many seconds are cut to it, as asciinema --idle-time-limit (default: the header\'s idle_time_limit, else none)'),
  speed: z.coerce.number().min(0.05).max(100).optional().describe('animations: playback speed factor (default 1)'),
  start: seconds('animations: the recording\'s second to start at; the first frame is the screen then (default 0)'),
  end: seconds('animations: the recording\'s second to end at (default: its end)'),
  theme: z.enum(THEME_NAMES as [string, ...string[]]).optional().describe('animations: colour theme (default xterm)'),
  fontSize: z.coerce.number().int().min(6).max(48).optional().describe('animations: font size in px; the cell is 8×16 px at 14 and scales with it (default 14)'),
  fps: z.coerce.number().int().min(1).max(30).optional().describe('animations: frames per second at most; changes within one frame interval are one frame (default 10)'),
  cursor: z.enum(['true', 'false']).optional().describe('animations: draw the cursor (default true)'),
};

/** What is wrong with a combination of animation options, or null. */
export function animationProblem(q: { start?: number | undefined; end?: number | undefined }): string | null {
  if (q.start !== undefined && q.end !== undefined && q.end <= q.start) return `end (${q.end}) must be after start (${q.start})`;
  return null;
}
