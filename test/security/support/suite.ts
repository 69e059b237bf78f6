import { residentIdCheckChar } from '@edu/contracts';
import { fuzzRoutes } from './fuzz.js';
import {
  checks,
  PUBLIC_ROUTES,
  routesOf,
  unexplainedExpressRoutes,
  type CountyFixture,
} from './route-security.js';
import type { RunningService } from './services.js';

/** A valid resident ID number of `county`, born on `birth` (YYYYMMDD), sequence `seq`. */
export function idNumber(county: string, birth: string, seq: number): string {
  const first17 = `${county}${birth}${String(seq).padStart(3, '0')}`;
  return first17 + residentIdCheckChar(first17);
}

/**
 * The checks every service passes, on every route Nest maps: tokens, roles, county scoping,
 * hostile input, and what reaches the log and the outbox.
 */
export function describeRouteSecurity(
  get: () => { svc: RunningService; fixture: CountyFixture; secrets: string[] },
): void {
  it('maps its routes through Nest only (besides the OpenAPI viewer), and only the listed ones are public', () => {
    const { svc } = get();
    const routes = routesOf(svc);
    expect(routes.length).toBeGreaterThan(5);
    expect(unexplainedExpressRoutes(svc)).toEqual([]);
    const unlisted = routes.filter((r) => r.public && !PUBLIC_ROUTES[r.key]).map((r) => r.key);
    expect(unlisted).toEqual([]);
    expect(routes.filter((r) => r.key === 'GET /api/audit').map((r) => r.roles)).toEqual([['city_admin']]);
  });

  it('answers 401 on every other route without a token', async () => {
    expect(await checks.noToken(get().svc)).toEqual([]);
  });

  it('answers 401 to expired, wrongly issued, wrongly addressed, wrongly signed, unsigned and tampered tokens', async () => {
    expect(await checks.forged(get().svc)).toEqual([]);
  });

  it('refuses with 403 every role a route does not admit (viewers change nothing), and nothing changes', async () => {
    const { svc, fixture } = get();
    expect(await checks.roles(svc, fixture.countyA)).toEqual([]);
  });

  it("shows a county-A operator nothing of county B's, by id or by asking for county B", async () => {
    const { svc, fixture } = get();
    expect(await checks.countyReads(svc, fixture)).toEqual([]);
  });

  // Before the writes: they run cross-checks, and only the latest runs keep their children.
  it('shows no full resident ID number in any answer, to any role', async () => {
    const { svc, fixture } = get();
    expect(await checks.fullIdNumbers(svc, fixture)).toEqual([]);
  });

  it("lets a county-A operator change nothing of county B's: 403 or 404, nothing stored changes", async () => {
    const { svc, fixture } = get();
    expect(await checks.countyWrites(svc, fixture)).toEqual([]);
  });

  it('answers hostile and malformed input with 4xx, never 5xx, and nothing pollutes prototypes', async () => {
    const { svc, fixture } = get();
    const params = { ...fixture.shared, ...fixture.paramsB };
    expect(await fuzzRoutes(svc, routesOf(svc), params, fixture.countyA)).toEqual([]);
  });

  it('never wrote a resident ID number or child name to its log, outbox or audit log', async () => {
    const { svc, secrets } = get();
    const log = svc.written.join('');
    const outbox = JSON.stringify(await svc.sql('SELECT envelope FROM outbox'));
    const audit = JSON.stringify(await svc.sql('SELECT * FROM audit_log'));
    const found = secrets.flatMap((s) =>
      [log.includes(s) && 'log', outbox.includes(s) && 'outbox', audit.includes(s) && 'audit_log']
        .filter(Boolean)
        .map((where) => `${s} in ${String(where)}`),
    );
    expect(found).toEqual([]);
    expect(
      Number((await svc.sql<{ n: string }>('SELECT count(*) AS n FROM audit_log'))[0].n),
    ).toBeGreaterThan(0);
  });

  it('showed no full resident ID number in any answer this suite received, writes and refusals included', () => {
    expect(get().svc.fullIdAnswers).toEqual([]);
  });
}
