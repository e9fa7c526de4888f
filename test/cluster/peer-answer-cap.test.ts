/**
 * A peer answering with an endless body: the cluster list cuts it at PEER_LIST_MAX_BYTES and
 * names the peer as failed (the others still listed), and an MCP tool call forwarded to it is cut
 * at PEER_ANSWER_MAX_BYTES and answered as a tool error naming the peer; in both, the fake peer
 * could push no more than the cap plus the sockets' buffers before the connection was dropped.
 * Without the caps the whole body was buffered until the 3 s time limit (the list) or for ever.
 * The fake peer stops at 256 MiB (so a broken build fails instead of eating the machine).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PEER_ERROR_MAX_CHARS, PEER_LIST_MAX_BYTES } from '../../src/cluster/cluster-list.js';
import { PEER_ANSWER_MAX_BYTES } from '../../src/cluster/cluster-backend.js';
import { startTestServer, type TestServer } from '../helpers/service.js';

const MiB = 1 << 20;
const ENDLESS = 256 * MiB;

/** Bytes the fake peer managed to hand to the kernel per request path, once its connection closed. */
const sent = new Map<string, number>();
let endless: Server | null = null;
const sockets: Socket[] = [];

/** A JSON answer that never ends: `{"sessions": [` then spaces, as fast as the socket takes them. */
function endlessJson(req: IncomingMessage, res: ServerResponse): void {
  const key = new URL(req.url!, 'http://x').pathname;
  if (key.startsWith('/long-error/')) {
    // A peer that fails with an error string of 6 MiB (under the answer's cap).
    res.writeHead(500, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: 'E'.repeat(6 * MiB), message: 'no' }));
    return;
  }
  let n = 0;
  res.writeHead(200, { 'content-type': 'application/json' });
  const chunk = Buffer.alloc(64 << 10, 0x20);
  const go = (): void => {
    while (n < ENDLESS && !res.destroyed) {
      n += chunk.length;
      if (!res.write(chunk)) { res.once('drain', go); return; }
    }
  };
  res.write(key.endsWith('/screen') ? '{"lines": [' : '{"sessions": [');
  res.on('close', () => sent.set(key, n));
  go();
}

describe('cluster: a peer\'s answer has a size cap', () => {
  let peer: TestServer | null = null;
  let front: TestServer | null = null;
  let endlessUrl = '';

  beforeAll(async () => {
    peer = await startTestServer({ TERMPOOL_TOKEN: 'shared', TERMPOOL_ID_PREFIX: 'termpool-1' });
    endless = createServer(endlessJson);
    endless.on('connection', (s) => sockets.push(s));
    await new Promise<void>((r) => endless!.listen(0, '127.0.0.1', r));
    const addr = endless.address();
    endlessUrl = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
    front = await startTestServer({
      TERMPOOL_TOKEN: 'shared', TERMPOOL_ID_PREFIX: 'termpool-0',
      TERMPOOL_PEERS: `termpool-1=${peer.url},termpool-2=${endlessUrl},termpool-3=${endlessUrl}/long-error`,
    });
  }, 30_000);

  afterAll(async () => {
    for (const s of sockets) s.destroy();
    endless?.close();
    await Promise.all([front?.close(), peer?.close()]);
  });

  /** Waits (test side) until the fake peer saw its connection for `key` close. */
  async function closed(key: string): Promise<number> {
    for (let i = 0; i < 200 && !sent.has(key); i++) await new Promise((r) => setTimeout(r, 50));
    return sent.get(key) ?? -1;
  }

  it('the list: the endless peer is named as failed at the cap, the others listed', async () => {
    const theirs = await peer!.client.createSession({ command: 'sh' });
    const r = await front!.api('GET', '/v1/sessions');
    expect(r.status).toBe(200);
    expect(r.body.sessions.map((s: { id: string }) => s.id)).toEqual([theirs.id]);
    expect(r.body.cluster.complete).toBe(false);
    expect(r.body.cluster.peers).toEqual([
      { name: 'termpool-1', url: peer!.url, ok: true, sessions: 1 },
      { name: 'termpool-2', url: endlessUrl, ok: false, sessions: 0, error: `answer larger than ${PEER_LIST_MAX_BYTES} bytes (the cap on a peer's answer); cut off` },
      // Its 6 MiB error string is not copied into the answer whole.
      { name: 'termpool-3', url: `${endlessUrl}/long-error`, ok: false, sessions: 0, error: `HTTP 500 ${'E'.repeat(PEER_ERROR_MAX_CHARS - 9)}… (${6 * MiB + 9} characters, cut)` },
    ]);
    expect(r.raw.length).toBeLessThan(64 << 10);
    const n = await closed('/v1/sessions');
    expect(n).toBeGreaterThan(PEER_LIST_MAX_BYTES);
    // The cap plus what the two sockets' kernel buffers took in before the close.
    expect(n, `${(n / MiB).toFixed(1)} MiB sent`).toBeLessThan(PEER_LIST_MAX_BYTES + 32 * MiB);
    await peer!.client.deleteSession(theirs.id);
  }, 30_000);

  it('an MCP tool call forwarded to it: a tool error naming the peer and the cap', async () => {
    const r = await fetch(`${front!.url}/mcp`, {
      method: 'POST',
      headers: { authorization: 'Bearer shared', 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'read_screen', arguments: { session_id: 'termpool-2-0123456789ab' } } }),
    });
    expect(r.status).toBe(200);
    const result = (await r.json() as { result: { isError?: boolean; content: { text: string }[] } }).result;
    expect(result.isError).toBe(true);
    expect(result.content[0]!.text).toBe(`PEER_ANSWER_TOO_LARGE: peer termpool-2 (${endlessUrl}): answer larger than ${PEER_ANSWER_MAX_BYTES} bytes (the cap on a peer's answer); cut off`);
    const n = await closed('/v1/sessions/termpool-2-0123456789ab/screen');
    expect(n).toBeGreaterThan(PEER_ANSWER_MAX_BYTES);
    expect(n, `${(n / MiB).toFixed(1)} MiB sent`).toBeLessThan(PEER_ANSWER_MAX_BYTES + 32 * MiB);
  }, 30_000);
});
