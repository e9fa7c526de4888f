/**
 * The cluster-wide session list: this process's sessions plus every peer's (./peers.ts), asked in
 * parallel with the caller's own Authorization header, each with a time limit and a size limit
 * (PEER_LIST_MAX_BYTES: an answer past it is cut off as it arrives, ./capped-fetch.ts, never
 * buffered whole). A peer that does not answer (or answers badly, or too much) is named in `peers` with `ok: false` and the reason, and
 * `complete` is false: a partial list is never silent. A request carrying FAN_OUT_HEADER is
 * itself a fan-out from a peer: it is answered from this process only, so lists never loop.
 */
import type { z } from 'zod';
import type { SessionInfo } from '../schemas/sessions.js';
import type { SessionRegistry } from '../sessions/registry.js';
import { sessionInfo } from '../routes/session-info.js';
import { cappedFetch, tooLarge } from './capped-fetch.js';
import { resolvePeers, type Peer, type PeerSource, type SrvResolver } from './peers.js';

type Info = z.infer<typeof SessionInfo>;

/** Marks a fan-out request (its value: the asking pod's name); peers answer for themselves only. */
export const FAN_OUT_HEADER = 'termpool-fan-out';
/** How long one peer has to answer a list. */
export const PEER_TIMEOUT_MS = 3000;
/**
 * Bytes of one peer's list answer, at most: a session is ~0.5 KB of JSON, so 8 MiB holds some
 * 16,000 (TERMPOOL_MAX_SESSIONS defaults to 64 a pod).
 */
export const PEER_LIST_MAX_BYTES = 8 << 20;
/** Sessions one peer's answer may add (TERMPOOL_MAX_SESSIONS is at most this much per pod). */
const MAX_PEER_SESSIONS = 100_000;
/**
 * A failed peer's error as the list reports it, at most this long: the peer's own error string is
 * copied into every list answer, and a peer may send megabytes of it.
 */
export const PEER_ERROR_MAX_CHARS = 300;

/** `error` cut to PEER_ERROR_MAX_CHARS, saying that it was. */
export function clipPeerError(error: string): string {
  return error.length <= PEER_ERROR_MAX_CHARS ? error : `${error.slice(0, PEER_ERROR_MAX_CHARS)}… (${error.length} characters, cut)`;
}

export interface PeerStatus {
  name: string;
  url: string;
  ok: boolean;
  sessions: number;
  error?: string;
}

export interface ClusterList {
  sessions: Info[];
  /** Present only when peers are configured and this is not a fan-out request. */
  cluster?: { self: string; complete: boolean; peers: PeerStatus[] };
}

export interface ListRequest {
  authorization: string | undefined;
  fanOut: boolean;
}

export async function clusterList(registry: SessionRegistry, req: ListRequest, opts: { resolveSrv?: SrvResolver; fetch?: typeof fetch } = {}): Promise<ClusterList> {
  const own = registry.listAll().map(sessionInfo);
  const source = registry.config.peers;
  if (source === null || req.fanOut) return { sessions: own };
  const self = registry.config.idPrefix;
  let peers: Peer[];
  try {
    peers = (await resolvePeers(source as PeerSource, opts.resolveSrv)).filter((p) => p.name !== self);
  } catch (err) {
    // No peer list at all: say so rather than answer as if alone.
    const what = source.kind === 'srv' ? source.record : 'TERMPOOL_PEERS';
    return { sessions: own, cluster: { self, complete: false, peers: [{ name: '*', url: what, ok: false, sessions: 0, error: clipPeerError(`peer lookup failed: ${(err as Error).message}`) }] } };
  }
  const answers = await Promise.all(peers.map((p) => askPeer(p, self, req.authorization, opts.fetch ?? fetch)));
  const sessions = [...own];
  const statuses: PeerStatus[] = [];
  for (const [i, a] of answers.entries()) {
    const p = peers[i]!;
    if ('error' in a) statuses.push({ name: p.name, url: p.url, ok: false, sessions: 0, error: clipPeerError(a.error) });
    else {
      sessions.push(...a.sessions);
      statuses.push({ name: p.name, url: p.url, ok: true, sessions: a.sessions.length });
    }
  }
  return { sessions, cluster: { self, complete: statuses.every((s) => s.ok), peers: statuses } };
}

async function askPeer(p: Peer, self: string, authorization: string | undefined, doFetch: typeof fetch): Promise<{ sessions: Info[] } | { error: string }> {
  try {
    const res = await cappedFetch(PEER_LIST_MAX_BYTES, doFetch)(`${p.url}/v1/sessions`, {
      headers: { accept: 'application/json', [FAN_OUT_HEADER]: self || 'peer', ...(authorization !== undefined && { authorization }) },
      signal: AbortSignal.timeout(PEER_TIMEOUT_MS),
    });
    const text = await res.text();
    const body = parseJson(text) as { sessions?: unknown; error?: unknown } | null;
    if (!res.ok) return { error: `HTTP ${res.status}${typeof body?.error === 'string' ? ` ${body.error}` : ''}` };
    if (!Array.isArray(body?.sessions) || body.sessions.length > MAX_PEER_SESSIONS) return { error: 'answer is not a session list' };
    return { sessions: body.sessions as Info[] };
  } catch (err) {
    const big = tooLarge(err);
    if (big !== null) return { error: big.message };
    const e = err as Error & { cause?: { code?: string } };
    return { error: e.name === 'TimeoutError' ? `no answer within ${PEER_TIMEOUT_MS} ms` : (e.cause?.code ?? e.message) };
  }
}

/** `text` parsed, or null when it is not JSON (the caller names that). */
function parseJson(text: string): unknown {
  try { return JSON.parse(text); } catch { return null; }
}
