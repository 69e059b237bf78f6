import { SignJWT, UnsecuredJWT } from 'jose';
import { DEV_AUTH_DEFAULTS, ROLES, type Principal, type Role } from '@edu/auth';
import { fullIdNumbersIn, maskedIdNumbersIn, readable, ROLES_SHOWN_FULL_ID_NUMBERS } from './id-numbers.js';
import type { Reply, RunningService } from './services.js';
import { expressRoutes, nestRoutes, type Route } from './routes.js';

/** The only routes reachable without a bearer token, each for a stated reason. */
export const PUBLIC_ROUTES: Record<string, string> = {
  'GET /health/live': 'liveness probe',
  'GET /health/ready': 'readiness probe',
  'GET /metrics': 'Prometheus scrape (no personal data)',
  'POST /api/sms-receipts/:provider': 'SMS providers push receipts with the shared SMS_RECEIPT_TOKEN instead',
};

/** Served by Express outside Nest's controllers: the OpenAPI viewer and Nest's not-found handler. */
const OUTSIDE_NEST = /^[A-Z-]+ \/(\*path|api\/docs(\/.*|-json|-yaml)?)$/;

export interface Request {
  body?: unknown;
  contentType?: string;
  query?: string;
}

export interface CountyFixture {
  countyA: string;
  countyB: string;
  /** Path parameter values naming county B's records: by `segment:param` (`cases:id`) or by name. */
  paramsB: Record<string, string>;
  /** Path parameter values that name no county's data (a term, a policy code, a document kind). */
  shared?: Record<string, string>;
  /** A query a read needs to answer at all (e.g. `term=2020-autumn`), by route. */
  queries?: Record<string, string>;
  /**
   * A valid request for every state-changing route a county operator may call, aimed at county
   * B (several for an import: B's rows, and own-county rows that name B's records by their key).
   */
  requestsB: Record<string, Request | Request[]>;
  /** Text that shows a response holds county B's data (its ids, its children's names). */
  markersB: string[];
  /**
   * Routes answering a county-A operator other than 403/404 on county B's data, each with why
   * and a check of what it does answer (e.g. an import that refuses every row of county B).
   */
  exceptions?: Record<
    string,
    {
      why: string;
      check: (reply: Reply) => void | Promise<void>;
      /** Tables the call may change: its side effects in the operator's own county. */
      mayChange?: string[];
    }
  >;
  /** Reads of city-wide reference data (calendar, jurisdictions, policies) that may name county B. */
  cityWide?: Record<string, string>;
  /** Reads whose answer holds county B's resident ID numbers, which must show them masked. */
  maskedIds?: string[];
}

function paramValue(route: Route, name: string, values: Record<string, string>): string | undefined {
  const at = route.path.split('/').indexOf(`:${name}`);
  const before = route.path.split('/')[at - 1] ?? '';
  return values[`${before}:${name}`] ?? values[name];
}

/** Fills a route's path parameters. */
export function pathOf(route: Route, values: Record<string, string>, fallback = 'x'): string {
  return route.path.replace(/:(\w+)/g, (_, name: string) =>
    encodeURIComponent(paramValue(route, name, values) ?? fallback),
  );
}

/** Does the route name one of county B's records through its path? */
function namesRecordOfB(route: Route, f: CountyFixture): boolean {
  return route.params.some((p) => paramValue(route, p, f.paramsB) !== undefined);
}

/** Every kind of token that must not get through. */
export async function forgedTokens(svc: RunningService): Promise<Record<string, string>> {
  const auth = { ...DEV_AUTH_DEFAULTS, ...svc.config.auth };
  const admin: Principal = { sub: 'forger', role: 'city_admin' };
  const valid = await svc.token({ sub: 'forger', role: 'viewer' });
  const [header, , signature] = valid.split('.');
  const claims = Buffer.from(
    JSON.stringify({
      role: 'city_admin',
      sub: 'forger',
      iss: auth.issuer,
      aud: auth.audience,
      exp: 4102444800,
    }),
  ).toString('base64url');
  return {
    expired: await signExpired(auth),
    'wrong issuer': await svc.token(admin, { issuer: 'https://evil.example' }),
    'wrong audience': await svc.token(admin, { audience: 'another-app' }),
    'wrong signature': await svc.token(admin, { secret: 'not-the-secret-'.repeat(3) }),
    'alg none': new UnsecuredJWT({ role: 'city_admin' })
      .setSubject('forger')
      .setIssuer(auth.issuer)
      .setAudience(auth.audience)
      .setExpirationTime('1h')
      .encode(),
    'payload swapped under a viewer signature': `${header}.${claims}.${signature}`,
    garbage: 'not.a.token',
  };

  function signExpired(a: typeof auth) {
    return new SignJWT({ role: 'city_admin' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('forger')
      .setIssuer(a.issuer)
      .setAudience(a.audience)
      .setIssuedAt(Math.floor(Date.now() / 1000) - 7200)
      .setExpirationTime(Math.floor(Date.now() / 1000) - 60)
      .sign(new TextEncoder().encode(a.secret));
  }
}

/**
 * A fingerprint of everything the service keeps, but its logs of requests: the audit log and
 * import jobs (which record refused attempts too), and the outbox and inbox by count only
 * (the relay stamps published rows on its own time). A partitioned table counts as one table
 * (its rows are its partitions'), so a partition added or dropped shows as a change of it.
 */
export async function snapshot(svc: RunningService): Promise<Record<string, string>> {
  const tables = await svc.sql<{ t: string }>(
    `SELECT c.relname AS t FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') AND NOT c.relispartition
        AND c.relname NOT IN ('audit_log', 'import_job', 'import_error', 'migrations')`,
    [svc.db.schema],
  );
  const out: Record<string, string> = {};
  for (const { t } of tables) {
    const counted = t === 'outbox' || t === 'inbox';
    const [row] = await svc.sql<{ h: string }>(
      counted
        ? `SELECT count(*)::text AS h FROM "${t}"`
        : `SELECT coalesce(md5(string_agg(md5(x::text), '' ORDER BY md5(x::text))), '-') AS h FROM "${t}" x`,
    );
    out[t] = row.h;
  }
  return out;
}

export function changedTables(before: Record<string, string>, after: Record<string, string>): string[] {
  return Object.keys({ ...before, ...after }).filter((t) => before[t] !== after[t]);
}

export function routesOf(svc: RunningService): Route[] {
  return nestRoutes(svc.app);
}

/** Express routes that no Nest controller declares, apart from the documented ones. */
export function unexplainedExpressRoutes(svc: RunningService): string[] {
  const nest = new Set(routesOf(svc).map((r) => r.key));
  return expressRoutes(svc.app).filter((k) => !nest.has(k) && !OUTSIDE_NEST.test(k));
}

async function send(
  svc: RunningService,
  route: Route,
  path: string,
  who: Principal | string | undefined,
  req: Request = {},
) {
  const url = req.query ? `${path}?${req.query}` : path;
  const headers = req.contentType ? { 'content-type': req.contentType } : undefined;
  return svc.call(route.method, url, who, req.body, headers);
}

export const mayCall = (route: Route, role: Role) =>
  route.roles ? route.roles.includes(role) : role !== 'viewer' || !route.stateChanging;

/** Checks shared by every service; each returns the failures it found, one line each. */
export const checks = {
  /**
   * No answer shows a full resident ID number to a role not in ROLES_SHOWN_FULL_ID_NUMBERS:
   * every read, as every role (county B's operator, to see B's records), its JSON and its
   * XLSX cells scanned for valid numbers. The routes in `maskedIds` must show B's numbers
   * masked to every role that may call them, so the check is known to look at real records.
   */
  async fullIdNumbers(svc: RunningService, f: CountyFixture): Promise<string[]> {
    const failures: string[] = [];
    const everyone: Principal[] = [
      { sub: 'id-admin', role: 'city_admin' },
      { sub: 'id-op', role: 'county_operator', county: f.countyB },
      { sub: 'id-auditor', role: 'aid_auditor' },
      { sub: 'id-viewer', role: 'viewer' },
    ];
    const who = everyone.filter((p) => !ROLES_SHOWN_FULL_ID_NUMBERS.includes(p.role));
    const routes = routesOf(svc).filter((r) => !r.public && !r.stateChanging);
    for (const key of f.maskedIds ?? [])
      if (!routes.some((r) => r.key === key)) failures.push(`${key}: listed in maskedIds, but no such read`);
    for (const route of routes) {
      for (const principal of who.filter((p) => mayCall(route, p.role))) {
        const reply = await send(svc, route, pathOf(route, { ...f.shared, ...f.paramsB }), principal, {
          query: f.queries?.[route.key],
        });
        const text = await readable(reply);
        const shown = fullIdNumbersIn(text);
        if (shown.length > 0)
          failures.push(`${route.key} shows ${principal.role} ${shown.length} full ID number(s)`);
        else if (f.maskedIds?.includes(route.key) && maskedIdNumbersIn(text).length === 0)
          failures.push(`${route.key} shows ${principal.role} no masked ID number (${reply.status})`);
      }
    }
    return failures;
  },

  async noToken(svc: RunningService): Promise<string[]> {
    const failures: string[] = [];
    for (const route of routesOf(svc).filter((r) => !r.public)) {
      const reply = await send(svc, route, pathOf(route, {}), undefined);
      if (reply.status !== 401) failures.push(`${route.key}: ${reply.status} without a token`);
    }
    return failures;
  },

  async forged(svc: RunningService): Promise<string[]> {
    const tokens = await forgedTokens(svc);
    const failures: string[] = [];
    for (const route of routesOf(svc).filter((r) => !r.public)) {
      for (const [kind, token] of Object.entries(tokens)) {
        const reply = await send(svc, route, pathOf(route, {}), token);
        if (reply.status !== 401) failures.push(`${route.key}: ${reply.status} with ${kind}`);
      }
    }
    return failures;
  },

  /** Each role the route does not admit is refused by the guard with 403, before anything runs. */
  async roles(svc: RunningService, countyA: string): Promise<string[]> {
    const failures: string[] = [];
    const before = svc.db ? await snapshot(svc) : null;
    for (const route of routesOf(svc).filter((r) => !r.public)) {
      if (route.stateChanging && mayCall(route, 'viewer'))
        failures.push(`${route.key}: a viewer may call it`);
      for (const role of ROLES) {
        if (mayCall(route, role)) continue;
        const who: Principal = {
          sub: `probe-${role}`,
          role,
          ...(role === 'county_operator' ? { county: countyA } : {}),
        };
        const reply = await send(svc, route, pathOf(route, {}), who);
        if (reply.status !== 403) failures.push(`${route.key}: ${role} got ${reply.status}, not 403`);
      }
    }
    if (before) {
      const changed = changedTables(before, await snapshot(svc));
      if (changed.length > 0) failures.push(`refused roles changed ${changed.join(', ')}`);
    }
    return failures;
  },

  /** A county-A operator sees nothing of county B, by id or by asking for county B. */
  async countyReads(svc: RunningService, f: CountyFixture): Promise<string[]> {
    const operator: Principal = { sub: 'op-a', role: 'county_operator', county: f.countyA };
    const failures: string[] = [];
    const leaks = (text: string) => [f.countyB, ...f.markersB].filter((m) => text.includes(m));
    for (const route of routesOf(svc).filter(
      (r) => !r.public && !r.stateChanging && mayCall(r, 'county_operator'),
    )) {
      if (f.cityWide?.[route.key]) continue;
      const path = pathOf(route, { ...f.shared, ...f.paramsB });
      const query = f.queries?.[route.key];
      if (namesRecordOfB(route, f)) {
        const reply = await send(svc, route, path, operator, { query });
        if (![403, 404].includes(reply.status))
          failures.push(
            `${route.key}: ${reply.status} for county B's record (${leaks(await readable(reply)).join(', ')})`,
          );
        continue;
      }
      const own = await send(svc, route, path, operator, { query });
      if (own.status >= 500) failures.push(`${route.key}: ${own.status}`);
      const leaked = leaks(await readable(own));
      if (leaked.length > 0)
        failures.push(`${route.key}: a county-A operator's answer holds ${leaked.join(', ')}`);
      const askB = await send(svc, route, path, operator, {
        query: [query, `county=${f.countyB}`].filter(Boolean).join('&'),
      });
      if (![400, 403, 404].includes(askB.status))
        failures.push(`${route.key}?county=B: ${askB.status} (${leaks(await readable(askB)).join(', ')})`);
    }
    return failures;
  },

  /** A county-A operator changes nothing of county B: 403/404 (or a listed exception), nothing stored changes. */
  async countyWrites(svc: RunningService, f: CountyFixture): Promise<string[]> {
    const operator: Principal = { sub: 'op-a', role: 'county_operator', county: f.countyA };
    const failures: string[] = [];
    for (const route of routesOf(svc).filter(
      (r) => !r.public && r.stateChanging && mayCall(r, 'county_operator'),
    )) {
      const given = f.requestsB[route.key];
      if (!given && (route.takesBody || route.takesRequest)) {
        failures.push(
          `${route.key}: no county-B request in the fixture (add one, or list the route as an exception)`,
        );
        continue;
      }
      for (const request of [given ?? {}].flat()) {
        const before = await snapshot(svc);
        const reply = await send(svc, route, pathOf(route, { ...f.shared, ...f.paramsB }), operator, request);
        const exception = f.exceptions?.[route.key];
        if (exception) {
          try {
            await exception.check(reply);
          } catch (e) {
            failures.push(
              `${route.key} (${exception.why}): ${(e as Error).message.split('\n').slice(0, 8).join(' ')}`,
            );
          }
        } else if (![403, 404].includes(reply.status)) {
          failures.push(`${route.key}: ${reply.status} ${reply.text.slice(0, 200)}`);
        }
        const allowed = new Set(exception?.mayChange ?? []);
        const changed = changedTables(before, await snapshot(svc)).filter((t) => !allowed.has(t));
        if (changed.length > 0) failures.push(`${route.key}: changed ${changed.join(', ')}`);
      }
    }
    return failures;
  },
};
