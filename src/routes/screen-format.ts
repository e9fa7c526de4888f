/**
 * A ScreenSnapshot as a reply in one of the screen formats (text, json, ansi, html, svg, png),
 * shared by GET /v1/sessions/{id}/screen and POST /v1/render. The renderers load on first use:
 * the PNG rasteriser is a native module most clients never need.
 */
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import type { ScreenSnapshot } from '../engine/index.js';
import { ServiceError } from '../errors.js';
import { ScreenSnapshot as ScreenSnapshotSchema, type ScreenFormats } from '../schemas/screen.js';

let renderers: Promise<typeof import('../render/index.js')> | null = null;
export const loadRenderers = (): Promise<typeof import('../render/index.js')> => (renderers ??= import('../render/index.js'));

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
 * V8 cannot build a string past ~512 MiB (RangeError: Invalid string length). A snapshot with
 * much scrollback in a verbose format can get there; that is the client's request to shrink.
 */
export function tooLarge(err: unknown, format: string): never {
  // By name: the renderers (and the PNG rasteriser behind this class) load on first use.
  if (err instanceof RangeError && err.name === 'ImageTooLargeError') throw new ServiceError('SNAPSHOT_TOO_LARGE', err.message);
  if (err instanceof RangeError && /string length|Array buffer allocation/i.test(err.message)) {
    throw new ServiceError('SNAPSHOT_TOO_LARGE', `the ${format} rendering of this snapshot is larger than the server can build; ask for fewer scrollback lines (scrollback=N) or another format`);
  }
  throw err;
}

/** Sends `snap` in `format`; text is the lines right-trimmed, joined by \n. */
export async function sendSnapshot(reply: FastifyReply, snap: ScreenSnapshot, format: (typeof ScreenFormats)[number]): Promise<FastifyReply> {
  try {
    return await sendFormat(reply, snap, format);
  } catch (err) {
    return tooLarge(err, format);
  }
}

async function sendFormat(reply: FastifyReply, snap: ScreenSnapshot, format: (typeof ScreenFormats)[number]): Promise<FastifyReply> {
  switch (format) {
    case 'text': return reply.type(MEDIA.text).send(snap.lines.map((l) => l.text).join('\n') + '\n');
    // Serialised here: the snapshot is large and already plain JSON.
    case 'json': return reply.type('application/json; charset=utf-8').send(JSON.stringify(snap));
    case 'ansi': return reply.type(MEDIA.ansi).send((await loadRenderers()).renderAnsi(snap));
    case 'html': return renderingHeaders(reply).type(MEDIA.html).send((await loadRenderers()).renderHtml(snap));
    case 'svg': return renderingHeaders(reply).type(MEDIA.svg).send((await loadRenderers()).renderSvg(snap));
    // Binary body (the schema documents it as a string of bytes). Missing fonts are the
    // server's problem, not the client's: 503.
    case 'png': {
      const r = await loadRenderers();
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
}
