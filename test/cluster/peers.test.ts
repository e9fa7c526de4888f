/** TERMPOOL_PEERS: parsing, SRV discovery (the pod name from the target), and config errors. */
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { ownerOf, parsePeers, resolvePeers } from '../../src/cluster/peers.js';

describe('cluster: TERMPOOL_PEERS', () => {
  it('is off by default: a single server has no peers', () => {
    expect(loadConfig({}).peers).toBeNull();
  });

  it('parses a name=url list (trailing slashes dropped)', () => {
    expect(parsePeers(' termpool-0=http://127.0.0.1:7681/ , termpool-1=https://b.example:8443')).toEqual({
      kind: 'list',
      peers: [{ name: 'termpool-0', url: 'http://127.0.0.1:7681' }, { name: 'termpool-1', url: 'https://b.example:8443' }],
    });
  });

  it('refuses malformed entries by name', () => {
    for (const [spec, msg] of [
      ['http://127.0.0.1:7681', /name=url/],
      ['a=ftp://x', /http or https/],
      ['a=not a url', /not a URL/],
      ['a=http://x,a=http://y', /named twice/],
      ['dns-srv:', /needs a DNS name/],
      ['bad name=http://x', /name=url/],
    ] as const) {
      expect(() => parsePeers(spec), spec).toThrow(msg);
      expect(() => loadConfig({ TERMPOOL_PEERS: spec }), spec).toThrow(ConfigError);
    }
  });

  it('dns-srv: each target is a peer named by its first label (the StatefulSet pod name)', async () => {
    const src = parsePeers('dns-srv:_http._tcp.termpool-pods.termpool.svc.cluster.local')!;
    expect(src).toEqual({ kind: 'srv', record: '_http._tcp.termpool-pods.termpool.svc.cluster.local' });
    const asked: string[] = [];
    const peers = await resolvePeers(src, async (r) => {
      asked.push(r);
      return [
        { name: 'termpool-1.termpool-pods.termpool.svc.cluster.local', port: 7681 },
        { name: 'termpool-0.termpool-pods.termpool.svc.cluster.local.', port: 7681 },
      ];
    });
    expect(asked).toEqual(['_http._tcp.termpool-pods.termpool.svc.cluster.local']);
    expect(peers).toEqual([
      { name: 'termpool-0', url: 'http://termpool-0.termpool-pods.termpool.svc.cluster.local:7681' },
      { name: 'termpool-1', url: 'http://termpool-1.termpool-pods.termpool.svc.cluster.local:7681' },
    ]);
  });

  it('ownerOf: the peer whose prefix the id has, never this process itself, never a mere name prefix', () => {
    const peers = [{ name: 'termpool-1', url: 'http://a' }, { name: 'termpool-10', url: 'http://b' }];
    expect(ownerOf(peers, 'termpool-10-0123456789ab', 'termpool-0')?.url).toBe('http://b');
    expect(ownerOf(peers, 'termpool-1-0123456789ab', 'termpool-0')?.url).toBe('http://a');
    expect(ownerOf(peers, 'termpool-1-0123456789ab', 'termpool-1')).toBeUndefined();
    expect(ownerOf(peers, '0123456789ab', 'termpool-0')).toBeUndefined();
  });
});
