/** Recording (the create option, download, markers) and POST /v1/render schemas. */
import { z } from 'zod';
import { CAST_FORMATS } from '../cast/header.js';
import { ScreenFormats } from './screen.js';
import { ANIMATION_FORMATS, AnimationQueryShape } from './recording-animation.js';

export { RecordOption } from './record-option.js';

export const RecordingQuery = z
  .object({
    format: z.enum([...CAST_FORMATS, ...ANIMATION_FORMATS]).optional()
      .describe('asciicast version to download (default: the one the session was recorded in), or an animation of it: gif, apng, svg (src/render/animation)'),
    ...AnimationQueryShape,
  })
  .strict();

export const MarkerBody = z
  .object({
    label: z.string().max(4096).default('').describe('the marker\'s text (asciinema shows it as a chapter); may be empty'),
  })
  .strict();

export const MarkerResult = z
  .object({
    time: z.number().describe('seconds from the start of the recording'),
    events: z.number().int().describe('events recorded so far, the marker included'),
  })
  .meta({ id: 'MarkerResult' });

/** Media types POST /v1/render reads its body from. */
export const RENDER_MEDIA_TYPES = ['application/x-asciicast', 'application/x-ndjson', 'application/json', 'application/octet-stream'] as const;

export const RenderQuery = z
  .object({
    format: z.enum(ScreenFormats).default('text'),
    at: z.coerce.number().min(0).max(1e9).optional().describe('seconds from the start of the cast; default: its end (casts only)'),
    cols: z.coerce.number().int().min(2).max(4096).optional().describe('terminal width; default: the cast header\'s width, or 80 for raw bytes'),
    rows: z.coerce.number().int().min(1).max(4096).optional().describe('terminal height; default: the cast header\'s height, or 24 for raw bytes'),
    input: z.enum(['auto', 'cast', 'raw']).default('auto')
      .describe('auto: an asciicast (v2 or v3) when the first line is a {"version": ...} header, else raw pty bytes'),
  })
  .strict();

export const RenderBody = z
  .any()
  .describe('an asciicast v2 or v3 file (header line, then one [time, code, data] event per line), or raw bytes a program wrote to its pty');

/** The documented 200 of the recording download. */
export const recordingResponse = {
  description: 'the asciicast v2 or v3 file (newline-delimited JSON: header, then events), or its animation (format=gif|apng|svg)',
  content: {
    'application/x-asciicast': { schema: z.string() },
    'image/gif': { schema: z.string() },
    'image/apng': { schema: z.string() },
    'image/svg+xml': { schema: z.string() },
  },
};
