/** POST /v1/sessions/{id}/signal: body and answer. */
import { z } from 'zod';
import { SESSION_SIGNALS } from '../sessions/signal.js';
import { SessionInfo } from './sessions.js';

export const SignalBody = z
  .object({
    signal: z.enum(SESSION_SIGNALS).describe('the signal, by name'),
  })
  .strict()
  .meta({ id: 'Signal' });

export const SignalResult = z
  .object({
    signal: z.enum(SESSION_SIGNALS),
    processGroup: z.number().int().describe('the process group signalled'),
    foreground: z.boolean().describe('true: the terminal\'s foreground process group; false: it had none, the session leader\'s group got it'),
    session: SessionInfo.describe('the session right after sending (a signal that ends the program shows as exited once it has)'),
  })
  .meta({ id: 'SignalResult' });
