/**
 * A ScreenSnapshot as the body of a reply in one of the screen formats (text, json, ansi, html,
 * svg, png), and what a failure to build one means for the client. Shared by the main thread
 * (GET /v1/sessions/{id}/screen, src/routes/screen-format.ts) and the render workers
 * (src/workers/render-job.ts), so both give the same bytes. No HTTP here: headers and status
 * are the route's. The renderers load on first use: the PNG rasteriser is a native module most
 * clients never need.
 */
import type { ScreenSnapshot } from '../engine/index.js';
// Type only: a render worker never loads zod.
import type { ScreenFormats } from '../schemas/screen.js';

export type ScreenFormat = (typeof ScreenFormats)[number];

export interface ScreenBodyOptions {
  /**
   * `async` (default) rasterises a PNG on libuv's thread pool, keeping the main thread free;
   * `sync` rasterises on the calling thread: a render worker, whose budget must see the work.
   */
  png?: 'async' | 'sync';
}

let renderers: Promise<typeof import('./index.js')> | null = null;
export const loadRenderers = (): Promise<typeof import('./index.js')> => (renderers ??= import('./index.js'));

/** `snap` in `format`; text is the lines (not trimmed) joined by \n, ending in \n. */
export async function screenBody(snap: ScreenSnapshot, format: ScreenFormat, opts: ScreenBodyOptions = {}): Promise<string | Buffer> {
  switch (format) {
    case 'text': return snap.lines.map((l) => l.text).join('\n') + '\n';
    // Serialised here: the snapshot is large and already plain JSON.
    case 'json': return JSON.stringify(snap);
    case 'ansi': return (await loadRenderers()).renderAnsi(snap);
    case 'html': return (await loadRenderers()).renderHtml(snap);
    case 'svg': return (await loadRenderers()).renderSvg(snap);
    case 'png': {
      const r = await loadRenderers();
      return opts.png === 'sync' ? r.renderPng(snap) : r.renderPngAsync(snap);
    }
  }
}

/** A failure of screenBody a client can act on, as an error code and message; null for a bug. */
export interface BodyFailure {
  code: 'SNAPSHOT_TOO_LARGE' | 'RENDER_UNAVAILABLE';
  message: string;
}

/**
 * What went wrong building a body. V8 cannot build a string past ~512 MiB (RangeError: Invalid
 * string length): a snapshot with much scrollback in a verbose format can get there, and that
 * is the client's request to shrink. Missing fonts are the server's problem, not the client's.
 * By name: the renderers (and the PNG rasteriser behind these classes) load on first use.
 */
export function bodyFailure(err: unknown, format: string): BodyFailure | null {
  if (err instanceof RangeError && err.name === 'ImageTooLargeError') return { code: 'SNAPSHOT_TOO_LARGE', message: err.message };
  if (err instanceof RangeError && /string length|Array buffer allocation/i.test(err.message)) {
    return {
      code: 'SNAPSHOT_TOO_LARGE',
      message: `the ${format} rendering of this snapshot is larger than the server can build; ask for fewer scrollback lines (scrollback=N) or another format`,
    };
  }
  if (err instanceof Error && (err as { code?: unknown }).code === 'TERMPOOL_FONTS_MISSING') return { code: 'RENDER_UNAVAILABLE', message: `PNG rendering is unavailable: ${err.message}` };
  return null;
}
