/**
 * The MCP tools' backend on a pod of a cluster. /mcp is stateless (src/routes/mcp.ts: no MCP
 * session, a fresh server per POST), so any pod can answer any MCP request and the gateway needs
 * no affinity for it; what must reach the right pod is a tool call on a session, which names the
 * session in its arguments where a gateway cannot see it. So: a session id with a peer's prefix
 * goes to that peer through the typed client (with the caller's Authorization), every other one
 * to this process; list_sessions is the cluster-wide list (./cluster-list.ts).
 */
import { TermpoolClient } from '../client/index.js';
import type { SessionRegistry } from '../sessions/registry.js';
import { remoteBackend } from '../mcp/remote-backend.js';
import type { TerminalBackend } from '../mcp/tools.js';
import { FAN_OUT_HEADER, clusterList } from './cluster-list.js';
import { ownerOf, resolvePeers, type PeerSource } from './peers.js';

export function clusterBackend(local: TerminalBackend, registry: SessionRegistry, source: PeerSource, authorization: string | undefined): TerminalBackend {
  const self = registry.config.idPrefix;
  /** The backend that holds `id`: a peer's through HTTP, else this process's. */
  const at = async (id: string): Promise<TerminalBackend> => {
    const peer = ownerOf(await resolvePeers(source), id, self);
    if (peer === undefined) return local;
    return remoteBackend(new TermpoolClient({ url: peer.url, headers: { [FAN_OUT_HEADER]: self || 'peer', ...(authorization !== undefined && { authorization }) } }));
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
