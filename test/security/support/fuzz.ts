import { ModulesContainer } from '@nestjs/core';
import { getMetadataStorage } from 'class-validator';
import type { Principal } from '@edu/auth';
import { mayCall, pathOf } from './route-security.js';
import type { Route } from './routes.js';
import type { RunningService } from './services.js';

/** A hostile request, generated: what is sent and what must come back. */
interface Probe {
  what: string;
  path: string;
  body?: string;
  contentType?: string;
  /** 4xx required; otherwise only "no 5xx". */
  mustRefuse: boolean;
}

const ROUTE_ARGS_METADATA = '__routeArguments__';
const BODY = 3;

/** The class of a route's @Body, when it has one. */
function bodyType(svc: RunningService, route: Route): (new () => unknown) | undefined {
  for (const module of svc.app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const type = wrapper.metatype as (new () => object) | null;
      if (type?.name !== route.controller) continue;
      const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, type, route.handler) ?? {}) as Record<
        string,
        { index: number }
      >;
      const entry = Object.entries(args).find(([k]) => Number(k.split(':')[0]) === BODY);
      if (!entry) return undefined;
      const types = Reflect.getMetadata('design:paramtypes', type.prototype, route.handler) as unknown[];
      const t = types?.[entry[1].index];
      return typeof t === 'function' && t !== Object ? (t as new () => unknown) : undefined;
    }
  }
  return undefined;
}

function fieldsOf(type: (new () => unknown) | undefined): string[] {
  if (!type) return ['id', 'name', 'countyCode', 'amount', 'studentIdNumber', 'evidence'];
  const names = getMetadataStorage()
    .getTargetValidationMetadatas(type, '', true, false)
    .map((m) => m.propertyName);
  return [...new Set(names)];
}

const nested = (depth: number): unknown => (depth === 0 ? 'bottom' : { a: nested(depth - 1) });

/** Wrong types, huge values, deep nesting, prototype keys, broken JSON, wrong content types. */
function bodies(fields: string[]): { what: string; body: string; contentType: string; accepted?: boolean }[] {
  const each = (value: unknown) => JSON.stringify(Object.fromEntries(fields.map((f) => [f, value])));
  const json = 'application/json';
  return [
    { what: 'every field a number', body: each(123456789), contentType: json },
    { what: 'every field a huge string', body: each('界'.repeat(20_000)), contentType: json },
    { what: 'every field an object', body: each({ $gt: '', toString: 1, valueOf: 2 }), contentType: json },
    { what: 'every field an array', body: each([[1, 2], { a: 1 }, null]), contentType: json },
    // null is "absent" to an optional field: refused only where a field is required.
    { what: 'every field null', body: each(null), contentType: json, accepted: true },
    { what: 'every field deeply nested', body: each(nested(40)), contentType: json },
    {
      // Free text may say anything; it must be stored as text (the outbox still exists afterwards).
      what: 'SQL and script text',
      body: each(`'; DROP TABLE outbox; -- <script>alert(1)</script>`),
      contentType: json,
      accepted: true,
    },
    { what: 'a JSON array', body: '[1,2,3]', contentType: json },
    { what: 'a JSON string', body: '"just a string"', contentType: json },
    { what: 'a JSON number', body: '42', contentType: json },
    { what: 'JSON null', body: 'null', contentType: json },
    { what: 'invalid JSON', body: '{"a": 1,', contentType: json },
    { what: 'JSON with a NUL byte', body: '{"a":"\u0000"}\u0000', contentType: json },
    {
      what: '__proto__ pollution',
      body: '{"__proto__":{"polluted":"yes"},"a":{"__proto__":{"polluted":"yes"}}}',
      contentType: json,
    },
    {
      what: 'constructor.prototype pollution',
      body: '{"constructor":{"prototype":{"polluted":"yes"}}}',
      contentType: json,
    },
    { what: 'deep nesting (5000 levels)', body: '['.repeat(5000) + ']'.repeat(5000), contentType: json },
    {
      what: 'a body over the size limit',
      body: JSON.stringify({ a: 'x'.repeat(1_100_000) }),
      contentType: json,
    },
    {
      what: 'XML',
      body: '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>',
      contentType: 'application/xml',
    },
    {
      what: 'form-encoded',
      body: '__proto__[polluted]=yes&a[b][c]=d',
      contentType: 'application/x-www-form-urlencoded',
    },
    { what: 'no content type', body: '{"a":1}', contentType: '' },
  ];
}

const HOSTILE_PARAMS = [
  '..%2F..%2Fetc%2Fpasswd',
  `'%20OR%201=1--`,
  '%00',
  encodeURIComponent('界'.repeat(300)),
  '9'.repeat(400),
  encodeURIComponent('{"$ne":null}'),
  '%E0%A4%A',
];

const HOSTILE_QUERIES = [
  'county=150821&county=150822',
  'county[]=150821&limit=-1&offset=-5',
  'limit=1e309&offset=NaN&from=yesterday&to=0000-00-00',
  '__proto__[polluted]=yes&constructor[prototype][polluted]=yes',
  `county=${encodeURIComponent("' OR 1=1 --")}&term=${encodeURIComponent('2020-autumn; DROP TABLE x')}`,
  `q=${'x'.repeat(6000)}`,
  'status=%00&channel=%E0%A4%A',
];

/** The role a route is fuzzed as: one it admits, so that the probe gets past the guard. */
export function fuzzer(route: Route, county: string): Principal {
  for (const role of ['city_admin', 'aid_auditor', 'county_operator', 'viewer'] as const) {
    if (mayCall(route, role))
      return { sub: `fuzz-${role}`, role, ...(role === 'county_operator' ? { county } : {}) };
  }
  return { sub: 'fuzz', role: 'city_admin' };
}

/** The probes of one route: its body (or upload) spoiled every way, its ids and its query hostile. */
export function probesOf(svc: RunningService, route: Route, params: Record<string, string>): Probe[] {
  const probes: Probe[] = [];
  const path = pathOf(route, params);
  if (route.stateChanging || route.takesBody) {
    const reads = route.takesBody || route.takesRequest;
    for (const b of bodies(fieldsOf(bodyType(svc, route)))) {
      probes.push({
        what: b.what,
        path,
        body: b.body,
        contentType: b.contentType,
        mustRefuse: reads && !b.accepted,
      });
    }
    if (route.takesRequest) {
      probes.push(
        {
          what: 'a CSV of garbage',
          path,
          body: '\u0000\u0001\u0002,"unterminated\n\n\n',
          contentType: 'text/csv',
          mustRefuse: false,
        },
        {
          what: 'bytes that are no XLSX',
          path,
          body: 'PK\u0003\u0004not really a zip',
          contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
          mustRefuse: true,
        },
        {
          what: 'multipart without a file',
          path,
          body: '--b\r\nContent-Disposition: form-data; name="x"\r\n\r\n1\r\n--b--\r\n',
          contentType: 'multipart/form-data; boundary=b',
          mustRefuse: true,
        },
        {
          what: 'broken multipart',
          path,
          body: '--b\r\nnonsense',
          contentType: 'multipart/form-data; boundary=b',
          mustRefuse: true,
        },
      );
    }
  }
  // Each parameter has a segment of its own: swap that segment of the good path for a hostile one.
  const patternSegments = route.path.split('/');
  const goodSegments = path.split('/');
  for (const name of route.params) {
    const at = patternSegments.indexOf(`:${name}`);
    for (const value of HOSTILE_PARAMS) {
      const hostile = goodSegments.map((seg, i) => (i === at ? value : seg)).join('/');
      probes.push({
        what: `:${name} = ${decodeURIComponentSafe(value).slice(0, 40)}`,
        path: hostile,
        mustRefuse: true,
      });
    }
  }
  if (!route.stateChanging) {
    for (const q of HOSTILE_QUERIES)
      probes.push({ what: `query ${q.slice(0, 60)}`, path: `${path}?${q}`, mustRefuse: false });
  }
  return probes;
}

function decodeURIComponentSafe(v: string) {
  try {
    return decodeURIComponent(v);
  } catch {
    return v;
  }
}

/** Sends every probe of every route; returns the failures, one line each. */
export async function fuzzRoutes(
  svc: RunningService,
  routes: Route[],
  params: Record<string, string>,
  county: string,
): Promise<string[]> {
  const failures: string[] = [];
  for (const route of routes.filter((r) => !r.path.startsWith('/health') && r.path !== '/metrics')) {
    const who = fuzzer(route, county);
    for (const probe of probesOf(svc, route, params)) {
      const headers: Record<string, string> = {};
      if (probe.contentType !== undefined) headers['content-type'] = probe.contentType;
      const reply = await svc.call(
        route.method,
        probe.path,
        route.public ? undefined : who,
        probe.body,
        headers,
      );
      if (reply.status >= 500 || (probe.mustRefuse && (reply.status < 400 || reply.status >= 500))) {
        // A 5xx names its request id: the service's log line says what went wrong.
        const id = (reply.body as { requestId?: string } | null)?.requestId;
        const logged = id
          ? svc.written.find((l) => l.includes(id) && l.includes('"level":"error"'))
          : undefined;
        const cause = logged ? ` — logged: ${logged.slice(0, 400)}` : '';
        failures.push(`${route.key} with ${probe.what}: ${reply.status} ${reply.text.slice(0, 160)}${cause}`);
      }
    }
  }
  // Text is data, not SQL: the tables a statement in a field would drop are all still there.
  await svc.sql('SELECT count(*) FROM outbox');
  const probe = {} as Record<string, unknown>;
  if (probe.polluted !== undefined || (Object.prototype as Record<string, unknown>).polluted !== undefined)
    failures.push('Object.prototype was polluted');
  return failures;
}
