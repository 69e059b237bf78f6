#!/usr/bin/env bash
# Checks the deployment files without a cluster or a Docker engine:
#   1. renders k8s/base and every k8s/overlays/* with `kustomize build` or `kubectl kustomize`
#      (kustomize v5+), then checks the rendered objects (references, probes, security, the
#      overlays' differences); the schema validation of every object (Kubernetes and CRD
#      schemas) is the jest test test/deploy/k8s-manifests.spec.ts, part of `npm test`;
#   2. parses docker-compose.yml (and runs `docker compose config` where the compose plugin
#      exists) and checks its services, dependencies, healthchecks and cluster profile;
#   3. checks that the Dockerfile's image holds the console: its server and its built web app.
# Exits non-zero if anything fails. Without a kustomize renderer it says SKIP for the
# Kubernetes part and goes on; the structural checks need js-yaml from node_modules (npm ci).
set -euo pipefail
cd "$(dirname "$0")/.."

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0
fail() {
  echo "FAIL: $*" >&2
  failures=$((failures + 1))
}

have_js_yaml=false
if node --input-type=module -e "await import('js-yaml')" >/dev/null 2>&1; then
  have_js_yaml=true
else
  echo "SKIP: structural checks (js-yaml not found in node_modules; run npm ci)"
fi

# --- 1. Kubernetes ------------------------------------------------------------------------
renderer=()
if command -v kustomize >/dev/null 2>&1; then
  renderer=(kustomize build)
  echo "renderer: $(kustomize version 2>/dev/null | head -n1)"
elif command -v kubectl >/dev/null 2>&1; then
  # kubectl embeds kustomize; before v5 (kubectl < 1.27) it lacks features used here.
  kustomize_major=$(kubectl version --client 2>/dev/null |
    sed -n 's/^Kustomize Version: v\{0,1\}\([0-9][0-9]*\).*/\1/p')
  if [[ -n "$kustomize_major" && "$kustomize_major" -ge 5 ]]; then
    renderer=(kubectl kustomize)
    echo "renderer: kubectl kustomize ($(kubectl version --client 2>/dev/null | tr '\n' ' '))"
  else
    echo "SKIP: Kubernetes manifests not rendered: kubectl's embedded kustomize is older than v5"
  fi
else
  echo "SKIP: Kubernetes manifests not rendered: neither kustomize nor kubectl is installed"
fi

if [[ ${#renderer[@]} -gt 0 ]]; then
  targets=(k8s/base k8s/overlays/*)
  for target in "${targets[@]}"; do
    name=$(basename "$target")
    if "${renderer[@]}" "$target" >"$work/$name.yaml" 2>"$work/$name.err"; then
      echo "ok: rendered $target ($(grep -c '^kind:' "$work/$name.yaml") objects)"
    else
      fail "rendering $target: $(cat "$work/$name.err")"
      rm -f "$work/$name.yaml"
    fi
  done

  if $have_js_yaml && compgen -G "$work/*.yaml" >/dev/null; then
    node --input-type=module - "$work"/*.yaml <<'EOF' || failures=$((failures + 1))
import fs from 'node:fs';
import path from 'node:path';
import * as yaml from 'js-yaml';

const APPS = ['dropout-control', 'student-aid', 'school-construction', 'supervision', 'notifications'];
const PORTS = { 'dropout-control': 3001, 'student-aid': 3002, 'school-construction': 3003, supervision: 3004, notifications: 3005 };
// The operations console: in front of the five services, no database, no broker.
const CONSOLE = 'console';
const NAMESPACE = 'edu-supervision';
// Secrets that operators (or, in prod, the operators of the platform) create, not kustomize:
// the broker's default user, each service's Postgres cluster's app user; and each cluster's
// runtime role (edu-pg-<service>-runtime: the dev overlay ships placeholders, elsewhere it is
// created out of band).
const EXTERNAL = {
  all: ['edu-rabbitmq-default-user', ...APPS.map((a) => `edu-pg-${a}-app`), ...APPS.map((a) => `edu-pg-${a}-runtime`)],
  prod: ['edu-secrets', 'edu-notifications-secrets', 'edu-console-secrets', 'edu-console-tls'],
};
let problems = 0;

for (const file of process.argv.slice(2)) {
  const overlay = path.basename(file, '.yaml');
  const objs = yaml.loadAll(fs.readFileSync(file, 'utf8')).filter(Boolean);
  const bad = (msg) => { problems++; console.error(`FAIL: ${overlay}: ${msg}`); };
  const of = (kind) => objs.filter((o) => o.kind === kind);
  const names = (kind) => new Set(of(kind).map((o) => o.metadata.name));
  const external = new Set([...EXTERNAL.all, ...(EXTERNAL[overlay] ?? [])]);

  for (const o of objs) {
    if (!o.apiVersion || !o.kind || !o.metadata?.name) bad(`object without apiVersion/kind/name: ${JSON.stringify(o).slice(0, 80)}`);
    else if (o.kind !== 'Namespace' && o.metadata.namespace !== NAMESPACE) bad(`${o.kind}/${o.metadata.name} not in ${NAMESPACE}`);
  }
  for (const kind of ['Namespace', 'RabbitmqCluster', 'Exchange', 'Queue', 'Binding', 'Policy', 'Cluster', 'Job', 'NetworkPolicy']) {
    if (of(kind).length === 0) bad(`no ${kind}`);
  }
  const deployments = of('Deployment');
  const deploymentNames = [...names('Deployment')].sort();
  if (deploymentNames.join() !== [...APPS, CONSOLE].sort().join()) bad(`Deployments are ${deploymentNames.join(', ')}`);

  const configMaps = names('ConfigMap');
  const secrets = new Set([...names('Secret'), ...external]);
  const podSpecs = [...deployments, ...of('Job')].map((o) => [`${o.kind}/${o.metadata.name}`, o.spec.template.spec]);
  for (const [id, pod] of podSpecs) {
    if (pod.securityContext?.runAsNonRoot !== true || !(pod.securityContext?.runAsUser > 0)) bad(`${id}: not runAsNonRoot with a numeric user`);
    for (const c of [...pod.containers, ...(pod.initContainers ?? [])]) {
      if (c.securityContext?.allowPrivilegeEscalation !== false) bad(`${id}: allowPrivilegeEscalation not false`);
      if (!c.resources?.requests || !c.resources?.limits) bad(`${id}: no resource requests/limits`);
      for (const ref of c.envFrom ?? []) {
        if (ref.configMapRef && !configMaps.has(ref.configMapRef.name)) bad(`${id}: missing ConfigMap ${ref.configMapRef.name}`);
        if (ref.secretRef && !secrets.has(ref.secretRef.name)) bad(`${id}: missing Secret ${ref.secretRef.name}`);
      }
      for (const e of c.env ?? []) {
        const s = e.valueFrom?.secretKeyRef?.name;
        if (s && !secrets.has(s)) bad(`${id}: env ${e.name} reads missing Secret ${s}`);
      }
    }
  }
  for (const d of deployments) {
    const c = d.spec.template.spec.containers[0];
    const app = d.metadata.name;
    if (!c.startupProbe?.httpGet) bad(`${app}: no startup probe`);
    if (c.readinessProbe?.httpGet?.path !== '/health/ready') bad(`${app}: readiness probe is not /health/ready`);
    if (c.livenessProbe?.httpGet?.path !== '/health/live') bad(`${app}: liveness probe is not /health/live`);
    if (!c.command?.join(' ').includes(`dist/apps/${app}/src/main.js`)) bad(`${app}: command does not start dist/apps/${app}/src/main.js`);
    const labels = d.spec.template.metadata.labels;
    const selects = (sel) => sel && Object.entries(sel).every(([k, v]) => labels[k] === v);
    if (!of('Service').some((s) => selects(s.spec.selector))) bad(`${app}: no Service selects its pods`);
    if (!of('PodDisruptionBudget').some((p) => selects(p.spec.selector.matchLabels))) bad(`${app}: no PodDisruptionBudget`);
    if (overlay !== 'dev' && !of('HorizontalPodAutoscaler').some((h) => h.spec.scaleTargetRef.name === app)) bad(`${app}: no HorizontalPodAutoscaler`);
    if (app === CONSOLE) continue;
    const init = d.spec.template.spec.initContainers ?? [];
    if (init.map((i) => i.command?.join(' ')).join() !== `node dist/scripts/migrate.js ${app}`) bad(`${app}: no migrate init container`);
    if (!names('Job').has(`edu-migrate-${app}`)) bad(`${app}: no edu-migrate-${app} Job`);
    if (!names('Cluster').has(`edu-pg-${app}`)) bad(`${app}: no Postgres cluster edu-pg-${app}`);
  }

  // The console: upstreams at the five Services, nothing of a database or the broker, its
  // Ingress, and a NetworkPolicy of its own (the exact reach is checked by the jest test).
  const consoleDeployment = deployments.find((d) => d.metadata.name === CONSOLE);
  if (consoleDeployment) {
    const pod = consoleDeployment.spec.template.spec;
    const c = pod.containers[0];
    if ((pod.initContainers ?? []).length > 0) bad('console: has init containers (it has no database to migrate)');
    const consoleConfig = Object.assign(
      {},
      ...(c.envFrom ?? []).map((r) => of('ConfigMap').find((m) => m.metadata.name === r.configMapRef?.name)?.data ?? {}),
    );
    const vars = new Set([...Object.keys(consoleConfig), ...(c.env ?? []).map((e) => e.name)]);
    for (const v of ['DATABASE_URL', 'PG_SERVER', 'AMQP_URLS', 'AMQP_USER', 'AMQP_PASSWORD', 'STUDENT_KEY_SECRET']) {
      if ((c.env ?? []).some((e) => e.name === v)) bad(`console: env ${v}`);
    }
    if ((c.envFrom ?? []).some((r) => r.secretRef)) bad('console: reads a whole Secret (envFrom); it takes single keys');
    for (const [app, port] of Object.entries(PORTS)) {
      const variable = `${app.toUpperCase().replace(/-/g, '_')}_URL`;
      if (consoleConfig[variable] !== `http://${app}:${port}`) bad(`console: ${variable} is ${consoleConfig[variable]}, not http://${app}:${port}`);
      if (!of('Service').some((s) => s.metadata.name === app && s.spec.ports.some((p) => p.port === port))) bad(`console: no Service ${app} on ${port}`);
    }
    if (!vars.has('JWT_ISSUER') || !vars.has('JWT_AUDIENCE')) bad('console: token settings (JWT_ISSUER, JWT_AUDIENCE) missing');
    if (String(c.env?.find((e) => e.name === 'PORT')?.value) !== '3006' || c.ports?.[0]?.containerPort !== 3006) bad('console: not on port 3006');
    if (!of('NetworkPolicy').some((p) => p.spec.podSelector.matchLabels?.['app.kubernetes.io/name'] === CONSOLE)) bad('console: no NetworkPolicy of its own');
    const ingress = of('Ingress').find((i) => i.spec.rules?.some((r) => r.http?.paths?.some((p) => p.backend.service?.name === CONSOLE)));
    if (!ingress) bad('console: no Ingress');
    if (overlay === 'prod') {
      if (consoleConfig.NODE_ENV !== 'production' || consoleConfig.CONSOLE_AUTH !== 'oidc') bad('prod console does not sign in by OIDC');
      for (const v of ['OIDC_ISSUER', 'CONSOLE_PUBLIC_URL', 'JWT_JWKS_URL']) {
        if (!/^https:\/\//.test(consoleConfig[v] ?? '')) bad(`prod console: ${v} is not an https:// URL`);
      }
      if (!consoleConfig.OIDC_CLIENT_ID) bad('prod console: no OIDC_CLIENT_ID');
      const host = ingress?.spec.rules?.[0]?.host;
      if (!host || new URL(consoleConfig.CONSOLE_PUBLIC_URL ?? 'https://none').host !== host) bad(`prod console Ingress host ${host} is not CONSOLE_PUBLIC_URL's`);
      if (!ingress?.spec.tls?.some((t) => t.hosts?.includes(host) && external.has(t.secretName))) bad('prod console Ingress has no TLS for its host');
    }
  }

  for (const h of of('HorizontalPodAutoscaler')) {
    if (!names('Deployment').has(h.spec.scaleTargetRef.name)) bad(`HPA ${h.metadata.name} targets a missing Deployment`);
  }

  const config = of('ConfigMap').find((c) => c.metadata.name.startsWith('edu-config'))?.data ?? {};
  if (overlay === 'dev') {
    if (of('HorizontalPodAutoscaler').length > 0) bad('dev still has HorizontalPodAutoscalers');
    for (const d of deployments) if (d.spec.replicas !== 1) bad(`dev ${d.metadata.name} replicas is ${d.spec.replicas}`);
    for (const c of of('Cluster')) if (c.spec.instances !== 1) bad(`dev ${c.metadata.name} instances is ${c.spec.instances}`);
  }
  if (overlay === 'prod') {
    if (config.MIGRATE_ON_BOOT !== 'false') bad('prod MIGRATE_ON_BOOT is not false');
    if (config.NODE_ENV !== 'production') bad('prod NODE_ENV is not production');
    if (of('Secret').length > 0) bad(`prod ships Secrets: ${[...names('Secret')].join(', ')}`);
    const decoded = of('Secret').flatMap((s) => Object.values(s.data ?? {}).map((v) => Buffer.from(v, 'base64').toString()));
    if (/dev-only/.test(fs.readFileSync(file, 'utf8') + decoded.join())) bad('prod contains a dev-only placeholder');
    if (of('HorizontalPodAutoscaler').some((h) => h.spec.minReplicas < 2)) bad('prod HPA minReplicas < 2');
  }
  console.log(`ok: checked ${overlay} (${objs.length} objects)`);
}
process.exit(problems > 0 ? 1 : 0);
EOF
  fi
fi

# --- 2. docker compose --------------------------------------------------------------------
if docker compose version >/dev/null 2>&1; then
  for profile in '' cluster; do
    if docker compose ${profile:+--profile "$profile"} -f docker-compose.yml config -q; then
      echo "ok: docker compose ${profile:+--profile $profile }config"
    else
      fail "docker compose ${profile:+--profile $profile }config"
    fi
  done
else
  echo "note: no docker compose plugin here; checking docker-compose.yml structure only"
fi

if $have_js_yaml; then
  node --input-type=module - docker-compose.yml deploy/compose/cluster.env <<'EOF' || failures=$((failures + 1))
import fs from 'node:fs';
import * as yaml from 'js-yaml';

const [file, clusterEnv] = process.argv.slice(2);
const APPS = { 'dropout-control': 3001, 'student-aid': 3002, 'school-construction': 3003, supervision: 3004, notifications: 3005 };
// Compose resolves YAML merge keys (<<); js-yaml 5 needs them switched on, 4 has them on.
const schema = yaml.mergeTag ? yaml.CORE_SCHEMA.withTags(yaml.mergeTag) : undefined;
let doc;
try {
  doc = yaml.load(fs.readFileSync(file, 'utf8'), schema ? { schema } : {});
} catch (e) {
  console.error(`FAIL: ${file}: not valid YAML: ${e.message}`);
  process.exit(1);
}
let problems = 0;
const bad = (msg) => { problems++; console.error(`FAIL: ${file}: ${msg}`); };
const services = doc?.services ?? {};

for (const [name, s] of Object.entries(services)) {
  if (Object.keys(s).some((k) => k === '<<')) bad(`${name}: unresolved merge key`);
  if (!s.image && !s.build) bad(`${name}: neither image nor build`);
  for (const dep of Object.keys(s.depends_on ?? {})) if (!services[dep]) bad(`${name} depends on undefined service ${dep}`);
  for (const v of s.volumes ?? []) {
    const src = String(v).split(':')[0];
    if (src.startsWith('./') && !fs.existsSync(src)) bad(`${name}: mounts missing file ${src}`);
    else if (!src.startsWith('./') && !(src in (doc.volumes ?? {}))) bad(`${name}: undeclared volume ${src}`);
  }
}
for (const infra of ['postgres', 'rabbitmq']) {
  if (!services[infra]?.healthcheck) bad(`${infra}: missing or without a healthcheck`);
}
for (const [app, port] of Object.entries(APPS)) {
  const s = services[app];
  if (!s) { bad(`no service ${app}`); continue; }
  if (s.command?.join(' ') !== `node dist/apps/${app}/src/main.js`) bad(`${app}: command is ${s.command}`);
  if (String(s.environment?.PORT) !== String(port)) bad(`${app}: PORT is ${s.environment?.PORT}`);
  if (!(s.ports ?? []).map(String).includes(`${port}:${port}`)) bad(`${app}: port ${port} not published`);
  if (!JSON.stringify(s.healthcheck?.test ?? '').includes('/health/ready')) bad(`${app}: healthcheck does not ask /health/ready`);
  for (const infra of ['postgres', 'rabbitmq']) {
    if (s.depends_on?.[infra]?.condition !== 'service_healthy') bad(`${app}: does not wait for ${infra} to be healthy`);
  }
  for (const key of ['PG_SERVER', 'AMQP_URLS', 'JWT_SECRET', 'STUDENT_KEY_SECRET']) {
    if (!s.environment?.[key]) bad(`${app}: no ${key}`);
  }
}
// `rabbitmq` is always there; the `cluster` profile adds two nodes that join it.
const nodes = ['rabbitmq', 'rabbitmq-2', 'rabbitmq-3'];
const cookies = new Set();
for (const n of nodes) {
  const s = services[n];
  if (!s) { bad(`no service ${n}`); continue; }
  const joining = n !== 'rabbitmq';
  if (joining !== Boolean(s.profiles?.includes('cluster'))) bad(`${n}: ${joining ? 'not' : 'also'} in the cluster profile`);
  if (s.hostname !== n) bad(`${n}: hostname is ${s.hostname}`);
  if (!s.healthcheck) bad(`${n}: no healthcheck`);
  if (!(s.volumes ?? []).some((v) => String(v).startsWith('./deploy/compose/rabbitmq-cluster.conf:'))) bad(`${n}: no cluster config`);
  cookies.add(s.environment?.RABBITMQ_ERLANG_COOKIE);
  if (joining) {
    if (s.depends_on?.rabbitmq?.condition !== 'service_healthy') bad(`${n}: does not wait for the seed node`);
    if (!JSON.stringify(s.healthcheck?.test ?? '').includes('await_online_nodes 3')) bad(`${n}: healthy before the cluster has formed`);
    for (const app of Object.keys(APPS)) if (services[app]?.depends_on?.[n]?.required !== false) bad(`${app}: dependency on ${n} is not optional`);
  }
}
for (const [name, s] of Object.entries(services)) if (!s.healthcheck) bad(`${name}: no healthcheck`);

// The console: after the five services are ready; their URLs inside the compose network; no
// database or broker; the services' token settings.
const consoleService = services.console;
if (!consoleService) bad('no service console');
else {
  const env = consoleService.environment ?? {};
  if (consoleService.command?.join(' ') !== 'node dist/apps/console/src/main.js') bad(`console: command is ${consoleService.command}`);
  if (String(env.PORT) !== '3006') bad(`console: PORT is ${env.PORT}`);
  if (!(consoleService.ports ?? []).map(String).includes('3006:3006')) bad('console: port 3006 not published');
  if (!JSON.stringify(consoleService.healthcheck?.test ?? '').includes('/health/ready')) bad('console: healthcheck does not ask /health/ready');
  const deps = Object.keys(consoleService.depends_on ?? {}).sort();
  if (deps.join() !== Object.keys(APPS).sort().join()) bad(`console: depends on ${deps.join(', ')}, not the five services`);
  for (const [app, port] of Object.entries(APPS)) {
    if (consoleService.depends_on?.[app]?.condition !== 'service_healthy') bad(`console: does not wait for ${app} to be healthy`);
    const variable = `${app.toUpperCase().replace(/-/g, '_')}_URL`;
    if (env[variable] !== `http://${app}:${port}`) bad(`console: ${variable} is ${env[variable]}, not http://${app}:${port}`);
  }
  for (const key of ['PG_SERVER', 'DATABASE_URL', 'AMQP_URLS', 'STUDENT_KEY_SECRET']) if (key in env) bad(`console: has ${key}`);
  for (const key of ['NODE_ENV', 'JWT_SECRET', 'JWT_JWKS_URL', 'JWT_ISSUER', 'JWT_AUDIENCE']) {
    for (const app of Object.keys(APPS)) {
      if (services[app] && env[key] !== services[app].environment?.[key]) bad(`console: ${key} differs from ${app}'s`);
    }
  }
  for (const key of ['CONSOLE_AUTH', 'OIDC_ISSUER', 'OIDC_CLIENT_ID', 'OIDC_CLIENT_SECRET', 'CONSOLE_PUBLIC_URL']) if (!(key in env)) bad(`console: no ${key}`);
}
// With every variable at its default, the token settings boot (as libs/service reads them):
// production refuses the HS256 secret and needs a JWKS.
const byDefault = (v) => String(v ?? '').replace(/\$\{[A-Z0-9_]+:?-([^}]*)\}/g, '$1');
for (const name of [...Object.keys(APPS), 'console']) {
  const env = services[name]?.environment ?? {};
  const production = byDefault(env.NODE_ENV) === 'production';
  if (production && byDefault(env.JWT_SECRET) !== '') bad(`${name}: JWT_SECRET is set but NODE_ENV=production refuses it`);
  if (production && !byDefault(env.JWT_JWKS_URL).startsWith('https://')) bad(`${name}: NODE_ENV=production without an https JWT_JWKS_URL`);
  if (production && name === 'console' && byDefault(env.CONSOLE_AUTH) !== 'oidc') bad('console: NODE_ENV=production needs CONSOLE_AUTH=oidc');
}
const conf = fs.readFileSync('deploy/compose/rabbitmq-cluster.conf', 'utf8');
for (const n of nodes) if (!conf.includes(`rabbit@${n}`)) bad(`rabbitmq-cluster.conf does not list rabbit@${n}`);
const urls = /^AMQP_URLS=(.*)$/m.exec(fs.readFileSync(clusterEnv, 'utf8'))?.[1] ?? '';
const hosts = urls.split(',').map((u) => new URL(u).hostname).sort();
if (hosts.join() !== nodes.join()) bad(`${clusterEnv}: AMQP_URLS hosts are ${hosts.join(', ')}`);

if (problems === 0) console.log(`ok: ${file} (${Object.keys(services).length} services)`);
process.exit(problems > 0 ? 1 : 0);
EOF
fi

# --- 3. the image --------------------------------------------------------------------------
# `npm run build` in the build stage compiles every app (the console's server among them) and
# bundles the console's web app into dist/console/public; the runtime stage copies dist.
node --input-type=module - <<'EOF' || failures=$((failures + 1))
import fs from 'node:fs';
const docker = fs.readFileSync('Dockerfile', 'utf8');
const ignore = fs.readFileSync('.dockerignore', 'utf8').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
const build = JSON.parse(fs.readFileSync('package.json', 'utf8')).scripts.build ?? '';
let problems = 0;
const bad = (msg) => { problems++; console.error(`FAIL: Dockerfile: ${msg}`); };
if (!/^RUN npm run build\b/m.test(docker)) bad('the build stage does not run npm run build');
if (!build.includes('vite build --config apps/console/web/vite.config.ts')) bad('npm run build does not bundle the console web app');
if (!/^COPY apps \.\/apps$/m.test(docker)) bad('the build stage does not copy apps/');
if (!/^COPY --from=build \/app\/dist \.\/dist$/m.test(docker)) bad('the runtime stage does not copy dist/');
if (!/^EXPOSE .*\b3006\b/m.test(docker)) bad('the console port 3006 is not exposed');
for (const p of ignore) if (/^(apps(\/console(\/(web|src))?)?|apps\/\*\/(web|src))\/?$/.test(p)) bad(`.dockerignore leaves out ${p}`);
if (problems === 0) console.log('ok: Dockerfile (the services, the console server and its web app)');
process.exit(problems > 0 ? 1 : 0);
EOF

if [[ $failures -gt 0 ]]; then
  echo "validate-deploy: $failures check group(s) failed" >&2
  exit 1
fi
echo "validate-deploy: all checks passed"
