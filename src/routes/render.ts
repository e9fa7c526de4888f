/**
 * POST /v1/render: the screen an uploaded asciicast v2 file (or raw pty bytes) shows at a given
 * moment, in any screen format. Nothing is spawned: the bytes are replayed into a throwaway
 * engine Terminal (src/cast/player.ts) that is disposed before the reply is sent.
 *
 * Owns the body parsers for this route only (fastify encapsulation: the rest of the API still
 * takes JSON objects alone): cast and NDJSON media types, application/json (a .cast is not one
 * JSON value, so it is read as text here) and application/octet-stream, all as bytes. The body
 * limit (TERMPOOL_BODY_LIMIT) applies as everywhere (413).
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { CastError, looksLikeCast, playCastText } from '../cast/index.js';
import { Terminal, type ScreenSnapshot } from '../engine/index.js';
import { ServiceError } from '../errors.js';
import { ErrorBody } from '../schemas/common.js';
import { RENDER_MEDIA_TYPES, RenderBody, RenderQuery } from '../schemas/recording.js';
import { screenResponse, sendSnapshot } from './screen-format.js';

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
        'replayed whole at cols×rows (default 80×24). 400 BAD_CAST names the malformed line.',
      tags: ['screen'],
      consumes: [...RENDER_MEDIA_TYPES],
      querystring: RenderQuery,
      body: RenderBody,
      response: { 200: screenResponse, 400: ErrorBody, 401: ErrorBody, 413: ErrorBody, 415: ErrorBody, 422: ErrorBody, 503: ErrorBody },
    },
  }, async (req, reply) => {
    const { format, at, cols, rows, input } = req.query;
    const body = req.body as Buffer | undefined;
    if (!Buffer.isBuffer(body) || body.length === 0) {
      throw new ServiceError('BAD_CAST', `the request body is empty: send an asciicast v2 file (content-type ${RENDER_MEDIA_TYPES[0]}) or raw pty bytes`);
    }
    const text = input === 'raw' ? '' : body.toString('utf8');
    const firstLine = text.slice(0, Math.min(text.length, 4096)).split('\n', 1)[0] ?? '';
    // Declared a cast: parse it as one, so a bad header is reported as such, not replayed as bytes.
    const declared = /^application\/x-asciicast\b/i.test(req.headers['content-type'] ?? '');
    const isCast = input === 'cast' || (input === 'auto' && (declared || looksLikeCast(firstLine)));
    let snap: ScreenSnapshot;
    if (isCast) {
      const c = app.sessions.config;
      let player;
      try {
        player = playCastText(text, { maxCols: c.maxCols, maxRows: c.maxRows, ...(cols !== undefined && { cols }), ...(rows !== undefined && { rows }), ...(at !== undefined && { at }) });
      } catch (err) {
        if (err instanceof CastError) throw new ServiceError('BAD_CAST', `malformed asciicast: ${err.message}`, { line: err.line });
        throw err;
      }
      try { snap = player.terminal.snapshot(); } finally { player.dispose(); }
    } else {
      if (at !== undefined) throw new ServiceError('BAD_CAST', 'at= needs an asciicast (raw pty bytes carry no timing); the body does not start with an asciicast header');
      const w = cols ?? 80;
      const h = rows ?? 24;
      app.sessions.checkSize(w, h);
      const term = new Terminal({ cols: w, rows: h, scrollback: 0 });
      try {
        term.write(body);
        snap = term.snapshot();
      } finally {
        term.dispose();
      }
    }
    return sendSnapshot(reply, snap, format);
  });
};

export default renderRoutes;
