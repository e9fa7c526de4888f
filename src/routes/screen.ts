/**
 * Reading a session: the screen in six formats, scrollback ranges and search, and /wait.
 * During a synchronized update (mode 2026) all of them see the last complete frame
 * (see src/sessions/session.ts).
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ServiceError } from '../errors.js';
import { ErrorBody, SessionParams, sessionErrors } from '../schemas/common.js';
import { ScreenQuery, ScreenSnapshot, ScrollbackQuery, ScrollbackRange, ScrollbackSearch, WaitBody, WaitResult } from '../schemas/screen.js';
import { searchLines } from '../sessions/search.js';
import { compileRegex, waitFor } from '../sessions/wait.js';
import { sessionInfo } from './session-info.js';

/** Renderers load on first use: the PNG rasteriser is a native module most clients never need. */
let renderers: Promise<typeof import('../render/index.js')> | null = null;
const render = (): Promise<typeof import('../render/index.js')> => (renderers ??= import('../render/index.js'));

/**
 * format=text bodies, by the `screenLines()` array they were made from: that array is replaced
 * exactly when the served screen may change, so between two outputs every request for a session
 * gets the same encoded bytes (no join, no UTF-8 encoding, no length count per request).
 */
const textBodies = new WeakMap<readonly string[], Buffer>();

function textBody(lines: readonly string[]): Buffer {
  let body = textBodies.get(lines);
  if (body === undefined) {
    body = Buffer.from(lines.join('\n') + '\n', 'utf8');
    textBodies.set(lines, body);
  }
  return body;
}

const MEDIA = {
  text: 'text/plain; charset=utf-8',
  ansi: 'text/plain; charset=utf-8',
  html: 'text/html; charset=utf-8',
  svg: 'image/svg+xml',
  png: 'image/png',
} as const;

const screenRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/v1/sessions/:id/screen', {
    schema: {
      summary: 'The screen as text, JSON cells, ANSI, HTML, SVG or PNG',
      description: 'format=text: right-trimmed lines joined by \\n; json: a ScreenSnapshot; ansi: bytes that redraw the ' +
        'screen; html/svg/png: rendered images. scrollback=N adds N lines above the screen. During a synchronized ' +
        'update (DEC mode 2026) the frame from when the update began is served.',
      tags: ['screen'],
      params: SessionParams,
      querystring: ScreenQuery,
      response: {
        200: {
          description: 'the screen in the requested format',
          content: {
            'application/json': { schema: ScreenSnapshot },
            'text/plain': { schema: z.string().describe('format=text or format=ansi') },
            'text/html': { schema: z.string() },
            'image/svg+xml': { schema: z.string() },
            'image/png': { schema: z.string().describe('binary PNG') },
          },
        },
        ...sessionErrors,
        410: ErrorBody,
        503: ErrorBody,
      },
    },
  }, async (req, reply) => {
    const s = app.sessions.read(req.params.id);
    const { format, scrollback } = req.query;
    if (format === 'text') {
      if (scrollback > 0) return reply.type(MEDIA.text).send(s.snapshot(scrollback).lines.map((l) => l.text).join('\n') + '\n');
      // A Buffer body is written as is (the schema documents the text).
      return reply.type(MEDIA.text).send(textBody(s.screenLines()) as unknown as string);
    }
    const snap = s.snapshot(scrollback);
    switch (format) {
      // Serialised here: the snapshot is large and already plain JSON.
      case 'json': return reply.type('application/json; charset=utf-8').send(JSON.stringify(snap));
      case 'ansi': return reply.type(MEDIA.ansi).send(await (await render()).renderAnsi(snap));
      case 'html': return reply.type(MEDIA.html).send(await (await render()).renderHtml(snap));
      case 'svg': return reply.type(MEDIA.svg).send(await (await render()).renderSvg(snap));
      // Binary body (the schema documents it as a string of bytes). Missing fonts are the
      // server's problem, not the client's: 503.
      case 'png': {
        const r = await render();
        let png: Buffer;
        try {
          png = await r.renderPngAsync(snap);
        } catch (err) {
          if (err instanceof r.FontsMissingError) throw new ServiceError('RENDER_UNAVAILABLE', `PNG rendering is unavailable: ${err.message}`);
          throw err;
        }
        return reply.type(MEDIA.png).send(png as unknown as string);
      }
    }
  });

  app.get('/v1/sessions/:id/scrollback', {
    schema: {
      summary: 'Scrollback lines, or search scrollback and screen with ?q=',
      tags: ['screen'],
      params: SessionParams,
      querystring: ScrollbackQuery,
      response: { 200: z.union([ScrollbackRange, ScrollbackSearch]), ...sessionErrors, 410: ErrorBody },
    },
  }, async (req) => {
    const s = app.sessions.read(req.params.id);
    const t = s.terminal;
    const { start, count, q, limit } = req.query;
    if (q !== undefined) return searchLines(t, s.screenLines(), q, limit);
    return { start, total: t.scrollbackLength, lines: t.scrollbackLines(start, count) };
  });

  app.post('/v1/sessions/:id/wait', {
    schema: {
      summary: 'Wait until the screen shows text/regex, output is quiet, or the program exits',
      description: 'All given conditions must hold at once. 200 with the screen that satisfied them; 408 with the ' +
        'last screen on timeout, or when the program exited and they can no longer hold.',
      tags: ['screen'],
      params: SessionParams,
      body: WaitBody,
      response: { 200: WaitResult, 408: WaitResult, ...sessionErrors, 409: ErrorBody, 410: ErrorBody },
    },
  }, async (req, reply) => {
    const s = app.sessions.get(req.params.id);
    const { text, regex, stableMs, exit, timeoutMs } = req.body;
    // A client that hangs up stops its wait at once instead of holding listeners until the timeout.
    const gone = new AbortController();
    reply.raw.once('close', () => { if (!reply.raw.writableFinished) gone.abort(); });
    const outcome = await waitFor(s, {
      signal: gone.signal,
      ...(text !== undefined && { text }),
      ...(regex !== undefined && { regex: compileRegex(regex) }),
      ...(stableMs !== undefined && { stableMs }),
      ...(exit !== undefined && { exit }),
      timeoutMs,
    });
    return reply.code(outcome.satisfied ? 200 : 408).send({ ...outcome, session: sessionInfo(s) });
  });
};

export default screenRoutes;
