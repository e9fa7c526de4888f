/**
 * GET /v1/sessions/{id}/recording?format=gif|apng|svg: the session's recording as an animation
 * (src/render/animation), answered by the recording route (routes/recording.ts) through
 * `sendAnimation`. The cast is replayed and drawn on a render worker (the pool POST /v1/render
 * uses, `app.renders`), so its cost — the recording's length × size, the client's to choose with
 * start/end/fps/fontSize — never holds the main thread: past TERMPOOL_RENDER_TIMEOUT_MS it is
 * stopped (422 RENDER_BUDGET), past the frame or pixel budget it is refused (422 RENDER_BUDGET
 * naming the figures), and with every worker busy and the queue full 429 RENDER_BUSY.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { ArchivedSession } from '../archive/archived-session.js';
import { ANIMATION_FORMATS, ANIMATION_MEDIA_TYPES, type AnimationFormat, type ThemeName } from '../render/animation/index.js';
import { ServiceError } from '../errors.js';
import { animationProblem } from '../schemas/recording-animation.js';

export interface AnimationQuery {
  format?: string | undefined;
  idleTimeLimit?: number | undefined;
  speed?: number | undefined;
  start?: number | undefined;
  end?: number | undefined;
  theme?: string | undefined;
  fontSize?: number | undefined;
  fps?: number | undefined;
  cursor?: 'true' | 'false' | undefined;
}

const OPTIONS = ['idleTimeLimit', 'speed', 'start', 'end', 'theme', 'fontSize', 'fps', 'cursor'] as const;

export const isAnimation = (format: string | undefined): format is AnimationFormat =>
  (ANIMATION_FORMATS as readonly string[]).includes(format ?? '');

/** A cast download (format v2/v3 or none) with animation options: 400 naming them. */
export function checkCastQuery(q: AnimationQuery): void {
  const given = OPTIONS.filter((k) => q[k] !== undefined);
  if (given.length > 0) {
    throw new ServiceError('VALIDATION', `${given.join(', ')} apply to animations only: add format=gif, apng or svg`, { options: given });
  }
}

type Session = ReturnType<FastifyInstance['sessions']['read']>;

/** The recording's cast text as it stands (null: not recorded). */
function castText(s: Session): string | null {
  if (s instanceof ArchivedSession) return s.recording()?.text() ?? null;
  const rec = s.recording;
  if (rec === null) return null;
  return [...rec.chunks(s.isDisposed ? '' : s.terminal.title, rec.format)].join('');
}

export async function sendAnimation(app: FastifyInstance, s: Session, q: AnimationQuery & { format: AnimationFormat }, reply: FastifyReply, notRecorded: () => Error): Promise<FastifyReply> {
  const problem = animationProblem(q);
  if (problem !== null) throw new ServiceError('VALIDATION', problem);
  const text = castText(s);
  if (text === null) throw notRecorded();
  const c = app.sessions.config;
  const gone = new AbortController();
  const onClose = (): void => { if (!reply.raw.writableFinished) gone.abort(); };
  reply.raw.once('close', onClose);
  try {
    const out = await app.renders.run({
      body: Buffer.from(text), input: 'cast', format: 'text', maxCols: c.maxCols, maxRows: c.maxRows,
      animation: {
        format: q.format,
        ...(q.idleTimeLimit !== undefined && { idleTimeLimit: q.idleTimeLimit }),
        ...(q.speed !== undefined && { speed: q.speed }),
        ...(q.start !== undefined && { start: q.start }),
        ...(q.end !== undefined && { end: q.end }),
        ...(q.theme !== undefined && { theme: q.theme as ThemeName }),
        ...(q.fontSize !== undefined && { fontSize: q.fontSize }),
        ...(q.fps !== undefined && { fps: q.fps }),
        ...(q.cursor !== undefined && { cursor: q.cursor === 'true' }),
      },
    }, gone.signal);
    if (!out.ok) throw new ServiceError(out.code, out.message, out.details);
    const ext = q.format === 'apng' ? 'png' : q.format;
    return reply
      .type(ANIMATION_MEDIA_TYPES[q.format])
      .header('content-disposition', `inline; filename="${s.id}.${ext}"`)
      .send(typeof out.body === 'string' ? out.body : Buffer.from(out.body.buffer, out.body.byteOffset, out.body.byteLength));
  } catch (err) {
    if (err instanceof ServiceError && err.code === 'RENDER_BUSY') reply.header('retry-after', '1');
    throw err;
  } finally {
    reply.raw.off('close', onClose);
  }
}
