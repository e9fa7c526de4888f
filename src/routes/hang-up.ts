/**
 * A signal that aborts when the client hangs up before its answer is written: long requests
 * (waits, /run, regex searches) stop at once instead of holding listeners or budget until their
 * timeout. A close after the answer was written is the normal end and aborts nothing.
 */
import type { FastifyReply } from 'fastify';

export function abortOnHangUp(reply: FastifyReply): AbortSignal {
  const gone = new AbortController();
  reply.raw.once('close', () => { if (!reply.raw.writableFinished) gone.abort(); });
  return gone.signal;
}
