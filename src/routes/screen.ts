/**
 * Reading a session: the screen in six formats, scrollback ranges and search, and /wait.
 * During a synchronized update (mode 2026) all of them see the last complete frame
 * (see src/sessions/session.ts).
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ErrorBody, SessionParams, sessionErrors } from '../schemas/common.js';
import { ScreenDelta, ScreenQuery, ScreenSnapshot, ScrollbackQuery, ScrollbackRange, ScrollbackSearch, WaitBody, WaitResult } from '../schemas/screen.js';
import { searchWithin } from '../sessions/search.js';
import { compileRegex } from '../sessions/regex.js';
import { Session, SYNC_FRAME_TIMEOUT_MS } from '../sessions/session.js';
import { MEDIA, screenResponse, sendSnapshot, sendStream } from './screen-format.js';
import { sessionInfo } from './session-info.js';
import { commandInfo } from './command-info.js';
import { commandAfter } from '../sessions/run-command.js';
import { waitCondition } from '../sessions/wait-request.js';
import { checkSnapshotBudget, CopyBudget } from './snapshot-budget.js';
import { matchesIfNoneMatch, rememberServed, screenDelta, screenEtag, screenVersions } from '../sessions/screen-delta.js';
import { abortOnHangUp } from './hang-up.js';

/**
 * Reads above this many cells are streamed from a frozen copy (src/render/stream.ts) rather than
 * built at once: more than a full 500×200 screen (100,000 cells, 3.4 MB of JSON), so screen-only
 * reads keep the direct path, and no built answer is over ~6 MB of JSON.
 */
export const STREAM_CELLS = 160_000;

/** Resolves once `s` serves its live screen (the sync frame ended or timed out, or it closed). */
function frameEnd(s: Session): Promise<void> {
  return new Promise((resolve) => {
    const finish = (): void => {
      clearTimeout(timer);
      s.off('update', onUpdate).off('closed', finish);
      resolve();
    };
    const onUpdate = (): void => { if (!s.inFrame) finish(); };
    const timer = setTimeout(finish, SYNC_FRAME_TIMEOUT_MS + 50);
    s.on('update', onUpdate).on('closed', finish);
  });
}

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

const screenRoutes: FastifyPluginAsyncZod = async (app) => {
  const copies = new CopyBudget(app.sessions.config.snapshotCopyBytes);
  const versions = screenVersions(app.sessions);
  app.get('/v1/sessions/:id/screen', {
    schema: {
      summary: 'The screen as text, JSON cells, ANSI, HTML, SVG or PNG',
      description: 'format=text: right-trimmed lines joined by \\n; json: a ScreenSnapshot; ansi: bytes that redraw the ' +
        'screen; html/svg/png: rendered images. scrollback=N adds N lines above the screen. During a synchronized ' +
        'update (DEC mode 2026) the frame from when the update began is served. A read of more than ' +
        'TERMPOOL_SNAPSHOT_MAX_CELLS cells (cols × lines read) is 422 SNAPSHOT_TOO_LARGE; a large one is streamed ' +
        '(chunked) from a copy taken at the request, as the client reads it. Every answer has a strong ETag, changed by ' +
        'anything the format shows; If-None-Match with it is 304 (no body). since=<ETag> (text or json, no scrollback) ' +
        'answers a ScreenDelta (JSON) with only the rows changed since that answer; an ETag no longer remembered (the ' +
        'server keeps a few recent versions per session within a memory budget) gives every row with full: true.',
      tags: ['screen'],
      params: SessionParams,
      querystring: ScreenQuery,
      response: {
        200: { ...screenResponse, content: { ...screenResponse.content, 'application/json': { schema: z.union([ScreenSnapshot, ScreenDelta]) } } },
        304: { description: 'Not Modified: If-None-Match names the current ETag (no body)', content: { 'text/plain': { schema: z.string().max(0) } } },
        ...sessionErrors,
        410: ErrorBody,
        422: ErrorBody,
        429: ErrorBody,
        503: ErrorBody,
      },
    },
  }, async (req, reply) => {
    const s = app.sessions.read(req.params.id);
    const { format, scrollback, since } = req.query;
    const cells = checkSnapshotBudget(s.terminal, scrollback, app.sessions.config.snapshotMaxCells);
    // Derived from the session's version, not hashed from the body (src/sessions/screen-delta.ts).
    const etag = screenEtag(s, format, scrollback);
    reply.header('etag', etag);
    if (matchesIfNoneMatch(req.headers['if-none-match'], etag)) return reply.code(304).send();
    if (since !== undefined) {
      return reply.type('application/json; charset=utf-8').send(JSON.stringify(screenDelta(versions, s, format as 'text' | 'json', since)));
    }
    // PNG is rasterised whole, within its own pixel cap.
    if (cells > STREAM_CELLS && format !== 'png') {
      // A large read is never built whole, not even during a synchronized update (a program that
      // kept one open would make every large read a built one again): it waits for the frame to
      // end (at most its timeout), then copies the screen as it is, a complete frame as a rule.
      if (s instanceof Session && s.inFrame) {
        await frameEnd(s);
        const now = app.sessions.read(req.params.id); // it may have closed meanwhile: 404/410
        checkSnapshotBudget(now.terminal, scrollback, app.sessions.config.snapshotMaxCells);
        reply.header('etag', screenEtag(now, format, scrollback));
        return sendStream(reply, now.terminal, scrollback, format, copies);
      }
      return sendStream(reply, s.terminal, scrollback, format, copies);
    }
    if (format === 'text') {
      if (scrollback > 0) return reply.type(MEDIA.text).send(s.snapshot(scrollback).lines.map((l) => l.text).join('\n') + '\n');
      // Kept so that this answer's ETag works as a later since (a reference to the shared rows).
      rememberServed(versions, s, 'text');
      // A Buffer body is written as is (the schema documents the text).
      return reply.type(MEDIA.text).send(textBody(s.screenLines()) as unknown as string);
    }
    const snap = s.snapshot(scrollback);
    if (format === 'json' && scrollback === 0) rememberServed(versions, s, 'json', snap);
    try {
      return await sendSnapshot(reply, snap, format);
    } catch (err) {
      reply.removeHeader('etag'); // a 422/503 is no version of the screen
      throw err;
    }
  });

  app.get('/v1/sessions/:id/scrollback', {
    schema: {
      summary: 'Scrollback lines, or search scrollback and screen with ?q= (text) or ?regex=',
      tags: ['screen'],
      params: SessionParams,
      querystring: ScrollbackQuery,
      response: { 200: z.union([ScrollbackRange, ScrollbackSearch]), ...sessionErrors, 410: ErrorBody, 429: ErrorBody },
    },
  }, async (req, reply) => {
    const s = app.sessions.read(req.params.id);
    const t = s.terminal;
    const { start, count, q, regex, limit } = req.query;
    // Searches share the event loop's budget (src/sessions/regex-budget.ts): 429 REGEX_BUSY past
    // TERMPOOL_REGEX_SEARCHES; one whose client hangs up stops at its next step.
    if (q !== undefined || regex !== undefined) {
      return searchWithin(app.sessions.regexBudget, t, s.screenLines(), q ?? compileRegex(regex!), limit, abortOnHangUp(reply));
    }
    return { start, total: t.scrollbackLength, lines: t.scrollbackLines(start, count) };
  });

  app.post('/v1/sessions/:id/wait', {
    schema: {
      summary: 'Wait until the screen shows (or no longer shows) text, a title, a cursor position, a cell\'s style; output is quiet; the program exits',
      description: 'All given conditions must hold at once. 200 with the screen that satisfied them; 408 with the ' +
        'last screen and `failing` (the conditions that did not hold) on timeout, or when the program exited and they can ' +
        'no longer hold. text/regex look at the screen; with scrollback: true also at the scrollback, including lines that ' +
        'scroll past while waiting. absent looks at the screen only. A cursor or cell outside the screen at the request is 400.',
      tags: ['screen'],
      params: SessionParams,
      body: WaitBody,
      response: { 200: WaitResult, 408: WaitResult, ...sessionErrors, 409: ErrorBody, 410: ErrorBody, 429: ErrorBody },
    },
  }, async (req, reply) => {
    const s = app.sessions.get(req.params.id);
    const { command } = req.body;
    // command: "finished" (shell integration): the running command's end, else the next one's (commandAfter in src/sessions/wait.ts).
    const after = command === undefined ? undefined : commandAfter(s, req.body.afterCommand);
    // A client that hangs up stops its wait at once instead of holding listeners until the timeout.
    // Regexes compiled, colours and places checked (400) in src/sessions/wait-request.ts.
    const cond = waitCondition(s, req.body, abortOnHangUp(reply));
    // 429 WAIT_LIMIT past TERMPOOL_MAX_WAITS_PER_SESSION / TERMPOOL_MAX_WAITS (src/sessions/wait.ts).
    const outcome = await app.sessions.waits.wait(s, { ...cond, ...(after !== undefined && { commandAfter: after }) });
    const finished = after === undefined || s.isDisposed ? undefined : s.terminal.semantic.finishedAfter(after);
    return reply.code(outcome.satisfied ? 200 : 408).send({
      ...outcome, ...(after !== undefined && { command: finished ? commandInfo(finished) : null }), session: sessionInfo(s),
    });
  });
};

export default screenRoutes;
