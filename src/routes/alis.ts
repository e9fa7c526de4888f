/**
 * A session as an asciinema live stream (ALiS v1, src/cast/alis.ts), so asciinema-player can
 * attach to it: `AsciinemaPlayer.create('ws://host/v1/sessions/ID/alis?key=KEY', el)`.
 *
 * - GET /v1/sessions/:id/alis — the WebSocket, subprotocol `v1.alis` (the player offers it
 *   first; the server selects it, src/app.ts). Read-only: client messages are ignored. The
 *   stream starts with an init frame holding the session's current screen as output bytes
 *   (src/render/ansi.ts: a fresh terminal of that size that replays them shows the same
 *   screen), so a late joiner sees what is there; then output, resize, marker (POST
 *   /v1/sessions/{id}/marker on a recorded session: the player fires its `marker` event) and
 *   exit events, times from the session's start. A separate path rather than a mode of /ws: the
 *   player cannot be told which protocol to speak other than by URL, and this one needs its own
 *   credential.
 * - GET /v1/sessions/:id/alis-key — the stream's key and path for an embed snippet (the web
 *   viewer's "copy embed snippet"). The player cannot send a header, so the stream accepts a
 *   per-session read-only key in the query instead of the token (src/plugins/alis-key.ts). The
 *   Origin rule of every WebSocket holds (src/plugins/host-guard.ts): a page on another origin
 *   needs that origin in TERMPOOL_ALLOWED_ORIGINS.
 *
 * Backpressure as the JSON viewers (src/sessions/viewers.ts): a viewer more than 1 MiB behind
 * has output skipped; once drained it gets a fresh init (the player resets to it), which makes
 * up for what it missed. Markers are sent even then, up to the viewers' hard limit (4 MiB
 * buffered), past which the stream is closed with 1013. Nothing is queued here and the pty is
 * never paused.
 */
import { constants as osConstants } from 'node:os';
import { StringDecoder } from 'node:string_decoder';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type {} from '@fastify/websocket';
import type { WebSocket } from 'ws';
import { z } from 'zod';
import { ALIS_MAGIC, ALIS_SUBPROTOCOL, AlisEncoder } from '../cast/alis.js';
import { ServiceError } from '../errors.js';
import { STREAM_KEY_PARAM, streamKey } from '../plugins/alis-key.js';
import { renderAnsi } from '../render/ansi.js';
import { ErrorBody, SessionParams, sessionErrors } from '../schemas/common.js';
import { HARD_LIMIT_BYTES, OUTPUT_HIGH_WATER_BYTES, RESUME_LOW_WATER_BYTES, SCREEN_INTERVAL_MS } from '../sessions/viewers.js';
import type { Session } from '../sessions/session.js';
import { checkUpgradeHeaders } from './ws.js';

export interface AlisRouteOptions {
  /** The API token (empty: no auth, and stream keys are not needed). */
  token: string;
}

export const AlisQuery = z.object({
  [STREAM_KEY_PARAM]: z.string().min(1).max(256).optional()
    .describe('the stream key from GET /v1/sessions/{id}/alis-key: what a browser page sends instead of the token'),
}).strict();

export const AlisKeyReply = z.object({
  key: z.string().nullable().describe('read-only key for this session\'s stream; null when the server has no token (none needed)'),
  path: z.string().describe('the stream\'s path with its key: prefix ws:// or wss:// and the host to get the player\'s URL'),
  subprotocol: z.literal(ALIS_SUBPROTOCOL),
});

/** The session's screen as bytes that rebuild it on a fresh terminal of its size. */
export function screenBytes(session: Session): { cols: number; rows: number; data: string } {
  const snap = session.snapshot(0);
  let data = renderAnsi(snap);
  // On the alternate screen: so that leaving it shows a (blank) primary, not the alternate's leftovers.
  if (snap.modes.alternateScreen) data = '\x1b[?1049h' + data;
  if (!snap.modes.autowrap) data += '\x1b[?7l';
  return { cols: snap.cols, rows: snap.rows, data };
}

const alisRoutes: FastifyPluginAsyncZod<AlisRouteOptions> = async (app, opts) => {
  app.get('/v1/sessions/:id/alis-key', {
    schema: {
      summary: 'The key and path of the session\'s ALiS live stream, for embedding asciinema-player',
      description: 'The key opens this session\'s stream (GET /v1/sessions/{id}/alis) and nothing else, read-only; it is derived ' +
        'from the token, so it stays valid while the token does. Put the path after ws:// (wss:// behind TLS) and the host.',
      tags: ['sessions'],
      operationId: 'getAlisKey',
      params: SessionParams,
      response: { 200: AlisKeyReply, ...sessionErrors },
    },
  }, async (req) => {
    const s = app.sessions.get(req.params.id);
    const key = opts.token === '' ? null : streamKey(opts.token, s.id);
    const path = `/v1/sessions/${encodeURIComponent(s.id)}/alis${key === null ? '' : `?${STREAM_KEY_PARAM}=${key}`}`;
    return { key, path, subprotocol: ALIS_SUBPROTOCOL } as const;
  });

  app.route({
    method: 'GET',
    url: '/v1/sessions/:id/alis',
    schema: {
      summary: 'Live stream for asciinema-player (ALiS v1 over WebSocket)',
      description: 'Upgrade to a WebSocket with subprotocol v1.alis (asciinema\'s live-stream protocol, as asciinema-player ' +
        'speaks it): binary frames, the magic "ALiS\\x01", an init frame with the size and the current screen, then ' +
        'output, resize, marker (POST /v1/sessions/{id}/marker) and exit events, and EOT when the session has exited. Read-only. Authenticated by the token ' +
        '(header or termpool.bearer subprotocol) or by ?key= from GET /v1/sessions/{id}/alis-key, which a browser page can send. ' +
        'A plain GET (no upgrade) answers 426; an upgrade that does not offer v1.alis answers 400.',
      tags: ['sessions'],
      operationId: 'streamAlis',
      params: SessionParams,
      querystring: AlisQuery,
      response: {
        101: {
          description: 'Switching Protocols: binary ALiS v1 frames follow (subprotocol v1.alis)',
          content: { 'application/octet-stream': { schema: z.string().describe('ALiS v1 frames, one per WebSocket message') } },
        },
        ...sessionErrors,
        426: ErrorBody,
      },
    },
    preHandler: async (req) => {
      app.sessions.get((req.params as z.infer<typeof SessionParams>).id);
      checkUpgradeHeaders(req.headers);
      if (req.headers.upgrade === undefined) return;
      const offered = String(req.headers['sec-websocket-protocol'] ?? '').split(',').map((p) => p.trim());
      if (!offered.includes(ALIS_SUBPROTOCOL)) {
        throw new ServiceError('VALIDATION', `Sec-WebSocket-Protocol must offer ${ALIS_SUBPROTOCOL} (asciinema's live-stream protocol): this endpoint speaks nothing else`);
      }
    },
    handler: async () => {
      throw new ServiceError('UPGRADE_REQUIRED', 'this is a WebSocket endpoint: connect with Upgrade: websocket and subprotocol v1.alis');
    },
    wsHandler: (socket, req) => {
      // The URL (and its key) is never logged here; request logs redact it (src/app.ts).
      let session: Session;
      try {
        session = app.sessions.get((req.params as z.infer<typeof SessionParams>).id);
      } catch {
        socket.close(1011, 'session is gone');
        return;
      }
      socket.on('message', () => { /* read-only: client messages are ignored */ });
      streamSession(socket, session);
    },
  });
};

/** Sends one session to one socket until either ends. */
export function streamSession(socket: WebSocket, session: Session): void {
  const enc = new AlisEncoder();
  const decoder = new StringDecoder('utf8');
  const started = session.createdAt.getTime();
  const nowUs = (): number => (Date.now() - started) * 1000;
  let cols = session.spec.cols;
  let rows = session.spec.rows;
  let behind = false;
  let poll: NodeJS.Timeout | null = null;

  const send = (b: Buffer): void => { if (socket.readyState === 1) socket.send(b, { binary: true }); };
  const sendInit = (): void => {
    const s = screenBytes(session);
    cols = s.cols;
    rows = s.rows;
    send(enc.init(nowUs(), s.cols, s.rows, s.data));
  };
  /** A resize event when the session's size changed since the last frame. */
  const sizeCheck = (): void => {
    const c = session.spec.cols, r = session.spec.rows;
    if (c === cols && r === rows) return;
    cols = c;
    rows = r;
    send(enc.resize(nowUs(), c, r));
  };
  const resume = (): void => {
    if (socket.bufferedAmount > RESUME_LOW_WATER_BYTES) return;
    behind = false;
    if (poll) { clearInterval(poll); poll = null; }
    decoder.end(); // a character split at the cut is lost with the skipped output
    sendInit();
  };

  const onOutput = (chunk: Buffer): void => {
    const text = decoder.write(chunk);
    if (behind) return;
    if (socket.bufferedAmount > OUTPUT_HIGH_WATER_BYTES) {
      behind = true;
      poll = setInterval(resume, SCREEN_INTERVAL_MS);
      return;
    }
    sizeCheck();
    if (text !== '') send(enc.output(nowUs(), text));
  };
  const onUpdate = (): void => { if (!behind) sizeCheck(); };
  // Sent even to a viewer that is behind: the init that catches it up carries no markers, so one
  // skipped would be lost for good. But a viewer that reads nothing would queue every marker
  // (4 KiB each, as fast as they are posted): past the hard limit it is closed, as a JSON viewer is.
  const onMarker = (label: string): void => {
    if (socket.readyState !== 1) return;
    if (socket.bufferedAmount > HARD_LIMIT_BYTES) { socket.close(1013, 'viewer too slow'); stop(); return; }
    send(enc.marker(nowUs(), label));
  };
  const finish = (): void => {
    if (socket.readyState !== 1) return;
    if (socket.bufferedAmount > HARD_LIMIT_BYTES) { socket.close(1013, 'viewer too slow'); return; }
    const rest = decoder.end();
    if (!behind && rest !== '') send(enc.output(nowUs(), rest));
    const status = session.exitCode ?? 128 + signalNumber(session.signal);
    send(enc.exit(nowUs(), status));
    send(enc.eot());
    socket.close(1000, 'session exited');
  };
  const onClosed = (): void => { if (socket.readyState === 1) { send(enc.eot()); socket.close(1000, 'session closed'); } };
  const stop = (): void => {
    if (poll) { clearInterval(poll); poll = null; }
    session.off('output', onOutput);
    session.off('update', onUpdate);
    session.off('marker', onMarker);
    session.off('exit', finish);
    session.off('closed', onClosed);
  };

  send(ALIS_MAGIC);
  sendInit();
  if (!session.running) { finish(); return; }
  session.on('output', onOutput);
  session.on('update', onUpdate);
  session.on('marker', onMarker);
  session.on('exit', finish);
  session.on('closed', onClosed);
  socket.on('close', stop);
  socket.on('error', stop);
}

/** asciinema's exit status for a signal: 128 + its number (as the recording's "x" event). */
const signalNumber = (name: string | null): number =>
  name === null ? 0 : (osConstants.signals as Record<string, number>)[name] ?? (Number(name) || 0);

export default alisRoutes;
