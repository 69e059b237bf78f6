import { DEV_AUTH_DEFAULTS, signToken } from '@edu/auth';
import { FixedClock } from '@edu/service';
import {
  createTestDatabase,
  deleteTopology,
  startTestService,
  testMessagingConfig,
  type TestDatabase,
  type TestService,
} from '@edu/testing';
import { AppModule } from '../src/app.module.js';
import { migrations } from '../src/migrations/index.js';
import { readSupervisionConfig } from '../src/supervision.config.js';

/** A response body; the assertions check its shape. */
type Json = ReturnType<typeof JSON.parse>;

/*
 * Village work teams: days in the village below 20 a month, or a missing half-year report,
 * escalate on the work-team front; made good, they are settled.
 */
describe('supervision: village work teams', () => {
  const messaging = testMessagingConfig('supervision');
  const clock = new FixedClock(new Date('2020-07-20T02:00:00Z'));
  let db: TestDatabase;
  let svc: TestService;
  let admin: string;

  const call = async <T = Json>(path: string, init: RequestInit = {}, token = admin) => {
    const res = await fetch(`${svc.url}${path}`, {
      ...init,
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
        ...(init.headers ?? {}),
      },
    });
    return { status: res.status, body: (await res.json()) as T };
  };

  beforeAll(async () => {
    db = await createTestDatabase('supervision_wt', [], migrations);
    const config = {
      ...readSupervisionConfig({}),
      migrateOnBoot: false,
      sweepIntervalMs: 0,
      database: { url: db.url, schema: db.schema, poolSize: 5 },
      messaging,
    };
    svc = await startTestService(AppModule.register(config, { clock }), config);
    admin = await signToken({ sub: 'admin', role: 'city_admin' }, DEV_AUTH_DEFAULTS);
    await call('/api/officials/import', {
      method: 'POST',
      headers: { 'content-type': 'text/csv' },
      body: [
        'official_id,name,title,county_code,front,role,phone,email',
        'WY-OFF,周敏,五原县教育局办公室主任,150821,work_team,responsible,13900000031,',
      ].join('\n'),
    });
  });

  afterAll(async () => {
    await svc?.close();
    await db?.drop();
    await deleteTopology(messaging.namespace, ['supervision']);
  });

  it('escalates days short and a missing report, and settles them when made good', async () => {
    const imported = await call('/api/work-teams/members/import', {
      method: 'POST',
      headers: { 'content-type': 'text/csv' },
      body: [
        'member_id,name,county_code,village,role,posted_from,posted_until',
        'M1,张伟,150821,联丰村,first_secretary,2020-01-01,',
        'M2,李强,150821,丰收村,member,2020-13-01,',
      ].join('\n'),
    });
    expect(imported.body).toEqual({
      received: 2,
      upserted: 1,
      rejected: [{ line: 3, field: 'posted_from', reason: 'must be a date (YYYY-MM-DD)' }],
    });
    for (const m of ['01', '02', '03', '04', '05'])
      await call(`/api/work-teams/members/M1/attendance/2020-${m}`, {
        method: 'PUT',
        body: JSON.stringify({ daysInVillage: 22 }),
      });
    const june = await call('/api/work-teams/members/M1/attendance/2020-06', {
      method: 'PUT',
      body: JSON.stringify({ daysInVillage: 18 }),
    });
    // June is short and the first half's report is late (due by 15 July).
    expect(june.body).toMatchObject({ short: 2, settled: 0 });
    const [esc] = (await call<Json[]>('/api/escalations?county=150821&front=work_team')).body;
    expect(esc).toMatchObject({ breachType: 'work_team', openItemCount: 2, level: 'notice' });
    expect(esc.notifications.map((n: { officialId: string }) => n.officialId)).toEqual(['WY-OFF']);
    // The sweep finds nothing new.
    expect((await call('/api/work-teams/sweep', { method: 'POST' })).body).toMatchObject({
      members: 1,
      short: 2,
      settled: 0,
    });
    expect((await call<Json[]>('/api/escalations?county=150821&front=work_team')).body[0].openItemCount).toBe(
      2,
    );

    await call('/api/work-teams/members/M1/attendance/2020-06', {
      method: 'PUT',
      body: JSON.stringify({ daysInVillage: 21 }),
    });
    const filed = await call('/api/work-teams/members/M1/reports/2020-H1', {
      method: 'PUT',
      body: JSON.stringify({ submittedOn: '2020-07-18' }),
    });
    expect(filed.body).toMatchObject({ short: 0, settled: 1 });
    const [after] = (await call<Json[]>('/api/escalations?county=150821&front=work_team')).body;
    expect(after).toMatchObject({ status: 'resolved', openItemCount: 0 });
    const sheet = (await call<Json[]>('/api/work-teams/attendance?county=150821&year=2020')).body;
    expect(sheet[0]).toMatchObject({ memberId: 'M1', total: 131, reports: ['2020-H1'] });
    const bad = await call('/api/work-teams/members/M1/attendance/2020-02', {
      method: 'PUT',
      body: JSON.stringify({ daysInVillage: 30 }),
    });
    expect(bad.status).toBe(400);
  });
});
