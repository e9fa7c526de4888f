/**
 * The MCP tools' backend on a pod of a cluster. /mcp is stateless (src/routes/mcp.ts: no MCP
 * session, a fresh server per POST), so any pod can answer any MCP request and the gateway needs
 * no affinity for it; what must reach the right pod is a tool call on a session, which names the
 * session in its arguments where a gateway cannot see it. So: a session id with a peer's prefix
 * goes to that peer through the typed client (with the caller's Authorization), every other one
 * to this process; list_sessions is the cluster-wide list (./cluster-list.ts). A forwarded call's
 * answer is cut off past PEER_ANSWER_MAX_BYTES (./capped-fetch.ts) and reported as a tool error
 * naming the peer, never buffered whole.
 */
import { TermpoolClient } from '../client/index.js';
import type { SessionRegistry } from '../sessions/registry.js';
import { remoteBackend } from '../mcp/remote-backend.js';
import type { TerminalBackend } from '../mcp/tools.js';
import { cappedFetch, tooLarge } from './capped-fetch.js';
import { FAN_OUT_HEADER, clusterList } from './cluster-list.js';
import { ownerOf, resolvePeers, type Peer, type PeerSource } from './peers.js';

/**
 * Bytes of one forwarded tool call's answer, at most: a PNG of a 500x200 screen or a snapshot
 * with thousands of scrollback lines fit; a peer streaming without end is cut at this.
 */
export const PEER_ANSWER_MAX_BYTES = 16 << 20;

/** `call` on the peer; a cut-off answer becomes an error naming the peer and the cap. */
async function forwarded<T>(peer: Peer, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    const big = tooLarge(err);
    if (big === null) throw err;
    throw Object.assign(new Error(`peer ${peer.name} (${peer.url}): ${big.message}`), { code: 'PEER_ANSWER_TOO_LARGE' });
  }
}

export function clusterBackend(local: TerminalBackend, registry: SessionRegistry, source: PeerSource, authorization: string | undefined): TerminalBackend {
  const self = registry.config.idPrefix;
  /** The backend that holds `id`: a peer's through HTTP, else this process's. */
  const at = async (id: string): Promise<TerminalBackend> => {
    const peer = ownerOf(await resolvePeers(source), id, self);
    if (peer === undefined) return local;
    const client = new TermpoolClient({
      url: peer.url,
      headers: { [FAN_OUT_HEADER]: self || 'peer', ...(authorization !== undefined && { authorization }) },
      fetch: cappedFetch(PEER_ANSWER_MAX_BYTES),
    });
    const remote = remoteBackend(client);
    // Every method of the remote backend, its errors named for the peer when the answer was cut off.
    return Object.fromEntries(Object.entries(remote).map(([k, f]) => [k, (...a: unknown[]) => forwarded(peer, () => (f as (...x: unknown[]) => Promise<unknown>)(...a))])) as unknown as TerminalBackend;
  };
  return {
    create: (req) => local.create(req),
    list: async () => (await clusterList(registry, { authorization, fanOut: false })).sessions,
    async listCluster() {
      const l = await clusterList(registry, { authorization, fanOut: false });
      return { sessions: l.sessions, missing: (l.cluster?.peers ?? []).filter((p) => !p.ok).map((p) => ({ name: p.name, error: p.error ?? 'no answer' })) };
    },
    kill: async (id) => (await at(id)).kill(id),
    input: async (id, req) => (await at(id)).input(id, req),
    signal: async (id, sig) => (await at(id)).signal(id, sig),
    wait: async (id, req) => (await at(id)).wait(id, req),
    run: async (id, req) => (await at(id)).run(id, req),
    resize: async (id, cols, rows) => (await at(id)).resize(id, cols, rows),
    screenDelta: async (id, since) => (await at(id)).screenDelta(id, since),
    snapshot: async (id, scrollback) => (await at(id)).snapshot(id, scrollback),
    scrollback: async (id, start, count) => (await at(id)).scrollback(id, start, count),
    search: async (id, query, limit, regex) => (await at(id)).search(id, query, limit, regex),
    png: async (id) => (await at(id)).png(id),
  };
}
