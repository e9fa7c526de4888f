/**
 * Closing a refused WebSocket upgrade. @fastify/websocket hands the upgrade's socket to fastify's
 * router, and a hook that refuses it (auth's 401, the host guard's 421/403) answers on that socket
 * with an ordinary HTTP reply. Nothing else will close it afterwards (the WebSocket plugin's own
 * cleanup hook may never run after such a refusal), and a lingering socket would also hold up
 * app.close(); so it is destroyed once the reply is out.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';

/** True for a request asking to switch protocols (a WebSocket upgrade). */
export function isUpgrade(req: FastifyRequest): boolean {
  return req.headers.upgrade !== undefined;
}

/** Call before throwing a refusal: on an upgrade, closes the socket after the error reply is sent. */
export function closeRefusedUpgrade(req: FastifyRequest, reply: FastifyReply): void {
  if (!isUpgrade(req)) return;
  reply.header('connection', 'close');
  reply.raw.once('finish', () => req.raw.socket?.destroy());
}
