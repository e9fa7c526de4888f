/** POST /v1/sessions/:id/input: encode with src/input for the terminal's current modes, write to the pty. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { encodeKeys, encodeMouse, encodePaste } from '../input/index.js';
import { ErrorBody, SessionParams, sessionErrors } from '../schemas/common.js';
import { InputBody, InputResult } from '../schemas/input.js';

const inputRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post('/v1/sessions/:id/input', {
    schema: {
      summary: 'Send text, key names, a paste or a mouse event to the program',
      tags: ['input'],
      params: SessionParams,
      body: InputBody,
      response: { 200: InputResult, ...sessionErrors, 409: ErrorBody, 413: ErrorBody },
    },
  }, async (req) => {
    const s = app.sessions.getRunning(req.params.id);
    const { text, keys, paste, mouse } = req.body;
    const modes = s.inputModes();
    let data: string | Buffer;
    if (keys !== undefined) data = encodeKeys(keys, modes);
    else if (paste !== undefined) data = encodePaste(paste, modes.bracketedPaste);
    else if (mouse !== undefined) data = encodeMouse(mouse, modes);
    else data = text ?? '';
    s.write(data);
    return { bytes: typeof data === 'string' ? Buffer.byteLength(data, 'utf8') : data.length };
  });
};

export default inputRoutes;
