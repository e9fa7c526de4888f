/**
 * deploy/k8s: a kustomize base and two optional components (prometheus-operator, hpa). Every
 * manifest parses, carries the fields `kubectl apply --dry-run=client` insists on (apiVersion,
 * kind, metadata.name), every file is listed by one kustomization, and the pieces point at each
 * other: the StatefulSet's Secret, Services, probes and peers, the gateway's config (the template
 * rendered for Kubernetes) and its route for a real prefixed session id, the HPA's target and the
 * adapter's rules, the ServiceMonitor's Service and port. With kubectl present, `kubectl kustomize`
 * builds the base and the overlay. docs/scale-out.md's file table matches the files.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
// @ts-expect-error: a plain .mjs script (run by node too), no type declarations
import { K8S, renderGateway } from '../../deploy/gateway/render.mjs';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DIR = path.join(ROOT, 'deploy/k8s');

type Obj = Record<string, any>;
interface Doc { file: string; obj: Obj }

/** Every file under a directory, as paths relative to the repository. */
const walk = (dir: string): string[] => readdirSync(dir).flatMap((f) => {
  const p = path.join(dir, f);
  return statSync(p).isDirectory() ? walk(p) : [path.relative(ROOT, p)];
}).sort();
const allFiles = walk(DIR);
/** Kubernetes objects: every .yaml but the kustomizations and the adapter's Helm values. */
const VALUES = 'deploy/k8s/components/hpa/prometheus-adapter-values.yaml';
const isKustomization = (f: string) => path.basename(f) === 'kustomization.yaml';
const files = allFiles.filter((f) => f.endsWith('.yaml') && !isKustomization(f) && f !== VALUES);
const docs: Doc[] = files.flatMap((file) => {
  const parsed = parseAllDocuments(readFileSync(path.join(ROOT, file), 'utf8'));
  return parsed.map((d) => {
    if (d.errors.length) throw new Error(`${file}: ${d.errors.map((e) => e.message).join('; ')}`);
    return { file, obj: d.toJS() as Obj };
  });
});
const resources = docs;
const kustomizations = allFiles.filter(isKustomization).map((file) => ({ file, obj: parse(readFileSync(path.join(ROOT, file), 'utf8')) as Obj }));
const gatewayConf = readFileSync(path.join(DIR, 'base/gateway.conf'), 'utf8');
const one = (kind: string, name?: string): Obj => {
  const found = resources.filter((d) => d.obj.kind === kind && (name === undefined || d.obj.metadata.name === name));
  expect(found, `${kind} ${name ?? ''}`).toHaveLength(1);
  return found[0]!.obj;
};
const KUBECTL = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' }).status === 0;
const kustomize = (dir: string): Obj[] => {
  const r = spawnSync('kubectl', ['kustomize', path.join(DIR, dir)], { encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  return parseAllDocuments(r.stdout).map((d) => d.toJS() as Obj);
};

/** apiVersion per kind as the API server serves them today (no beta APIs). */
const API: Record<string, string> = {
  Namespace: 'v1', Secret: 'v1', Service: 'v1', ConfigMap: 'v1',
  StatefulSet: 'apps/v1', Deployment: 'apps/v1', PodDisruptionBudget: 'policy/v1',
  Ingress: 'networking.k8s.io/v1', HorizontalPodAutoscaler: 'autoscaling/v2',
  ServiceMonitor: 'monitoring.coreos.com/v1', PrometheusRule: 'monitoring.coreos.com/v1',
};

const matches = (selector: Obj, labels: Obj) => Object.entries(selector).every(([k, v]) => labels[k] === v);

describe('deploy/k8s manifests', () => {
  it('parse, and every object has a known apiVersion, a kind, a DNS-1123 name and the termpool namespace', () => {
    expect(resources.length).toBeGreaterThanOrEqual(12);
    for (const { file, obj } of resources) {
      const what = `${file}: ${obj.kind} ${obj.metadata?.name}`;
      expect(API[obj.kind], what).toBeDefined();
      expect(obj.apiVersion, what).toBe(API[obj.kind]);
      expect(obj.metadata?.name, what).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
      if (obj.kind !== 'Namespace') expect(obj.metadata.namespace, what).toBe('termpool');
    }
  });

  it('kustomize: a base and two components; every file is listed once, every listed file exists', () => {
    const listed: string[] = [];
    for (const { file, obj } of kustomizations) {
      const dir = path.dirname(file);
      expect(obj.kind, file).toBe(file.includes('/components/') ? 'Component' : 'Kustomization');
      for (const r of [...(obj.resources ?? []), ...(obj.components ?? [])] as string[]) {
        const target = path.normalize(path.join(dir, r));
        expect(allFiles.some((f) => f === target || f.startsWith(target + '/')), `${file}: ${r}`).toBe(true);
        if (target.endsWith('.yaml')) listed.push(target);
      }
      for (const g of obj.configMapGenerator ?? []) for (const f of g.files as string[]) listed.push(path.join(dir, f.split('=').pop()!));
    }
    expect(listed.sort()).toEqual([...files, 'deploy/k8s/base/gateway.conf'].sort());
    // The base needs no CRD and no adapter; the components hold what does.
    const base = kustomizations.find((k) => k.file === 'deploy/k8s/base/kustomization.yaml')!.obj;
    const baseKinds = resources.filter((d) => (base.resources as string[]).includes(path.basename(d.file)) && d.file.startsWith('deploy/k8s/base/')).map((d) => d.obj.kind);
    expect(baseKinds).not.toContain('ServiceMonitor');
    expect(baseKinds).not.toContain('PrometheusRule');
    expect(baseKinds).not.toContain('HorizontalPodAutoscaler');
    expect(resources.filter((d) => d.file.startsWith('deploy/k8s/components/prometheus-operator/')).map((d) => d.obj.kind).sort()).toEqual(['PrometheusRule', 'ServiceMonitor']);
    expect(resources.filter((d) => d.file.startsWith('deploy/k8s/components/hpa/')).map((d) => d.obj.kind)).toEqual(['HorizontalPodAutoscaler']);
  });

  it.skipIf(!KUBECTL)('kubectl kustomize builds the base (no CRDs) and the monitored overlay (base + components)', () => {
    const base = kustomize('base');
    const kinds = (objs: Obj[]) => objs.map((o) => `${o.kind}/${o.metadata.name}`).sort();
    expect(kinds(base)).not.toContain('ServiceMonitor/termpool');
    const gw = base.find((o) => o.kind === 'ConfigMap' && o.metadata.name.startsWith('termpool-gateway-'))!;
    expect(gw.data['default.conf']).toBe(gatewayConf);
    // The generated (hashed) name reaches the gateway's volume.
    const dep = base.find((o) => o.kind === 'Deployment')!;
    expect(dep.spec.template.spec.volumes[0].configMap.name).toBe(gw.metadata.name);
    const monitored = kustomize('overlays/monitored');
    expect(kinds(monitored)).toEqual([...kinds(base), 'HorizontalPodAutoscaler/termpool', 'PrometheusRule/termpool', 'ServiceMonitor/termpool'].sort());
  });

  it('StatefulSet: token from the Secret, 0.0.0.0, pod-name id prefix, probes on /healthz, sized resources', () => {
    const sts = one('StatefulSet', 'termpool');
    const pod = sts.spec.template;
    expect(matches(sts.spec.selector.matchLabels, pod.metadata.labels)).toBe(true);
    const c = pod.spec.containers[0];
    const env = Object.fromEntries(c.env.map((e: Obj) => [e.name, e]));
    expect(env.TERMPOOL_HOST.value).toBe('0.0.0.0');
    const ref = env.TERMPOOL_TOKEN.valueFrom.secretKeyRef;
    const secret = one('Secret', ref.name);
    expect(Object.keys(secret.stringData ?? secret.data)).toContain(ref.key);
    expect(env.TERMPOOL_ID_PREFIX.valueFrom.fieldRef.fieldPath).toBe('metadata.name');
    for (const probe of [c.readinessProbe, c.livenessProbe]) {
      expect(probe.httpGet.path).toBe('/healthz');
      expect(c.ports.map((p: Obj) => p.name)).toContain(probe.httpGet.port);
    }
    expect(c.resources.requests.memory).toBeDefined();
    expect(c.resources.requests.cpu).toBeDefined();
    expect(c.resources.limits.memory).toBeDefined();
    // The grace period covers the preStop drain.
    expect(pod.spec.terminationGracePeriodSeconds).toBeGreaterThan(Number(env.DRAIN_SECONDS.value));
    expect(c.lifecycle.preStop.exec.command[0]).toBe('node');
    // The archive lives on the pod's own volume, so a replacement pod of the same name keeps it.
    const mount = c.volumeMounts.find((m: Obj) => m.name === 'archive');
    expect(env.TERMPOOL_ARCHIVE_PATH.value.startsWith(mount.mountPath + '/')).toBe(true);
    expect(sts.spec.volumeClaimTemplates.map((v: Obj) => v.metadata.name)).toContain('archive');
    // The pod names that prefix ids (<sts>-N) fit TERMPOOL_ID_PREFIX's 40 characters.
    expect(`${sts.metadata.name}-99`.length).toBeLessThanOrEqual(40);
  });

  it('Services: a headless one that publishes not-ready pods (routing, scraping) and a ClusterIP one for new sessions', () => {
    const sts = one('StatefulSet', 'termpool');
    const podLabels = sts.spec.template.metadata.labels;
    const ports = sts.spec.template.spec.containers[0].ports.map((p: Obj) => p.name);
    const headless = one('Service', sts.spec.serviceName);
    expect(headless.spec.clusterIP).toBe('None');
    expect(headless.spec.publishNotReadyAddresses).toBe(true);
    const svc = one('Service', 'termpool');
    expect(svc.spec.publishNotReadyAddresses).toBeUndefined();
    for (const s of [headless, svc]) {
      expect(matches(s.spec.selector, podLabels)).toBe(true);
      for (const p of s.spec.ports) expect(ports).toContain(p.targetPort);
    }
  });

  it('gateway.conf is the template rendered for Kubernetes, routing a prefixed id to its pod by headless DNS name', () => {
    expect(gatewayConf, 'run: node deploy/gateway/render.mjs k8s > deploy/k8s/base/gateway.conf').toBe(renderGateway(K8S));
    const sts = one('StatefulSet', 'termpool');
    const loc = /location ~ "([^"]+)" \{/.exec(gatewayConf);
    expect(loc).not.toBeNull();
    const re = new RegExp(loc![1]!.replace('(?<pod>', '(?<pod>'));
    const id = `${sts.metadata.name}-3-0123456789ab`; // what registry.newId makes with the pod name
    const m = re.exec(`/v1/sessions/${id}/screen`);
    expect(m?.groups?.pod).toBe(`${sts.metadata.name}-3`);
    expect(re.test(`/v1/sessions/${id}`)).toBe(true);
    expect(re.test(`/v1/sessions/${id}/ws`)).toBe(true);
    expect(re.test('/v1/sessions')).toBe(false);
    expect(re.test('/v1/sessions/evil.example.com-0123456789ab/screen')).toBe(false);
    expect(gatewayConf).toContain(`default $pod.${sts.spec.serviceName}.termpool.svc.cluster.local:7681;`);
    expect(gatewayConf).toContain('server termpool.termpool.svc.cluster.local:7681;');
    expect(gatewayConf).toMatch(/error_page 502 503 504 = @pod_unavailable;/);
    expect(gatewayConf).toMatch(/proxy_set_header Upgrade \$http_upgrade/);
    const gw = one('Deployment', 'termpool-gateway');
    expect(gw.spec.template.spec.volumes[0].configMap.name).toBe('termpool-gateway');
    const gen = kustomizations.find((k) => k.file === 'deploy/k8s/base/kustomization.yaml')!.obj.configMapGenerator[0];
    expect(gen.name).toBe('termpool-gateway');
    expect(gen.files).toEqual(['default.conf=gateway.conf']);
    const ing = one('Ingress', 'termpool');
    expect(ing.spec.rules[0].http.paths[0].backend.service.name).toBe('termpool-gateway');
    expect(matches(one('Service', 'termpool-gateway').spec.selector, gw.spec.template.metadata.labels)).toBe(true);
  });

  it('StatefulSet finds its peers from the headless Service\'s SRV record (port http, TCP)', () => {
    const sts = one('StatefulSet', 'termpool');
    const env = sts.spec.template.spec.containers[0].env as Obj[];
    const peers = env.find((e) => e.name === 'TERMPOOL_PEERS')!.value as string;
    const headless = one('Service', sts.spec.serviceName);
    const port = headless.spec.ports[0];
    expect(peers).toBe(`dns-srv:_${port.name}._${(port.protocol ?? 'TCP').toLowerCase()}.${sts.spec.serviceName}.termpool.svc.cluster.local`);
  });

  it('HPA scales the StatefulSet on metrics the prometheus-adapter values derive from exported termpool metrics', () => {
    const hpa = one('HorizontalPodAutoscaler', 'termpool');
    expect(hpa.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'termpool' });
    expect(hpa.spec.minReplicas).toBeGreaterThanOrEqual(2);
    const values = parse(readFileSync(path.join(ROOT, VALUES), 'utf8')) as Obj;
    const rules = values.rules.custom as Obj[];
    const exposed = new Set(rules.map((r) => r.name.as));
    const exported = readFileSync(path.join(ROOT, 'src/metrics/registry.ts'), 'utf8');
    for (const r of rules) {
      const series = /^(\w+)\{/.exec(r.seriesQuery)![1]!;
      expect(exported).toContain(`name: '${series}'`);
      expect(r.resources.overrides.pod.resource).toBe('pod');
    }
    for (const m of hpa.spec.metrics) {
      expect(m.type).toBe('Pods');
      expect(exposed).toContain(m.pods.metric.name);
    }
    // The sessions target leaves room below TERMPOOL_MAX_SESSIONS.
    const env = one('StatefulSet', 'termpool').spec.template.spec.containers[0].env as Obj[];
    const max = Number(env.find((e) => e.name === 'TERMPOOL_MAX_SESSIONS')!.value);
    const target = hpa.spec.metrics.find((m: Obj) => m.pods.metric.name === 'termpool_sessions_running');
    expect(Number(target.pods.target.averageValue)).toBeLessThan(max);
  });

  it('ServiceMonitor scrapes /metrics on the headless Service with the token', () => {
    const sm = one('ServiceMonitor', 'termpool');
    const targets = resources.filter((d) => d.obj.kind === 'Service' && matches(sm.spec.selector.matchLabels, d.obj.metadata.labels ?? {}));
    expect(targets.map((d) => d.obj.metadata.name)).toEqual(['termpool-pods']);
    const ep = sm.spec.endpoints[0];
    expect(ep.path).toBe('/metrics');
    expect(targets[0]!.obj.spec.ports.map((p: Obj) => p.name)).toContain(ep.port);
    expect(ep.authorization.credentials).toEqual({ name: 'termpool-token', key: 'token' });
  });

  it('PodDisruptionBudget covers the termpool pods', () => {
    const pdb = one('PodDisruptionBudget', 'termpool');
    expect(matches(pdb.spec.selector.matchLabels, one('StatefulSet', 'termpool').spec.template.metadata.labels)).toBe(true);
  });
});

describe('docs/scale-out.md matches deploy/', () => {
  const doc = readFileSync(path.join(ROOT, 'docs/scale-out.md'), 'utf8');
  const section = doc.slice(doc.indexOf('## Files'), doc.indexOf('\n## ', doc.indexOf('## Files') + 1));
  const rows = [...section.matchAll(/^\| `([^`]+)` \| (.*) \|$/gm)].map((m) => ({ file: m[1]!, holds: m[2]! }));

  it('the file table lists every file of deploy/k8s and deploy/gateway, and nothing else', () => {
    const actual = [...allFiles, ...walk(path.join(ROOT, 'deploy/gateway'))].sort();
    expect(rows.map((r) => r.file).sort()).toEqual(actual);
  });

  it('each manifest row names exactly the objects the file holds', () => {
    for (const { file, holds } of rows) {
      const objs = resources.filter((d) => d.file === file).map((d) => `${d.obj.kind} \`${d.obj.metadata.name}\``);
      const named = [...holds.matchAll(/\b([A-Z][A-Za-z]+) `([a-z0-9-]+)`/g)].map((m) => `${m[1]} \`${m[2]}\``);
      if (objs.length === 0) {
        // Not a manifest: a kustomization (it names the ConfigMap it generates), a config or a script.
        if (isKustomization(file)) expect(holds, file).toMatch(/^(Kustomization|Component)\b/);
        continue;
      }
      expect(named.sort(), file).toEqual(objs.sort());
    }
  });

  it('every deploy/ path the page names exists', () => {
    const named = [...new Set([...doc.matchAll(/(?<![\w/.])deploy\/[A-Za-z0-9_./-]*[A-Za-z0-9_]/g)].map((m) => m[0]))];
    expect(named.length).toBeGreaterThan(10);
    for (const p of named) expect(allFiles.some((f) => f === p || f.startsWith(p + '/')) || statSafe(path.join(ROOT, p)), p).toBe(true);
  });
});

function statSafe(p: string): boolean {
  try { statSync(p); return true; } catch { return false; }
}
