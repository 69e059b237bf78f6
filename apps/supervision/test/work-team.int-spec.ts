import type { EventMap } from '@edu/contracts';
import { DEV_AUTH_DEFAULTS, signToken } from '@edu/auth';
import { FixedClock } from '@edu/service';
import {
  createTestDatabase,
  deleteTopology,
  testMessagingConfig,
  type TestDatabase,
  type TestService,
} from '@edu/testing';
import { migrations } from '../src/migrations/index.js';
import { startOnSchema } from './supervision-fixture.js';

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
    svc = await startOnSchema(db, messaging, clock);
    admin = await signToken({ sub: 'admin', role: 'city_admin' }, DEV_AUTH_DEFAULTS);
    await call('/api/officials/import', {
      method: 'POST',
      headers: { 'content-type': 'text/csv' },
      body: [
        'official_id,name,title,county_code,front,role,phone,email',
        'WY-OFF,周敏,五原县教育局办公室主任,150821,work_team,responsible,13900000031,',
        'DK-OFF,吴昊,磴口县教育局办公室主任,150822,work_team,responsible,13900000032,',
        'DK-HEAD,周丽,磴口县教育局局长,150822,all,bureau_head,13900000004,dk@example.cn',
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

  it('lets a shortfall that comes back join the open escalation, reported as new in the next notice', async () => {
    type Requested = EventMap['notification.requested.v1'];
    const requested = async (escalationId: string) =>
      (
        await db.dataSource.query<{ envelope: { data: Requested } }[]>(
          `SELECT envelope FROM outbox WHERE routing_key = 'notification.requested.v1' ORDER BY seq`,
        )
      )
        .map((r) => r.envelope.data)
        .filter((d) => d.escalationId === escalationId);
    const escalation = async () =>
      (await call<Json[]>('/api/escalations?county=150822&front=work_team')).body;
    const june = (member: string, daysInVillage: number) =>
      call(`/api/work-teams/members/${member}/attendance/2020-06`, {
        method: 'PUT',
        body: JSON.stringify({ daysInVillage }),
      });
    // Posted from June: June is the only period judged.
    await call('/api/work-teams/members/import', {
      method: 'POST',
      headers: { 'content-type': 'text/csv' },
      body: [
        'member_id,name,county_code,village,role,posted_from,posted_until',
        'M3,王磊,150822,沙金套海村,member,2020-06-01,',
        'M4,刘洋,150822,补隆淖村,member,2020-06-01,',
      ].join('\n'),
    });
    expect((await june('M3', 18)).body).toMatchObject({ short: 1, settled: 0 });
    const [opened] = await escalation();
    expect(opened).toMatchObject({ openItemCount: 1, level: 'notice', nextLevel: 'interview' });
    expect((await requested(opened.id)).map((r) => [r.kind, r.recipient.officialId])).toEqual([
      ['supervision_notice', 'DK-OFF'],
    ]);
    expect((await june('M4', 10)).body).toMatchObject({ short: 1, settled: 0 });

    // M3's June corrected, then found short after all: the shortfall is back while M4's is still open.
    expect((await june('M3', 21)).body).toMatchObject({ short: 0, settled: 1 });
    expect((await escalation())[0]).toMatchObject({ id: opened.id, itemCount: 2, openItemCount: 1 });
    expect((await june('M3', 15)).body).toMatchObject({ short: 1, settled: 0 });
    expect((await escalation())[0]).toMatchObject({
      id: opened.id,
      status: 'open',
      itemCount: 2,
      openItemCount: 2,
    });
    // No message of its own: it waits for the next step.
    expect(await requested(opened.id)).toHaveLength(1);

    // M4 makes up June; M3's shortfall, the one the notice named, keeps the escalation open.
    expect((await june('M4', 20)).body).toMatchObject({ short: 0, settled: 1 });
    expect((await escalation())[0]).toMatchObject({ status: 'open', openItemCount: 1 });

    // Ten working days after the notice the interview is due (unheeded: M3's June is still short).
    clock.set(new Date('2020-08-03T02:00:00Z'));
    expect((await call('/api/sweeps/ladder', { method: 'POST' })).body).toEqual({
      escalations: 1,
      notices: 1,
    });
    const [, interview] = await requested(opened.id);
    expect(interview).toMatchObject({
      kind: 'interview_notice',
      recipient: { officialId: 'DK-HEAD' },
      params: { itemCount: 1, newItemCount: 1, totalItemCount: 2 },
    });
    expect((await escalation())[0]).toMatchObject({ level: 'interview', openItemCount: 1 });
  });
});
