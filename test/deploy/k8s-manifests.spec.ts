import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import * as yaml from 'js-yaml';
import { declareServiceQueues, MESSAGING_DEFAULTS } from '@edu/messaging';
import { EnvReader, readAuthConfig } from '@edu/service';
import { readConsoleConfig, UPSTREAMS } from '../../apps/console/src/console.config.js';
import { SERVICES } from '../../scripts/services.js';

/*
 * The Kubernetes manifests, offline: every overlay (and the base) rendered with
 * `kubectl kustomize`, every object validated - core kinds against the Kubernetes API schemas
 * shipped by the `kubernetes-models` package, operator kinds against the focused CRD schemas
 * in k8s/schemas/ - and the broker topology compared with what the services' own code declares.
 */

type Doc = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  spec?: object;
  data?: Record<string, string>;
  [k: string]: unknown;
};

const ROOT = process.cwd();
const TARGETS = ['base', ...readdirSync(join(ROOT, 'k8s/overlays')).map((o) => `overlays/${o}`)];
const APPS = SERVICES.map((s) => s.name);
/** The operations console: in front of the five services; no database, no broker. */
const CONSOLE = 'console';
/** Secrets made outside kustomize in prod (the platform's secret store), as the overlay lists them. */
const PROD_EXTERNAL = ['edu-secrets', 'edu-notifications-secrets', 'edu-console-secrets', 'edu-console-tls'];
const NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

function render(target: string): Doc[] {
  const out = execFileSync('kubectl', ['kustomize', join(ROOT, 'k8s', target)], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  return yaml.loadAll(out).filter(Boolean) as Doc[];
}

const ajv = new Ajv({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true });
const crdSchemas = new Map<string, ValidateFunction>(
  readdirSync(join(ROOT, 'k8s/schemas')).map((file) => {
    const schema = JSON.parse(readFileSync(join(ROOT, 'k8s/schemas', file), 'utf8')) as {
      properties: { apiVersion: { const: string }; kind: { const: string } };
    };
    return [`${schema.properties.apiVersion.const}/${schema.properties.kind.const}`, ajv.compile(schema)];
  }),
);

/** The kubernetes-models class for a core kind (`apps/v1` + `Deployment`), or undefined. */
const models = new Map<string, Model | undefined>();
type Model = new (d: unknown) => { validate(): void };
async function coreModel(doc: Pick<Doc, 'apiVersion' | 'kind'>): Promise<Model | undefined> {
  const key = `${doc.apiVersion}/${doc.kind}`;
  if (!models.has(key)) {
    try {
      const mod = (await import(`kubernetes-models/${key}`)) as Record<string, Model>;
      models.set(key, mod[doc.kind]);
    } catch {
      models.set(key, undefined);
    }
  }
  return models.get(key);
}

/** Problems found validating one object; empty when it is valid. */
async function validate(doc: Doc): Promise<string[]> {
  const id = `${doc.kind}/${doc.metadata?.name}`;
  const problems: string[] = [];
  if (!NAME.test(doc.metadata?.name ?? '')) problems.push(`${id}: name is not a DNS subdomain`);
  const crd = crdSchemas.get(`${doc.apiVersion}/${doc.kind}`);
  if (crd) {
    if (!crd(doc)) problems.push(...(crd.errors ?? []).map((e) => `${id}: ${e.instancePath} ${e.message}`));
    return problems;
  }
  const Model = await coreModel(doc);
  if (!Model) return [...problems, `${id}: ${doc.apiVersion} ${doc.kind} has no schema to check it against`];
  try {
    new Model(doc).validate();
  } catch (e) {
    problems.push(`${id}: ${(e as Error).message}`);
  }
  return problems;
}

/** What the services' own code declares at start, recorded from a stand-in channel. */
async function declaredTopology(namespace: string, retryDelayMs: number) {
  const exchanges: { name: string; type: string; durable: boolean; arguments: Record<string, unknown> }[] =
    [];
  const queues: { name: string; durable: boolean; arguments: Record<string, unknown> }[] = [];
  const bindings: { source: string; destination: string; routingKey: string }[] = [];
  const channel = {
    assertExchange: async (name: string, type: string, o: { durable: boolean; arguments?: object }) => {
      if (!exchanges.some((e) => e.name === name))
        exchanges.push({ name, type, durable: o.durable, arguments: { ...o.arguments } });
    },
    assertQueue: async (name: string, o: { durable: boolean; arguments?: object }) => {
      if (!queues.some((q) => q.name === name))
        queues.push({ name, durable: o.durable, arguments: { ...o.arguments } });
    },
    bindQueue: async (destination: string, source: string, routingKey: string) => {
      const b = { source, destination, routingKey };
      if (!bindings.some((x) => JSON.stringify(x) === JSON.stringify(b))) bindings.push(b);
    },
  };
  for (const app of APPS) {
    const keys = handledKeys(app);
    if (keys.length === 0) continue;
    await declareServiceQueues(
      channel as never,
      { namespace, service: app, deliveryLimit: MESSAGING_DEFAULTS.deliveryLimit, retryDelayMs },
      keys,
    );
  }
  return { exchanges, queues, bindings };
}

/** The routing keys of an app's @OnEvent handlers, read from its source. */
function handledKeys(app: string): string[] {
  const keys = new Set<string>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.ts') && !entry.name.includes('.spec.'))
        for (const m of readFileSync(path, 'utf8').matchAll(/@OnEvent\('([^']+)'\)/g)) keys.add(m[1]);
    }
  };
  walk(join(ROOT, 'apps', app, 'src'));
  return [...keys].sort();
}

describe.each(TARGETS)('k8s/%s', (target) => {
  let docs: Doc[];
  const of = (kind: string) => docs.filter((d) => d.kind === kind);

  beforeAll(() => {
    docs = render(target);
  });

  it('renders with kubectl kustomize', () => {
    expect(docs.length).toBeGreaterThan(50);
  });

  it('every object is valid against the Kubernetes API or its operator CRD schema', async () => {
    const problems: string[] = [];
    for (const doc of docs) problems.push(...(await validate(doc)));
    expect(problems).toEqual([]);
    const operatorKinds = new Set(
      docs.filter((d) => crdSchemas.has(`${d.apiVersion}/${d.kind}`)).map((d) => d.kind),
    );
    expect([...operatorKinds].sort()).toEqual([
      'Binding',
      'Cluster',
      'Exchange',
      'Policy',
      'Queue',
      'RabbitmqCluster',
    ]);
  });

  it('declares on the broker exactly the topology the services declare at start', async () => {
    const config = of('ConfigMap').find((c) => c.metadata.name.startsWith('edu-config'))!.data!;
    const code = await declaredTopology(config.AMQP_NAMESPACE, Number(config.EVENT_RETRY_DELAY_MS));
    const spec = (kind: string) => of(kind).map((d) => d.spec as Record<string, unknown>);
    for (const s of [...spec('Exchange'), ...spec('Queue'), ...spec('Binding'), ...spec('Policy')])
      expect(s.rabbitmqClusterReference).toEqual({ name: of('RabbitmqCluster')[0].metadata.name });

    const exchanges = spec('Exchange').map((e) => ({
      name: e.name,
      type: e.type,
      durable: e.durable,
      arguments: e.arguments ?? {},
    }));
    expect(sortBy(exchanges, 'name')).toEqual(sortBy(code.exchanges, 'name'));
    const queues = spec('Queue').map((q) => ({
      name: q.name,
      durable: q.durable,
      arguments: { 'x-queue-type': q.type, ...(q.arguments as object) },
    }));
    expect(sortBy(queues, 'name')).toEqual(sortBy(code.queues, 'name'));
    const bindings = spec('Binding').map((b) => {
      expect(b.destinationType).toBe('queue');
      return { source: b.source, destination: b.destination, routingKey: b.routingKey };
    });
    expect(sortBy(bindings, 'routingKey', 'destination')).toEqual(
      sortBy(code.bindings, 'routingKey', 'destination'),
    );
  });

  it('runs every service with probes, resources, a disruption budget and its migrations first', () => {
    const deployments = of('Deployment');
    expect(deployments.map((d) => d.metadata.name).sort()).toEqual([...APPS, CONSOLE].sort());
    for (const d of deployments.filter((x) => x.metadata.name !== CONSOLE)) {
      const app = d.metadata.name;
      const pod = (d.spec as { template: { spec: PodSpec } }).template.spec;
      const [main] = pod.containers;
      expect(main.readinessProbe?.httpGet?.path).toBe('/health/ready');
      expect(main.livenessProbe?.httpGet?.path).toBe('/health/live');
      // Behind ingress and the console (each appends to X-Forwarded-For): the rate limit and
      // the audit must see the user's address, not the console pod's shared one.
      expect({ app, hops: envOf(main, docs).TRUST_PROXY_HOPS }).toEqual({ app, hops: '2' });
      for (const c of [...pod.containers, ...(pod.initContainers ?? [])]) {
        expect({ app, c: c.name, requests: !!c.resources?.requests, limits: !!c.resources?.limits }).toEqual({
          app,
          c: c.name,
          requests: true,
          limits: true,
        });
        expect(c.securityContext?.allowPrivilegeEscalation).toBe(false);
      }
      expect(pod.initContainers?.map((c) => c.command?.join(' '))).toEqual([
        `node dist/scripts/migrate.js ${app}`,
      ]);
      const job = of('Job').find((j) => j.metadata.name === `edu-migrate-${app}`);
      expect(job).toBeDefined();
      const dbSecret = (c: Container) =>
        c.env?.find((e) => e.name === 'DATABASE_URL')?.valueFrom?.secretKeyRef?.name;
      const jobPod = (job!.spec as { template: { spec: PodSpec } }).template.spec;
      // The app, its init container and its Job use the service's own database, no other.
      expect([dbSecret(main), dbSecret(pod.initContainers![0]), dbSecret(jobPod.containers[0])]).toEqual(
        Array(3).fill(`edu-pg-${app}-app`),
      );
      const labels = (d.spec as { template: { metadata: { labels: Record<string, string> } } }).template
        .metadata.labels;
      const selects = (sel?: Record<string, string>) =>
        !!sel && Object.entries(sel).every(([k, v]) => labels[k] === v);
      expect(of('PodDisruptionBudget').some((p) => selects((p.spec as PdbSpec).selector.matchLabels))).toBe(
        true,
      );
      expect(
        of('Service').some((s) => selects((s.spec as { selector: Record<string, string> }).selector)),
      ).toBe(true);
    }
    if (target !== 'overlays/dev') {
      expect(
        of('HorizontalPodAutoscaler')
          .map((h) => (h.spec as HpaSpec).scaleTargetRef.name)
          .sort(),
      ).toEqual([...APPS, CONSOLE].sort());
    }
  });

  it('runs the console with probes, resources, a disruption budget, a Service and an Ingress', () => {
    const d = of('Deployment').find((x) => x.metadata.name === CONSOLE)!;
    const template = (d.spec as { template: { metadata: { labels: Record<string, string> }; spec: PodSpec } })
      .template;
    const pod = template.spec;
    expect(pod.containers).toHaveLength(1);
    const [main] = pod.containers;
    expect(main.command).toEqual(['node', 'dist/apps/console/src/main.js']);
    expect(main.readinessProbe?.httpGet?.path).toBe('/health/ready');
    expect(main.livenessProbe?.httpGet?.path).toBe('/health/live');
    expect(!!main.resources?.requests && !!main.resources?.limits).toBe(true);
    expect(main.securityContext?.allowPrivilegeEscalation).toBe(false);
    expect(pod.securityContext?.runAsNonRoot).toBe(true);
    // Nothing to migrate, no database or broker credentials.
    expect(pod.initContainers ?? []).toEqual([]);
    expect((main.env ?? []).map((e) => e.name)).not.toEqual(
      expect.arrayContaining([expect.stringMatching(/^(DATABASE_URL|AMQP_\w+|STUDENT_KEY_SECRET)$/)]),
    );
    expect(main.envFrom?.some((r) => r.secretRef)).toBeFalsy();
    const selects = (sel?: Record<string, string>) =>
      !!sel && Object.entries(sel).every(([k, v]) => template.metadata.labels[k] === v);
    expect(of('PodDisruptionBudget').some((p) => selects((p.spec as PdbSpec).selector.matchLabels))).toBe(
      true,
    );
    const service = of('Service').find((s) =>
      selects((s.spec as { selector: Record<string, string> }).selector),
    );
    expect((service?.spec as { ports: { port: number }[] }).ports.map((p) => p.port)).toEqual([3006]);
    const ingresses = of('Ingress').map((i) => i.spec as IngressSpec);
    const ingress = ingresses.find((i) =>
      i.rules.some((r) => r.http.paths.some((p) => p.backend.service.name === service?.metadata.name)),
    );
    expect(ingress).toBeDefined();
    if (target === 'overlays/prod') {
      const host = ingress!.rules[0].host;
      expect(host).toBe('console.edu-bureau.example');
      expect(ingress!.tls).toEqual([{ hosts: [host], secretName: 'edu-console-tls' }]);
    }
  });

  it('lets each service reach only the broker and its own Postgres cluster, the console only the services', () => {
    const clusters = of('Cluster')
      .map((c) => c.metadata.name)
      .sort();
    expect(clusters).toEqual(APPS.map((a) => `edu-pg-${a}`).sort());
    const policies = of('NetworkPolicy').map((p) => p.spec as PolicySpec);
    // The pods as rendered: each service's Deployment and its migration Job, the console.
    const podsOf = (kinds: string[]) =>
      docs
        .filter((d) => kinds.includes(d.kind))
        .map((d) => ({
          id: `${d.kind}/${d.metadata.name}`,
          labels: (d.spec as { template: { metadata: { labels: Record<string, string> } } }).template.metadata
            .labels,
        }));
    const pods = podsOf(['Deployment', 'Job']);
    const deploymentPods = podsOf(['Deployment']);
    expect(pods).toHaveLength(APPS.length * 2 + 1);
    /** What a policy's egress peer is: DNS, the broker, a Postgres cluster, one of our Deployments or the outside. */
    const peer = (to: Peer): string => {
      if (to.ipBlock) return 'outside';
      const labels = to.podSelector?.matchLabels ?? {};
      if (to.namespaceSelector) return labels['k8s-app'] === 'kube-dns' ? 'dns' : JSON.stringify(to);
      if (labels['cnpg.io/cluster']) return `postgres ${labels['cnpg.io/cluster']}`;
      if (labels['app.kubernetes.io/name'] === 'edu-rabbitmq') return 'broker';
      const selected = deploymentPods.filter((p) => selectsPod(to.podSelector ?? {}, p.labels));
      return selected.length > 0
        ? selected.map((p) => p.id.replace('Deployment/', '')).join('+')
        : JSON.stringify(to);
    };
    const reachOf = (labels: Record<string, string>) => {
      const applying = policies.filter(
        (p) => selectsPod(p.podSelector, labels) && p.policyTypes.includes('Egress'),
      );
      const reach = new Set<string>();
      for (const rule of applying.flatMap((p) => p.egress ?? []))
        for (const to of rule.to ?? [])
          for (const port of rule.ports ?? [{ port: 'any' }]) reach.add(`${peer(to)}:${port.port}`);
      return [...reach].sort();
    };
    const prod = target === 'overlays/prod';
    // In prod, tokens are verified by the identity provider's JWKS (and the console signs in there).
    const identityProvider = prod ? ['outside:443'] : [];
    for (const pod of pods) {
      const expected =
        pod.id === `Deployment/${CONSOLE}`
          ? ['dns:53', ...SERVICES.map((s) => `${s.name}:${s.port}`), ...identityProvider]
          : (() => {
              const app = APPS.find((a) => pod.id === `Deployment/${a}` || pod.id === `Job/edu-migrate-${a}`);
              expect({ pod: pod.id, app: !!app }).toEqual({ pod: pod.id, app: true });
              const deployment = pod.id.startsWith('Deployment/');
              return [
                'dns:53',
                'broker:5672',
                `postgres edu-pg-${app}:5432`,
                // Only notifications talks to the outside mail relay and SMS centre.
                ...(deployment && app === 'notifications'
                  ? ['outside:25', 'outside:587', 'outside:2775']
                  : []),
                ...(deployment ? identityProvider : []),
              ];
            })();
      expect({ pod: pod.id, reach: reachOf(pod.labels) }).toEqual({
        pod: pod.id,
        reach: [...expected].sort(),
      });
    }
    // The console is let in only from the ingress controller, on its HTTP port.
    const consolePod = deploymentPods.find((p) => p.id === `Deployment/${CONSOLE}`)!;
    const admitting = policies.filter(
      (p) => selectsPod(p.podSelector, consolePod.labels) && p.policyTypes.includes('Ingress'),
    );
    expect(admitting.flatMap((p) => p.ingress ?? [])).toEqual([
      {
        from: [
          {
            namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } },
            podSelector: { matchLabels: { 'app.kubernetes.io/name': 'ingress-nginx' } },
          },
        ],
        ports: [{ protocol: 'TCP', port: 'http' }],
      },
    ]);
  });

  // The base is not applied as it is (NODE_ENV=production with development secrets); the overlays are.
  if (target !== 'base')
    it('gives every Deployment token settings its config accepts, and the console a working sign-in', () => {
      const prod = target === 'overlays/prod';
      for (const d of of('Deployment')) {
        const [main] = (d.spec as { template: { spec: PodSpec } }).template.spec.containers;
        const env = envOf(main, docs);
        const r = new EnvReader(env);
        readAuthConfig(r, env.NODE_ENV as 'development' | 'production');
        expect({ deployment: d.metadata.name, problems: r.problems }).toEqual({
          deployment: d.metadata.name,
          problems: [],
        });
        if (prod) expect(env.JWT_JWKS_URL).toMatch(/^https:\/\//);
        if (d.metadata.name !== CONSOLE) continue;
        const config = readConsoleConfig(env);
        expect(Object.fromEntries(Object.entries(config.upstreams).map(([k, u]) => [k, u.href]))).toEqual(
          Object.fromEntries(UPSTREAMS.map((u) => [u.name, `http://${u.name}:${u.port}/`])),
        );
        expect(config.port).toBe(3006);
        if (prod) {
          expect(config.authMode).toBe('oidc');
          expect(config.oidc?.clientSecret).toBe(
            PROD_SECRET_VALUES['edu-console-secrets'].OIDC_CLIENT_SECRET,
          );
          // The provider sends the browser back to the console's Ingress host, over TLS.
          const host = (of('Ingress').find((i) => i.metadata.name === CONSOLE)!.spec as IngressSpec).rules[0]
            .host;
          expect(config.oidc?.redirectUri).toBe(`https://${host}/auth/callback`);
          expect(config.secureCookies).toBe(true);
        } else expect(config.authMode).toBe('dev');
      }
    });

  it('runs no service as the owner of its database: a runtime role of its cluster, its password from a Secret', () => {
    for (const app of APPS) {
      const cluster = of('Cluster').find((c) => c.metadata.name === `edu-pg-${app}`)!;
      const spec = cluster.spec as ClusterSpec;
      const owner = spec.bootstrap.initdb.owner;
      const roles = spec.managed?.roles ?? [];
      const d = of('Deployment').find((x) => x.metadata.name === app)!;
      const pod = (d.spec as { template: { spec: PodSpec } }).template.spec;
      const job = of('Job').find((j) => j.metadata.name === `edu-migrate-${app}`)!;
      const jobPod = (job.spec as { template: { spec: PodSpec } }).template.spec;
      const ownerUrl = { secretKeyRef: { name: `edu-pg-${app}-app`, key: 'uri' } };
      // Which role each process's pool would use (libs/service: DATABASE_RUNTIME_URL, else
      // DATABASE_URL with the user DB_RUNTIME_ROLE, default edu_app).
      const runtimeOf = (c: Container) => {
        const vars = c.env ?? [];
        const explicit = vars.find((e) => e.name === 'DATABASE_RUNTIME_URL');
        const env = envOf(c, docs);
        return {
          explicitIsOwner:
            !!explicit &&
            (JSON.stringify(explicit.valueFrom ?? null) === JSON.stringify(ownerUrl) ||
              (explicit.value !== undefined && explicit.value === env.DATABASE_URL)),
          role: explicit ? undefined : (env.DB_RUNTIME_ROLE ?? 'edu_app'),
          password: vars.find((e) => e.name === 'DB_RUNTIME_PASSWORD')?.valueFrom?.secretKeyRef,
        };
      };
      const main = runtimeOf(pod.containers[0]);
      expect({ app, explicitIsOwner: main.explicitIsOwner, role: main.role }).toEqual({
        app,
        explicitIsOwner: false,
        role: 'edu_app',
      });
      expect(main.role).not.toBe(owner);
      const runtime = roles.find((r) => r.name === main.role);
      // The role is declared in the service's own cluster: a login role that is neither a
      // superuser nor a member of the owner, whose password is the Secret the pods read.
      expect({
        app,
        login: runtime?.login,
        superuser: runtime?.superuser ?? false,
        bypassrls: runtime?.bypassrls ?? false,
        memberOfOwner: (runtime?.inRoles ?? []).includes(owner),
        passwordSecret: runtime?.passwordSecret?.name,
      }).toEqual({
        app,
        login: true,
        superuser: false,
        bypassrls: false,
        memberOfOwner: false,
        passwordSecret: `edu-pg-${app}-runtime`,
      });
      expect(main.password).toEqual({ name: `edu-pg-${app}-runtime`, key: 'password' });
      // The owner is a member of the runtime role (Postgres 15: ALTER TABLE ... OWNER TO needs
      // it), keeps logging in and keeps the operator's own Secret (its password unchanged).
      const ownerRole = roles.find((r) => r.name === owner);
      expect({
        app,
        inRoles: ownerRole?.inRoles?.includes(main.role!),
        login: ownerRole?.login,
        passwordSecret: ownerRole?.passwordSecret?.name,
      }).toEqual({ app, inRoles: true, login: true, passwordSecret: `edu-pg-${app}-app` });
      // The migrations (init container, Job) run as the owner and hand that same role the tables.
      for (const c of [pod.initContainers![0], jobPod.containers[0]]) {
        const m = runtimeOf(c);
        expect({ app, c: c.name, explicitIsOwner: m.explicitIsOwner, role: m.role }).toEqual({
          app,
          c: c.name,
          explicitIsOwner: false,
          role: main.role,
        });
        expect(c.env?.find((e) => e.name === 'DATABASE_URL')?.valueFrom).toEqual(ownerUrl);
      }
    }
  });

  it('reads every secret from a Secret object it ships or an operator makes', () => {
    const shipped = new Set(of('Secret').map((s) => s.metadata.name));
    const operatorMade = new Set([
      `${of('RabbitmqCluster')[0].metadata.name}-default-user`,
      ...of('Cluster').map((c) => `${c.metadata.name}-app`),
    ]);
    // The runtime roles' passwords: shipped by the dev overlay, made out of band elsewhere.
    const external = new Set([
      ...(target === 'overlays/prod' ? PROD_EXTERNAL : []),
      ...APPS.map((a) => `edu-pg-${a}-runtime`),
    ]);
    const refs = JSON.stringify(docs).matchAll(
      /"secretKeyRef":\{"name":"([^"]+)"|"secretRef":\{"name":"([^"]+)"|"secretName":"([^"]+)"/g,
    );
    for (const m of refs) {
      const name = m[1] ?? m[2] ?? m[3];
      expect({ name, known: shipped.has(name) || operatorMade.has(name) || external.has(name) }).toEqual({
        name,
        known: true,
      });
    }
    if (target === 'overlays/prod') expect([...shipped]).toEqual([]);
  });
});

describe('the manifest validators', () => {
  it('refuse broken objects', async () => {
    const broken: Doc[] = [
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'x' },
        spec: { replicas: 'two', selector: {}, template: { spec: { containers: [{ name: 'app' }] } } },
      },
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 'Not_A_Name' }, spec: {} },
      {
        apiVersion: 'rabbitmq.com/v1beta1',
        kind: 'Queue',
        metadata: { name: 'q' },
        spec: { type: 'quorum' },
      },
      {
        apiVersion: 'rabbitmq.com/v1beta1',
        kind: 'Binding',
        metadata: { name: 'b' },
        spec: {
          source: 'a',
          destination: 'b',
          destinationType: 'queues',
          rabbitmqClusterReference: { name: 'r' },
        },
      },
      {
        apiVersion: 'postgresql.cnpg.io/v1',
        kind: 'Cluster',
        metadata: { name: 'pg' },
        spec: { instances: 0, storge: { size: '1Gi' } },
      },
      {
        apiVersion: 'rabbitmq.com/v1beta1',
        kind: 'RabbitmqCluster',
        metadata: { name: 'r' },
        spec: { replicas: 3, persistence: { storage: 'ten gigs' } },
      },
      { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } },
    ];
    const found: string[][] = [];
    for (const doc of broken) found.push(await validate(doc));
    expect(found.map((p) => p.length > 0)).toEqual(broken.map(() => true));
    expect(found[0].join()).toMatch(/replicas must be integer/);
    expect(found[1].join()).toMatch(/not a DNS subdomain/);
    expect(found[2].join()).toMatch(/must have required property 'name'/);
    expect(found[3].join()).toMatch(/destinationType must be equal to one of the allowed values/);
    expect(found[4].join()).toMatch(/instances must be >= 1/);
    expect(found[4].join()).toMatch(/must NOT have additional properties/);
    expect(found[5].join()).toMatch(/storage/);
    expect(found[6].join()).toMatch(/no schema/);
  });
});

interface Container {
  name: string;
  command?: string[];
  env?: {
    name: string;
    value?: string;
    valueFrom?: { secretKeyRef?: { name: string; key: string; optional?: boolean } };
  }[];
  envFrom?: { configMapRef?: { name: string }; secretRef?: { name: string } }[];
  resources?: { requests?: object; limits?: object };
  securityContext?: { allowPrivilegeEscalation?: boolean };
  readinessProbe?: { httpGet?: { path: string } };
  livenessProbe?: { httpGet?: { path: string } };
}
interface PodSpec {
  containers: Container[];
  initContainers?: Container[];
  securityContext?: { runAsNonRoot?: boolean };
}
interface RoleSpec {
  name: string;
  login?: boolean;
  superuser?: boolean;
  bypassrls?: boolean;
  inRoles?: string[];
  passwordSecret?: { name: string };
}
interface ClusterSpec {
  bootstrap: { initdb: { database: string; owner: string } };
  managed?: { roles?: RoleSpec[] };
}
interface PdbSpec {
  selector: { matchLabels: Record<string, string> };
}
interface HpaSpec {
  scaleTargetRef: { name: string };
}
interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}
interface Peer {
  podSelector?: LabelSelector;
  namespaceSelector?: LabelSelector;
  ipBlock?: object;
}
interface PolicySpec {
  podSelector: LabelSelector;
  policyTypes: string[];
  egress?: { to?: Peer[]; ports?: { port: number | string }[] }[];
  ingress?: object[];
}
interface IngressSpec {
  rules: { host?: string; http: { paths: { backend: { service: { name: string } } }[] } }[];
  tls?: { hosts: string[]; secretName: string }[];
}

/** What the platform's secret store and the operators hold in prod, as the overlay documents it. */
const PROD_SECRET_VALUES: Record<string, Record<string, string>> = {
  'edu-secrets': { STUDENT_KEY_SECRET: 'from-the-secret-store-student-key-0123456789' },
  'edu-notifications-secrets': { SMPP_URL: 'smpp://edu:secret@smsc.edu-bureau.example:2775' },
  'edu-console-secrets': { OIDC_CLIENT_SECRET: 'from-the-secret-store-console-client' },
};

/** A container's environment as the kubelet would build it from the rendered objects. */
function envOf(c: Container, docs: Doc[]): Record<string, string | undefined> {
  const secret = (name: string): Record<string, string> | undefined => {
    const shipped = docs.find((d) => d.kind === 'Secret' && d.metadata.name === name);
    if (shipped)
      return Object.fromEntries(
        Object.entries(shipped.data ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64').toString()]),
      );
    // Operator-made (broker user, database app user): their values play no part here.
    if (name.endsWith('-default-user') || /^edu-pg-.*-app$/.test(name))
      return { username: 'u', password: 'p', uri: 'postgres://u:p@db:5432/db' };
    // Made out of band (base, prod): the runtime role's basic-auth Secret.
    if (/^edu-pg-.*-runtime$/.test(name)) return { username: 'edu_app', password: 'runtime-p' };
    return PROD_SECRET_VALUES[name];
  };
  const env: Record<string, string | undefined> = {};
  for (const ref of c.envFrom ?? []) {
    if (ref.configMapRef)
      Object.assign(
        env,
        docs.find((d) => d.kind === 'ConfigMap' && d.metadata.name === ref.configMapRef!.name)!.data,
      );
    if (ref.secretRef) Object.assign(env, secret(ref.secretRef.name));
  }
  for (const e of c.env ?? []) {
    const ref = e.valueFrom?.secretKeyRef;
    if (!ref) env[e.name] = e.value;
    else {
      const value = secret(ref.name)?.[ref.key];
      if (value === undefined && !ref.optional)
        throw new Error(`${e.name}: no key ${ref.key} in Secret ${ref.name}`);
      if (value !== undefined) env[e.name] = value;
    }
  }
  return env;
}

function selectsPod(sel: LabelSelector, labels: Record<string, string>): boolean {
  const exact = Object.entries(sel.matchLabels ?? {}).every(([k, v]) => labels[k] === v);
  const expressions = (sel.matchExpressions ?? []).every((e) =>
    e.operator === 'In'
      ? e.values!.includes(labels[e.key])
      : e.operator === 'Exists'
        ? e.key in labels
        : false,
  );
  return exact && expressions;
}

function sortBy<T>(items: T[], ...keys: (keyof T)[]): T[] {
  return [...items].sort((a, b) => {
    for (const k of keys) {
      const c = String(a[k]).localeCompare(String(b[k]));
      if (c !== 0) return c;
    }
    return 0;
  });
}
