/**
 * What reaches the program from outside: POST /v1/sessions/:id/input (encoded with src/input for
 * the terminal's current modes, written to the pty) and POST /v1/sessions/:id/signal (to the
 * terminal's foreground process group, src/sessions/signal.ts).
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { encodeInput, inputByteLength } from '../input/index.js';
import { inputBacklog } from '../errors.js';
import { ErrorBody, SessionParams, sessionErrors } from '../schemas/common.js';
import { InputBody, InputResult } from '../schemas/input.js';
import { SignalBody, SignalResult } from '../schemas/signal.js';
import { signalSession } from '../sessions/signal.js';
import { sessionInfo } from './session-info.js';

const inputRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post('/v1/sessions/:id/input', {
    schema: {
      summary: 'Send text, key names, a paste or a mouse event to the program',
      tags: ['input'],
      params: SessionParams,
      body: InputBody,
      description: 'Input waits for the program in a bounded queue: while the program has not read ' +
        'TERMPOOL_INPUT_BACKLOG_BYTES of what it was sent, more is refused with 429 INPUT_BACKLOG (nothing of it is taken).',
      response: { 200: InputResult, ...sessionErrors, 409: ErrorBody, 413: ErrorBody, 429: ErrorBody },
    },
  }, async (req) => {
    const s = app.sessions.getRunning(req.params.id);
    const data = encodeInput(req.body, s.inputModes());
    if (!s.write(data)) throw inputBacklog(s.id, s.inputPending, s.inputBacklogLimit);
    return { bytes: inputByteLength(data) };
  });

  app.post('/v1/sessions/:id/signal', {
    schema: {
      summary: 'Send a signal to the program in the foreground (what Ctrl-C would reach)',
      tags: ['input'],
      params: SessionParams,
      body: SignalBody,
      description: 'Delivered to the terminal\'s foreground process group (the pty\'s tcgetpgrp: a command a shell runs, or the ' +
        'shell at its prompt), or to the session leader\'s group when there is none. Names only, one of SIGINT, SIGTERM, SIGHUP, ' +
        'SIGKILL, SIGQUIT, SIGTSTP, SIGCONT, SIGUSR1, SIGUSR2, SIGWINCH (400 VALIDATION naming signal otherwise). 409 ' +
        'SESSION_EXITED once the program has exited. To end the whole session use DELETE.',
      response: { 200: SignalResult, ...sessionErrors, 409: ErrorBody },
    },
  }, async (req) => {
    const s = app.sessions.getRunning(req.params.id);
    const r = signalSession(s, req.body.signal);
    return { signal: req.body.signal, ...r, session: sessionInfo(s) };
  });
};

export default inputRoutes;
