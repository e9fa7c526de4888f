/** Session lifecycle: create, list, describe, delete, resize. Thin: the registry does the work. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ArchivedSession } from '../archive/archived-session.js';
import { isServiceError } from '../errors.js';
import type { Session } from '../sessions/session.js';
import { ErrorBody, SessionParams, sessionErrors } from '../schemas/common.js';
import { CreateSessionBody, ResizeBody, SessionInfo, SessionList } from '../schemas/sessions.js';
import { sessionInfo } from './session-info.js';
import { FAN_OUT_HEADER, clusterList } from '../cluster/cluster-list.js';

const sessionRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post('/v1/sessions', {
    schema: {
      summary: 'Start a program under a new pty',
      tags: ['sessions'],
      body: CreateSessionBody,
      response: { 201: SessionInfo, 400: ErrorBody, 401: ErrorBody, 413: ErrorBody, 429: ErrorBody, 503: ErrorBody },
    },
  }, async (req, reply) => {
    const s = app.sessions.create(req.body);
    return reply.code(201).send(sessionInfo(s));
  });

  app.get('/v1/sessions', {
    schema: {
      summary: 'List sessions (running, retained exited and archived ones)',
      description: 'With TERMPOOL_PEERS set, the whole cluster\'s: this server asks each peer (with the caller\'s ' +
        `Authorization and a ${FAN_OUT_HEADER} header, so the peer answers for itself only) and says in \`cluster\` ` +
        'which peers did not answer.',
      tags: ['sessions'],
      response: { 200: SessionList, 401: ErrorBody },
    },
  }, async (req) => clusterList(app.sessions, { authorization: req.headers.authorization, fanOut: req.headers[FAN_OUT_HEADER] !== undefined }));

  app.get('/v1/sessions/:id', {
    schema: { summary: 'Describe a session', tags: ['sessions'], params: SessionParams, response: { 200: SessionInfo, ...sessionErrors, 410: ErrorBody } },
  }, async (req) => sessionInfo(app.sessions.read(req.params.id)));

  app.delete('/v1/sessions/:id', {
    schema: {
      summary: 'Kill the process group and release the pages',
      description: 'SIGHUP to the process group, SIGKILL after a grace period; answers once the program is gone, ' +
        'with the session as it ended (exit code or signal). Also deletes its archived copy; an archived (or damaged ' +
        'archived) session is deleted from the archive store.',
      tags: ['sessions'],
      params: SessionParams,
      response: { 200: SessionInfo, 204: z.null().describe('a damaged archived session was deleted (nothing to describe)'), ...sessionErrors },
    },
  }, async (req, reply) => {
    const id = req.params.id;
    let s: Session | ArchivedSession | null = null;
    try {
      s = app.sessions.read(id);
    } catch (err) {
      // A damaged archived session cannot be described, but it can be deleted.
      if (!(isServiceError(err) && err.code === 'ARCHIVE_CORRUPT')) throw err;
    }
    await app.sessions.remove(id);
    return s === null ? reply.code(204).send(null) : sessionInfo(s);
  });

  app.post('/v1/sessions/:id/resize', {
    schema: {
      summary: 'Resize the terminal and the pty (the program gets SIGWINCH)',
      tags: ['sessions'],
      params: SessionParams,
      body: ResizeBody,
      response: { 200: SessionInfo, ...sessionErrors, 409: ErrorBody },
    },
  }, async (req) => {
    const s = app.sessions.getRunning(req.params.id);
    app.sessions.checkSize(req.body.cols, req.body.rows);
    s.resize(req.body.cols, req.body.rows);
    // The reflow comes a little later, one for a whole burst (src/sessions/session.ts): answered
    // after it, with the session as it then is.
    await s.resized();
    return sessionInfo(s);
  });
};

export default sessionRoutes;
