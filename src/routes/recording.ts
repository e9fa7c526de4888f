/**
 * GET /v1/sessions/{id}/recording: a recorded session's asciicast (v2 or v3, as recorded or as
 * asked with ?format=), while it runs, after it exited, and once archived until its retention
 * ends. A live recording is streamed from the writer's events (no copy of a recording of tens of
 * MB); an archived one is inflated from its compressed copy as it is sent, and in the other format
 * converted line by line as it is inflated (convertCastStream): a download holds the compressed
 * copy, zlib's window and one batch of lines, never the whole cast, however many run at once. `x-termpool-recording-truncated` says whether the size cap stopped it.
 *
 * POST /v1/sessions/{id}/marker: an "m" event in a recording in progress (409 NOT_RECORDING
 * otherwise).
 */
import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ArchivedSession } from '../archive/archived-session.js';
import { convertCastStream, type CastFormat } from '../cast/index.js';
import { ServiceError } from '../errors.js';
import { ErrorBody, SessionParams, sessionErrors } from '../schemas/common.js';
import { MarkerBody, MarkerResult, RecordingQuery, recordingResponse } from '../schemas/recording.js';
import { checkCastQuery, isAnimation, sendAnimation } from './recording-animation.js';

/** `gzip` inflated chunk by chunk, cut off past `max` bytes (what the archive says it stored). */
async function* inflated(gzip: Uint8Array, max: number): AsyncGenerator<Buffer> {
  const z = createGunzip();
  z.end(gzip);
  let n = 0;
  for await (const chunk of z as AsyncIterable<Buffer>) {
    n += chunk.length;
    if (n > max) throw new Error(`the archived recording inflates past the ${max} bytes it was stored with`);
    yield chunk;
  }
}

const notRecorded = (id: string): ServiceError =>
  new ServiceError('NOT_RECORDED', `session '${id}' is not being recorded: create it with "record": true (or {"format": "v3"})`);

const recordingRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/v1/sessions/:id/recording', {
    schema: {
      summary: 'Download the session\'s asciicast recording, v2 or v3 (sessions created with record)',
      description: 'Output ("o"), typed input ("i"), resize ("r", "COLSxROWS") and marker ("m") events, and "x" (exit status) once ' +
        'the program exited. v2 times are seconds from the start, v3 times the interval since the previous event; format= picks ' +
        'the version (default: the one recorded). Available while the session runs, after it exited, and once archived (also ' +
        'after a restart) until TERMPOOL_EXITED_RETENTION_MS from the exit. When the recording reached ' +
        'TERMPOOL_RECORDING_MAX_BYTES it stopped with an "m" event, and the reply carries x-termpool-recording-truncated: true. ' +
        '404 NOT_RECORDED when the session was not created with record. format=gif, apng or svg: the recording as an ' +
        'animation (idleTimeLimit, speed, start, end, theme, fontSize, fps, cursor), drawn on a render worker within ' +
        'TERMPOOL_RENDER_TIMEOUT_MS (422 RENDER_BUDGET past it or past the frame/pixel limits, 429 RENDER_BUSY).',
      operationId: 'getRecording',
      tags: ['sessions'],
      params: SessionParams,
      querystring: RecordingQuery,
      response: { 200: recordingResponse, ...sessionErrors, 410: ErrorBody },
    },
  }, async (req, reply) => {
    const s = app.sessions.read(req.params.id);
    const q = req.query;
    if (isAnimation(q.format)) return sendAnimation(app, s, { ...q, format: q.format }, reply, () => notRecorded(s.id));
    checkCastQuery(q);
    const castFormat = q.format as CastFormat | undefined;
    let body: Iterable<string> | AsyncIterable<Buffer | string>;
    let truncated: boolean;
    if (s instanceof ArchivedSession) {
      const rec = s.recording();
      if (rec === null) throw notRecorded(s.id);
      const format: CastFormat = castFormat ?? rec.format;
      // Inflated as it is sent, and converted as it is inflated (memory: the compressed copy).
      const cast = inflated(rec.gzip, rec.bytes);
      body = format === rec.format ? cast : convertCastStream(cast, format);
      truncated = rec.truncated;
    } else {
      const rec = s.recording;
      if (rec === null) throw notRecorded(s.id);
      body = rec.chunks(s.isDisposed ? '' : s.terminal.title, castFormat ?? rec.format);
      truncated = rec.truncated;
    }
    return reply
      .type('application/x-asciicast')
      .header('content-disposition', `attachment; filename="${s.id}.cast"`)
      .header('x-termpool-recording-truncated', String(truncated))
      .send(Readable.from(body) as unknown as string);
  });

  app.post('/v1/sessions/:id/marker', {
    schema: {
      summary: 'Add a marker ("m" event) to the session\'s recording',
      description: 'asciinema players show markers as chapters and can pause at them. 409 NOT_RECORDING when the session is not ' +
        'recording: created without record, stopped by TERMPOOL_RECORDING_MAX_BYTES, or its program has exited; 409 ' +
        'SESSION_ARCHIVED for an archived session.',
      operationId: 'addMarker',
      tags: ['sessions'],
      params: SessionParams,
      body: MarkerBody,
      response: { 200: MarkerResult, ...sessionErrors, 409: ErrorBody, 410: ErrorBody },
    },
  }, async (req) => {
    const s = app.sessions.get(req.params.id);
    const rec = s.recording;
    const why = rec === null ? 'it was not created with "record": true (or {"format": "v3"})'
      : rec.truncated ? 'its recording reached the size limit (TERMPOOL_RECORDING_MAX_BYTES) and stopped'
        : !s.running || rec.isEnded ? 'its program has exited, which ended the recording' : null;
    if (why !== null || !rec!.marker(req.body.label)) {
      throw new ServiceError('NOT_RECORDING', `session '${s.id}' is not recording: ${why ?? 'its recording reached a size limit and stopped'}`);
    }
    s.emit('marker', req.body.label);
    return { time: rec!.lastTime, events: rec!.eventCount };
  });
};

export default recordingRoutes;
