/**
 * The `record` option of session creation, on its own: sessions.ts imports it, and recording.ts
 * (which reaches sessions.ts through screen.ts) would make that an import cycle.
 */
import { z } from 'zod';
import { CAST_FORMATS } from '../cast/header.js';

/** `record` when creating a session: true (asciicast v2, as before), or the format to record in. */
export const RecordOption = z
  .union([
    z.boolean(),
    z.object({
      format: z.enum(CAST_FORMATS).default('v2').describe('v2 (times from the start) or v3 (term header, intervals, "x" exit event)'),
    }).strict(),
  ])
  .default(false)
  .describe('record an asciicast of output, input, resizes and markers (GET /v1/sessions/{id}/recording): true for v2, or {"format": "v3"}');

