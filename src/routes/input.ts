/** POST /v1/sessions/:id/input: encode with src/input for the terminal's current modes, write to the pty. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { encodeInput, inputByteLength } from '../input/index.js';
import { inputBacklog } from '../errors.js';
import { ErrorBody, SessionParams, sessionErrors } from '../schemas/common.js';
import { InputBody, InputResult } from '../schemas/input.js';

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
};

export default inputRoutes;
