/**
 * A ScreenSnapshot as a reply in one of the screen formats (text, json, ansi, html, svg, png),
 * shared by GET /v1/sessions/{id}/screen and POST /v1/render: the headers and error statuses here,
 * the bodies in src/render/screen-body.ts (which a render worker builds too).
 */
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import type { ScreenSnapshot, Terminal } from '../engine/index.js';
import { ServiceError } from '../errors.js';
import { bodyFailure, screenBody, type ScreenFormat } from '../render/screen-body.js';
import { snapshotStream, type StreamFormat } from '../render/stream.js';
import type { CopyBudget } from './snapshot-budget.js';
import { ScreenSnapshot as ScreenSnapshotSchema } from '../schemas/screen.js';

export { loadRenderers } from '../render/screen-body.js';

export const MEDIA = {
  text: 'text/plain; charset=utf-8',
  ansi: 'text/plain; charset=utf-8',
  html: 'text/html; charset=utf-8',
  svg: 'image/svg+xml',
  png: 'image/png',
} as const;

/**
 * For the HTML and SVG renderings, which a browser may open as a page: they are pictures of what
 * a program printed, so nothing in them may run, load or submit anything. Inline styles only (the
 * renderers colour runs with style attributes and one <style>); `sandbox` puts the page in an
 * opaque origin with no scripts, forms or popups, so even markup that slipped past the escaping
 * could not reach this server as its own origin. OSC 8 links stay clickable (a top-level sandboxed
 * page may navigate itself). No framing: a foreign page cannot overlay the picture.
 */
export const RENDERING_CSP = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'; sandbox";

/** The headers every HTML or SVG rendering is sent with. */
function renderingHeaders(reply: FastifyReply): FastifyReply {
  return reply.header('content-security-policy', RENDERING_CSP).header('referrer-policy', 'no-referrer');
}

/** The documented 200 response of a route answering with a screen in any format. */
export const screenResponse = {
  description: 'the screen in the requested format',
  content: {
    'application/json': { schema: ScreenSnapshotSchema },
    'text/plain': { schema: z.string().describe('format=text or format=ansi') },
    'text/html': { schema: z.string() },
    'image/svg+xml': { schema: z.string() },
    'image/png': { schema: z.string().describe('binary PNG') },
  },
};

/**
 * A failure to build the body the client can act on (a rendering too large to build: 422;
 * missing fonts: 503) as its ServiceError; anything else is rethrown.
 */
export function tooLarge(err: unknown, format: string): never {
  const f = bodyFailure(err, format);
  if (f !== null) throw new ServiceError(f.code, f.message);
  throw err;
}

/** Sends `snap` in `format`; text is the lines right-trimmed, joined by \n. */
export async function sendSnapshot(reply: FastifyReply, snap: ScreenSnapshot, format: ScreenFormat): Promise<FastifyReply> {
  let body: string | Buffer;
  try {
    body = await screenBody(snap, format);
  } catch (err) {
    return tooLarge(err, format);
  }
  return sendBody(reply, format, body);
}

/** Streams `t`'s snapshot in `format` (src/render/stream.ts) with the format's headers. */
export function sendStream(reply: FastifyReply, t: Terminal, scrollback: number, format: StreamFormat, copies: CopyBudget): FastifyReply {
  return sendBody(reply, format, snapshotStream(t, scrollback, format, (bytes) => copies.reserve(bytes)) as unknown as string);
}

/** Sends a body built by screenBody (here or in a render worker) with its format's headers. */
export function sendBody(reply: FastifyReply, format: ScreenFormat, body: string | Uint8Array): FastifyReply {
  switch (format) {
    case 'text': return reply.type(MEDIA.text).send(body);
    case 'json': return reply.type('application/json; charset=utf-8').send(body);
    case 'ansi': return reply.type(MEDIA.ansi).send(body);
    case 'html': return renderingHeaders(reply).type(MEDIA.html).send(body);
    case 'svg': return renderingHeaders(reply).type(MEDIA.svg).send(body);
    // Binary body (the schema documents it as a string of bytes); a worker's Buffer arrives as
    // a plain Uint8Array, which fastify would serialise as JSON.
    case 'png': return reply.type(MEDIA.png).send(asBuffer(body) as unknown as string);
  }
}

const asBuffer = (b: string | Uint8Array): Buffer | string =>
  typeof b === 'string' || Buffer.isBuffer(b) ? b : Buffer.from(b.buffer, b.byteOffset, b.byteLength);
