/**
 * POST /v1/render: the screen an uploaded asciicast v2 file (or raw pty bytes) shows at a given
 * moment, in any screen format. Nothing is spawned: the bytes are replayed into a throwaway
 * engine Terminal on a render worker (src/workers/render-job.ts, run by the pool the app holds
 * as `renders`), so a replay that costs minutes never holds the main thread: past
 * TERMPOOL_RENDER_TIMEOUT_MS it is stopped (422 RENDER_BUDGET), and with every worker busy and
 * the queue full a render is refused (429 RENDER_BUSY).
 *
 * Owns the body parsers for this route only (fastify encapsulation: the rest of the API still
 * takes JSON objects alone): cast and NDJSON media types, application/json (a .cast is not one
 * JSON value, so it is read as text there) and application/octet-stream, all as bytes. The body
 * limit (TERMPOOL_BODY_LIMIT) applies as everywhere (413). Deciding cast or raw, and the checks
 * that need no replay, happen here: a malformed request is answered without taking a worker.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { looksLikeCast } from '../cast/index.js';
import { ServiceError } from '../errors.js';
import { ErrorBody } from '../schemas/common.js';
import { RENDER_MEDIA_TYPES, RenderBody, RenderQuery } from '../schemas/recording.js';
import { screenResponse, sendBody } from './screen-format.js';

const renderRoutes: FastifyPluginAsyncZod = async (app) => {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser([...RENDER_MEDIA_TYPES], { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
  app.addContentTypeParser('*', (req, _payload, done) => {
    done(new ServiceError('UNSUPPORTED_MEDIA_TYPE', `unsupported content-type '${req.headers['content-type'] ?? ''}': send the cast as ${RENDER_MEDIA_TYPES.join(', ')}`), undefined);
  });

  app.post('/v1/render', {
    schema: {
      summary: 'Render the screen of an uploaded asciicast (or raw pty bytes) at a moment',
      description: 'The body is an asciicast v2 file: output events are replayed and resize events resize the terminal, ' +
        'up to `at` seconds (default: the end). Raw pty bytes (not starting with a cast header, or input=raw) are ' +
        'replayed whole at cols×rows (default 80×24). 400 BAD_CAST names the malformed line. The replay runs on a worker ' +
        'thread within a budget: 422 RENDER_BUDGET past TERMPOOL_RENDER_TIMEOUT_MS (or the worker\'s memory), 429 RENDER_BUSY ' +
        'when every worker is busy and TERMPOOL_RENDER_QUEUE renders already wait.',
      tags: ['screen'],
      consumes: [...RENDER_MEDIA_TYPES],
      querystring: RenderQuery,
      body: RenderBody,
      response: { 200: screenResponse, 400: ErrorBody, 401: ErrorBody, 413: ErrorBody, 415: ErrorBody, 422: ErrorBody, 429: ErrorBody, 503: ErrorBody },
    },
  }, async (req, reply) => {
    const { format, at, cols, rows, input } = req.query;
    const body = req.body as Buffer | undefined;
    if (!Buffer.isBuffer(body) || body.length === 0) {
      throw new ServiceError('BAD_CAST', `the request body is empty: send an asciicast v2 file (content-type ${RENDER_MEDIA_TYPES[0]}) or raw pty bytes`);
    }
    const head = input === 'raw' ? '' : body.subarray(0, 4096).toString('utf8');
    const firstLine = head.split('\n', 1)[0] ?? '';
    // Declared a cast: parse it as one, so a bad header is reported as such, not replayed as bytes.
    const declared = /^application\/x-asciicast\b/i.test(req.headers['content-type'] ?? '');
    const isCast = input === 'cast' || (input === 'auto' && (declared || looksLikeCast(firstLine)));
    const c = app.sessions.config;
    if (!isCast) {
      if (at !== undefined) throw new ServiceError('BAD_CAST', 'at= needs an asciicast (raw pty bytes carry no timing); the body does not start with an asciicast header');
      app.sessions.checkSize(cols ?? 80, rows ?? 24);
    }
    // The client going away drops its render (and ends the worker running it).
    const gone = new AbortController();
    const onClose = (): void => { if (!reply.raw.writableFinished) gone.abort(); };
    reply.raw.once('close', onClose);
    try {
      const out = await app.renders.run({
        body, input: isCast ? 'cast' : 'raw', format, maxCols: c.maxCols, maxRows: c.maxRows,
        ...(cols !== undefined && { cols }), ...(rows !== undefined && { rows }), ...(at !== undefined && { at }),
      }, gone.signal);
      if (!out.ok) throw new ServiceError(out.code, out.message, out.details);
      return sendBody(reply, format, out.body);
    } catch (err) {
      // Busy is momentary: a render frees a worker within TERMPOOL_RENDER_TIMEOUT_MS at most.
      if (err instanceof ServiceError && err.code === 'RENDER_BUSY') reply.header('retry-after', '1');
      throw err;
    } finally {
      reply.raw.off('close', onClose);
    }
  });
};

export default renderRoutes;
