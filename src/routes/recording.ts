/**
 * GET /v1/sessions/{id}/recording: a recorded session's asciicast v2 file, while it runs and
 * after it exited (until it is reaped). The body is streamed from the writer's lines (no copy
 * of a recording of tens of MB); `x-termpool-recording-truncated` says whether the size cap
 * stopped it.
 */
import { Readable } from 'node:stream';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ServiceError } from '../errors.js';
import { SessionParams, sessionErrors } from '../schemas/common.js';
import { recordingResponse } from '../schemas/recording.js';

const recordingRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/v1/sessions/:id/recording', {
    schema: {
      summary: 'Download the session\'s asciicast v2 recording (sessions created with record: true)',
      description: 'Output ("o"), typed input ("i") and resize ("r", "COLSxROWS") events, times in seconds from the start. ' +
        'Available while the session runs and after it exited, until it is reaped. When the recording reached ' +
        'TERMPOOL_RECORDING_MAX_BYTES it stopped with an "m" (marker) event, and the reply carries ' +
        'x-termpool-recording-truncated: true. 404 NOT_RECORDED when the session was not created with record: true.',
      tags: ['sessions'],
      params: SessionParams,
      response: { 200: recordingResponse, ...sessionErrors },
    },
  }, async (req, reply) => {
    const s = app.sessions.get(req.params.id);
    const rec = s.recording;
    if (rec === null) throw new ServiceError('NOT_RECORDED', `session '${s.id}' is not being recorded: create it with "record": true`);
    const title = s.isDisposed ? '' : s.terminal.title;
    return reply
      .type('application/x-asciicast')
      .header('content-disposition', `attachment; filename="${s.id}.cast"`)
      .header('x-termpool-recording-truncated', String(rec.truncated))
      .send(Readable.from(rec.chunks(title)) as unknown as string);
  });
};

export default recordingRoutes;
