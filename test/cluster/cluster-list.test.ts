/**
 * GET /v1/sessions with TERMPOOL_PEERS, in-process over real HTTP: a peer that answers adds its
 * sessions (asked with the caller's token and the fan-out header), one that hangs is cut off
 * after PEER_TIMEOUT_MS, one that refuses the token is named with its status; never silently.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PEER_TIMEOUT_MS } from '../../src/cluster/cluster-list.js';
import { startTestServer, type TestServer } from '../helpers/service.js';

describe('cluster: GET /v1/sessions across peers', () => {
  let peer: TestServer | null = null;
  let stranger: TestServer | null = null;
  let front: TestServer | null = null;
  let hang: Server | null = null;
  const sockets: Socket[] = [];
  let hangUrl = '';

  beforeAll(async () => {
    peer = await startTestServer({ TERMPOOL_TOKEN: 'shared', TERMPOOL_ID_PREFIX: 'termpool-1' });
    stranger = await startTestServer({ TERMPOOL_TOKEN: 'other', TERMPOOL_ID_PREFIX: 'termpool-3' });
    hang = createServer((s) => { sockets.push(s); }); // accepts, never answers
    await new Promise<void>((r) => hang!.listen(0, '127.0.0.1', r));
    const addr = hang.address();
    hangUrl = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
    front = await startTestServer({
      TERMPOOL_TOKEN: 'shared', TERMPOOL_ID_PREFIX: 'termpool-0',
      TERMPOOL_PEERS: `termpool-0=http://127.0.0.1:1,termpool-1=${peer.url},termpool-2=${hangUrl},termpool-3=${stranger.url}`,
    });
  }, 30_000);

  afterAll(async () => {
    for (const s of sockets) s.destroy();
    hang?.close();
    await Promise.all([front?.close(), peer?.close(), stranger?.close()]);
  });

  it('lists its own and the answering peer\'s sessions, and names each peer that did not answer', async () => {
    const mine = await front!.client.createSession({ command: 'sh' });
    const theirs = await peer!.client.createSession({ command: 'sh' });
    await stranger!.client.createSession({ command: 'sh' });
    const r = await front!.api('GET', '/v1/sessions');
    expect(r.status).toBe(200);
    expect(r.body.sessions.map((s: { id: string }) => s.id).sort()).toEqual([mine.id, theirs.id].sort());
    expect(r.body.cluster.self).toBe('termpool-0');
    expect(r.body.cluster.complete).toBe(false);
    // Itself (termpool-0) is not asked.
    expect(r.body.cluster.peers).toEqual([
      { name: 'termpool-1', url: peer!.url, ok: true, sessions: 1 },
      { name: 'termpool-2', url: hangUrl, ok: false, sessions: 0, error: `no answer within ${PEER_TIMEOUT_MS} ms` },
      { name: 'termpool-3', url: stranger!.url, ok: false, sessions: 0, error: 'HTTP 401 UNAUTHORIZED' },
    ]);
    // A fan-out request is answered from this server alone, with no cluster member.
    const own = await front!.api('GET', '/v1/sessions', undefined, { 'termpool-fan-out': 'termpool-9' });
    expect(own.body).toEqual({ sessions: [expect.objectContaining({ id: mine.id })] });
    // A single server (no TERMPOOL_PEERS) answers as before.
    const alone = await peer!.api('GET', '/v1/sessions');
    expect(alone.body.cluster).toBeUndefined();
  }, 30_000);
});
