/**
 * TERMPOOL_PEERS: the other termpool processes of a cluster, for the cluster-wide session list
 * (./cluster-list.ts) and for MCP tool calls on another pod's session (./cluster-backend.ts).
 * A peer is a name (its TERMPOOL_ID_PREFIX: the ids it makes start with `<name>-`) and a base URL.
 *
 *   name=url,name=url,...   a fixed list (the local multi-pod test, a VM fleet)
 *   dns-srv:<record>        a DNS SRV record, read on every use: in Kubernetes the headless
 *                           Service's `_http._tcp.termpool-pods.termpool.svc.cluster.local`,
 *                           whose targets are `termpool-N.termpool-pods...`; the first label is
 *                           the pod name, which is the prefix (statefulset.yaml)
 *
 * Empty (the default): no peers, a single server answers for itself as before.
 */
import { promises as dns } from 'node:dns';

export interface Peer {
  /** The peer's TERMPOOL_ID_PREFIX. */
  name: string;
  /** Base URL, no trailing slash. */
  url: string;
}

export type PeerSource = { kind: 'list'; peers: Peer[] } | { kind: 'srv'; record: string };

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$/;
const HOST = /^[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?(\.[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?)*$/i;

/** Parses TERMPOOL_PEERS; throws an Error naming what is wrong (config.ts makes it a ConfigError). */
export function parsePeers(spec: string): PeerSource | null {
  const s = spec.trim();
  if (s === '') return null;
  if (s.startsWith('dns-srv:')) {
    const record = s.slice('dns-srv:'.length).trim();
    if (!HOST.test(record) || record.length > 253) throw new Error(`dns-srv: needs a DNS name, e.g. dns-srv:_http._tcp.termpool-pods.termpool.svc.cluster.local, not ${JSON.stringify(record)}`);
    return { kind: 'srv', record };
  }
  const peers: Peer[] = [];
  for (const item of s.split(',').map((x) => x.trim()).filter((x) => x !== '')) {
    const eq = item.indexOf('=');
    const name = eq < 0 ? '' : item.slice(0, eq).trim();
    const url = eq < 0 ? '' : item.slice(eq + 1).trim().replace(/\/+$/, '');
    if (!NAME.test(name)) throw new Error(`${JSON.stringify(item)}: each peer is name=url, the name its TERMPOOL_ID_PREFIX (letters, digits, ".", "_", "-")`);
    let u: URL;
    try { u = new URL(url); } catch { throw new Error(`${JSON.stringify(item)}: ${JSON.stringify(url)} is not a URL (http://host:port)`); }
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error(`${JSON.stringify(item)}: http or https URLs only`);
    if (peers.some((p) => p.name === name)) throw new Error(`${JSON.stringify(name)} is named twice`);
    peers.push({ name, url });
  }
  if (peers.length > 256) throw new Error('at most 256 peers');
  return { kind: 'list', peers };
}

export type SrvResolver = (record: string) => Promise<{ name: string; port: number }[]>;

/** The peers now (an SRV record is looked up again each time: pods come and go). */
export async function resolvePeers(src: PeerSource, resolveSrv: SrvResolver = (r) => dns.resolveSrv(r)): Promise<Peer[]> {
  if (src.kind === 'list') return src.peers;
  const targets = await resolveSrv(src.record);
  return targets
    .map((t) => ({ name: t.name.split('.')[0]!, url: `http://${t.name.replace(/\.$/, '')}:${t.port}` }))
    .filter((p) => NAME.test(p.name))
    .sort((a, b) => a.name.localeCompare(b.name))
    .slice(0, 256);
}

/** The peer whose sessions' ids start like `id`, other than this process itself. */
export function ownerOf(peers: Peer[], id: string, self: string): Peer | undefined {
  return peers.find((p) => p.name !== self && id.startsWith(`${p.name}-`));
}
