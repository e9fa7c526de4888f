/**
 * deploy/k8s: every manifest parses, carries the fields `kubectl apply --dry-run=client` insists
 * on (apiVersion, kind, metadata.name), and the pieces point at each other: the StatefulSet's
 * Secret, Services and probes, the gateway's route for a real prefixed session id, the HPA's
 * target and adapter metrics, the ServiceMonitor's Service and port. kubectl is not needed.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';

const DIR = fileURLToPath(new URL('../../deploy/k8s/', import.meta.url));

type Obj = Record<string, any>;
interface Doc { file: string; obj: Obj }

const files = readdirSync(DIR).filter((f) => f.endsWith('.yaml')).sort();
const docs: Doc[] = files.flatMap((file) => {
  const parsed = parseAllDocuments(readFileSync(DIR + file, 'utf8'));
  return parsed.map((d) => {
    if (d.errors.length) throw new Error(`${file}: ${d.errors.map((e) => e.message).join('; ')}`);
    return { file, obj: d.toJS() as Obj };
  });
});
const resources = docs.filter((d) => d.obj.kind !== 'Kustomization');
const one = (kind: string, name?: string): Obj => {
  const found = resources.filter((d) => d.obj.kind === kind && (name === undefined || d.obj.metadata.name === name));
  expect(found, `${kind} ${name ?? ''}`).toHaveLength(1);
  return found[0]!.obj;
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

  it('kustomization lists every file', () => {
    const k = docs.find((d) => d.obj.kind === 'Kustomization')!.obj;
    expect([...k.resources].sort()).toEqual(files.filter((f) => f !== 'kustomization.yaml'));
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

  it('gateway routes a prefixed session id to that pod by its headless DNS name, everything else to the Service', () => {
    const conf = one('ConfigMap', 'termpool-gateway').data['default.conf'] as string;
    const sts = one('StatefulSet', 'termpool');
    const loc = /location ~ "([^"]+)" \{\s*(?:#[^\n]*\n\s*)*proxy_pass ([^;]+);/.exec(conf);
    expect(loc).not.toBeNull();
    const re = new RegExp(loc![1]!);
    const id = `${sts.metadata.name}-3-0123456789ab`; // what registry.newId makes with the pod name
    const m = re.exec(`/v1/sessions/${id}/screen`);
    expect(m?.[1]).toBe(`${sts.metadata.name}-3`);
    expect(re.test(`/v1/sessions/${id}`)).toBe(true);
    expect(re.test(`/v1/sessions/${id}/ws`)).toBe(true);
    expect(re.test('/v1/sessions')).toBe(false);
    expect(re.test('/v1/sessions/evil.example.com-0123456789ab/screen')).toBe(false);
    expect(loc![2]).toBe(`http://$1.${sts.spec.serviceName}.termpool.svc.cluster.local:7681`);
    expect(conf).toContain('proxy_pass http://termpool.termpool.svc.cluster.local:7681;');
    expect(conf).toMatch(/proxy_set_header Upgrade \$http_upgrade/);
    const gw = one('Deployment', 'termpool-gateway');
    expect(gw.spec.template.spec.volumes[0].configMap.name).toBe('termpool-gateway');
    const ing = one('Ingress', 'termpool');
    expect(ing.spec.rules[0].http.paths[0].backend.service.name).toBe('termpool-gateway');
    expect(matches(one('Service', 'termpool-gateway').spec.selector, gw.spec.template.metadata.labels)).toBe(true);
  });

  it('HPA scales the StatefulSet on metrics prometheus-adapter derives from exported termpool metrics', () => {
    const hpa = one('HorizontalPodAutoscaler', 'termpool');
    expect(hpa.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'termpool' });
    expect(hpa.spec.minReplicas).toBeGreaterThanOrEqual(2);
    const rulesText = one('ConfigMap', 'termpool-adapter-rules').data['config.yaml'] as string;
    const rules = (parseAllDocuments(rulesText)[0]!.toJS() as Obj).rules as Obj[];
    const exposed = new Set(rules.map((r) => r.name.as));
    const exported = readFileSync(fileURLToPath(new URL('../../src/metrics/registry.ts', import.meta.url)), 'utf8');
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
