// Renders deploy/gateway/gateway.conf.template: one template for the Kubernetes gateway
// (deploy/k8s/base/gateway.conf, via `node deploy/gateway/render.mjs k8s`) and for the local
// multi-pod test (test/deploy/multi-pod.test.ts: three servers on localhost ports).
//   node deploy/gateway/render.mjs k8s > deploy/k8s/base/gateway.conf
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const TEMPLATE = fileURLToPath(new URL('./gateway.conf.template', import.meta.url));

/** The values of the Kubernetes gateway (names from deploy/k8s/base: namespace, Services, port). */
export const K8S = {
  target: 'k8s',
  listen: '8080',
  // Pods come and go (their names stay): re-resolve every 10 s.
  resolver: 'kube-dns.kube-system.svc.cluster.local',
  // Any termpool-N resolves through the headless Service; an unknown one fails to resolve (502 JSON).
  pods: { default: '$pod.termpool-pods.termpool.svc.cluster.local:7681' },
  ready: ['termpool.termpool.svc.cluster.local:7681'],
};

/**
 * @param {{ target: string, listen: string, resolver?: string, pods: Record<string, string>, ready: string[] }} v
 *   pods: pod name -> host:port (`default` for every name); ready: the servers of `termpool_ready`.
 */
export function renderGateway(v) {
  const check = (s, what) => {
    if (!/^[A-Za-z0-9$._:\-[\]]+$/.test(s)) throw new Error(`gateway ${what}: ${JSON.stringify(s)} is not a host:port or name`);
    return s;
  };
  const values = {
    target: v.target,
    listen: check(v.listen, 'listen'),
    resolver: v.resolver ? `# Re-resolve pod names every 10 s (pods come and go; their names stay).\nresolver ${check(v.resolver, 'resolver')} valid=10s ipv6=off;\n` : '',
    pod_addresses: Object.entries(v.pods).map(([k, a]) => `  ${k === 'default' ? 'default' : check(k, 'pod')} ${check(a, 'address')};`).join('\n') +
      ('default' in v.pods ? '' : '\n  default "";'),
    ready_servers: v.ready.map((a) => `  server ${check(a, 'server')}${v.ready.length > 1 ? ' max_fails=1 fail_timeout=10s' : ''};`).join('\n'),
  };
  return readFileSync(TEMPLATE, 'utf8').replace(/\{\{(\w+)\}\}/g, (_, k) => {
    if (!(k in values)) throw new Error(`gateway template: no value for {{${k}}}`);
    return values[k];
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  if (process.argv[2] !== 'k8s') {
    process.stderr.write('usage: node deploy/gateway/render.mjs k8s > deploy/k8s/base/gateway.conf\n');
    process.exit(2);
  }
  process.stdout.write(renderGateway(K8S));
}
