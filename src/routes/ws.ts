/**
 * GET /v1/sessions/:id/ws: a live view of a session over WebSocket (several viewers at once).
 * Server → client: output, screen (coalesced), exit, command (shell integration), dropped, error; client → server: input and
 * resize, validated like their HTTP routes (src/schemas/ws.ts). A bad client message gets an
 * error message and the socket stays open; fan-out and backpressure live in
 * src/sessions/viewers.ts. Auth and the 404 for an unknown session happen before the upgrade,
 * so a refused client gets an ordinary HTTP error.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type {} from '@fastify/websocket'; // route option `wsHandler`
import type { RawData } from 'ws';
import { z } from 'zod';
import { ServiceError, exited, inputBacklog, isServiceError } from '../errors.js';
import { InputError, encodeInput } from '../input/index.js';
import { ErrorBody, SessionParams, sessionErrors } from '../schemas/common.js';
import { WsClientMessage, WsQuery, WsServerMessage } from '../schemas/ws.js';
import type { Session } from '../sessions/session.js';
import { ViewerHub } from '../sessions/viewers.js';
import type { CommandEvent } from '../engine/index.js';
import { commandInfo } from './command-info.js';

const wsRoutes: FastifyPluginAsyncZod = async (app) => {
  const hubs = new Map<Session, ViewerHub>();
  const hubFor = (s: Session): ViewerHub => {
    let hub = hubs.get(s);
    if (!hub) {
      const h = new ViewerHub(s, () => { if (hubs.get(s) === h) hubs.delete(s); });
      hubs.set(s, h);
      hub = h;
    }
    return hub;
  };

  app.route({
    method: 'GET',
    url: '/v1/sessions/:id/ws',
    schema: {
      summary: 'Live view over WebSocket: output and screen updates out, input and resize in',
      description: 'Upgrade to a WebSocket; every frame is one JSON message. Server → client: WsServerMessage ' +
        '(a screen message at once, then output as it comes, screens when the screen changed — at most every 50 ms — ' +
        'command start/finish events for a session with shell integration, and exit; ?format=html adds each line rendered as HTML). Client → server: WsClientMessage (input, resize); a refused message gets an error message and the ' +
        'socket stays open. A viewer more than 1 MiB behind has output skipped, then gets a dropped message and a ' +
        'fresh screen once it catches up. A plain GET (no upgrade) answers 426.',
      tags: ['sessions'],
      params: SessionParams,
      querystring: WsQuery,
      response: {
        101: {
          description: 'Switching Protocols: JSON text frames follow, WsServerMessage from the server and WsClientMessage from the client',
          content: { 'application/json': { schema: WsServerMessage } },
        },
        ...sessionErrors,
        409: ErrorBody,
        426: ErrorBody,
      },
    },
    // Runs before the upgrade: an unknown session is a plain 404, not an opened-then-closed socket.
    preHandler: async (req) => {
      app.sessions.get((req.params as z.infer<typeof SessionParams>).id);
      checkUpgradeHeaders(req.headers);
    },
    handler: async () => {
      throw new ServiceError('UPGRADE_REQUIRED', 'this is a WebSocket endpoint: connect with Upgrade: websocket');
    },
    wsHandler: (socket, req) => {
      const id = (req.params as z.infer<typeof SessionParams>).id;
      let session: Session;
      try {
        session = app.sessions.get(id);
      } catch {
        socket.close(1011, 'session is gone');
        return;
      }
      const hub = hubFor(session);
      const viewer = hub.add(socket, (req.query as z.infer<typeof WsQuery>).format);
      socket.on('message', (data: RawData, isBinary: boolean) => {
        try {
          handleMessage(session, data, isBinary);
        } catch (err) {
          viewer.sendControl(errorMessage(err, req.log));
        }
      });
      // Shell integration: command start/finish, as control messages (never dropped for a slow viewer).
      const onCommand = (e: CommandEvent): void => viewer.sendControl({ type: 'command', event: e.type, command: commandInfo(e.command) });
      session.on('command', onCommand);
      socket.on('close', () => {
        session.off('command', onCommand);
        hub.remove(viewer);
      });
    },
  });

  function handleMessage(s: Session, data: RawData, isBinary: boolean): void {
    if (isBinary) throw new ServiceError('VALIDATION', 'binary frames are not accepted: send JSON text messages');
    let raw: unknown;
    try {
      raw = JSON.parse(rawText(data));
    } catch (err) {
      throw new ServiceError('VALIDATION', 'message is not valid JSON', { reason: err instanceof Error ? err.message : String(err) });
    }
    const parsed = WsClientMessage.safeParse(raw);
    if (!parsed.success) {
      const issues = parsed.error.issues.map((i) => ({ path: '/' + i.path.join('/'), message: i.message }));
      const first = issues[0];
      throw new ServiceError('VALIDATION', `invalid message${first ? `: ${first.path === '/' ? '(root)' : first.path} ${first.message}` : ''}`, { issues });
    }
    const msg = parsed.data;
    if (!s.running) throw exited(s.id);
    switch (msg.type) {
      case 'input': {
        if (!s.write(encodeInput(msg, s.inputModes()))) throw inputBacklog(s.id, s.inputPending, s.inputBacklogLimit);
        return;
      }
      case 'resize':
        app.sessions.checkSize(msg.cols, msg.rows);
        s.resize(msg.cols, msg.rows);
        return;
    }
  }
};

/**
 * The handshake headers ws would refuse with a bare text/html 400: refused here instead, as JSON
 * errors naming the header (the plugin destroys a refused upgrade's socket after the reply).
 */
export function checkUpgradeHeaders(h: Record<string, string | string[] | undefined>): void {
  const upgrade = h['upgrade'];
  if (upgrade === undefined) return; // a plain GET: the handler answers 426
  if (String(upgrade).toLowerCase() !== 'websocket') {
    throw new ServiceError('UPGRADE_REQUIRED', `Upgrade: ${String(upgrade)} is not supported: this endpoint upgrades to websocket only`);
  }
  const version = h['sec-websocket-version'];
  if (version !== '13' && version !== '8') {
    throw new ServiceError('VALIDATION', `Sec-WebSocket-Version ${JSON.stringify(version ?? null)} is not supported: send 13`);
  }
  const key = h['sec-websocket-key'];
  if (typeof key !== 'string' || !/^[+/0-9A-Za-z]{22}==$/.test(key.trim())) {
    throw new ServiceError('VALIDATION', 'Sec-WebSocket-Key header is missing or not 16 bytes in base64');
  }
}

function rawText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data as ArrayBuffer).toString('utf8');
}

/** The error message for a refused client message; only our own bugs are logged. */
function errorMessage(err: unknown, log: { error(o: object, msg: string): void }): WsServerMessage {
  if (isServiceError(err) || err instanceof InputError) {
    return { type: 'error', error: err.code, message: err.message, ...(err.details === undefined ? {} : { details: err.details }) };
  }
  log.error({ err }, 'websocket message failed');
  return { type: 'error', error: 'INTERNAL', message: 'internal server error' };
}

export default wsRoutes;
