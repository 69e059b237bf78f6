import { randomUUID } from 'node:crypto';
import { createEnvelope, type EventKey, type EventMap } from '@edu/contracts';
import { DEV_AUTH_DEFAULTS, signToken } from '@edu/auth';
import { pdfText } from '@edu/documents';
import { FixedClock } from '@edu/service';
import {
  createTestDatabase,
  deleteTopology,
  openProbe,
  publishEnvelope,
  testMessagingConfig,
  waitFor,
  type TestDatabase,
  type TestService,
} from '@edu/testing';
import { migrations } from '../src/migrations/index.js';
import { startOnSchema, unpaidEntitlement } from './supervision-fixture.js';

/** A response body; the assertions check its shape. */
type Json = ReturnType<typeof JSON.parse>;

/*
 * The ladder on the working-day calendar: digests per step, the sweeper taking the next
 * step when its wait is over (and only once), the interview record and its documents,
 * the accountability recommendation, acknowledgement, a failed interview notice escalated
 * to the city, and policy versions kept by running escalations.
 */

const OFFICIALS = [
  'official_id,name,title,county_code,front,role,phone,email',
  'WY-AID,赵敏,五原县学生资助中心主任,150821,aid,responsible,13900000001,aid@example.cn',
  'WY-AID2,钱进,五原县教育局副局长,150821,aid,responsible,13900000011,',
  'WY-HEAD,孙强,五原县教育局局长,150821,all,bureau_head,13900000003,head@example.cn',
  'WY-PC,李红,五原县委组织部副部长,150821,all,party_committee,,pc@example.cn',
  'DK-HEAD,周丽,磴口县教育局局长,150822,all,bureau_head,13900000004,dk@example.cn',
  'C-RESP,郑华,市教育局发展规划科科长,150800,all,responsible,13900000009,city@example.cn',
  'C-HEAD,冯刚,市教育局局长,150800,all,bureau_head,13900000010,citytop@example.cn',
].join('\n');

type Requested = EventMap['notification.requested.v1'];

describe('supervision: the escalation ladder', () => {
  const messaging = testMessagingConfig('supervision');
  // Monday 2 November 2020, 10:00 in Beijing.
  const clock = new FixedClock(new Date('2020-11-02T02:00:00Z'));
  let db: TestDatabase;
  let svc: TestService;
  let probe: Awaited<ReturnType<typeof openProbe>>;
  let admin: string;

  const publish = <K extends EventKey>(key: K, data: EventMap[K], subject: string, county = '150821') => {
    const env = createEnvelope(key, data, { producer: 'test', subject, county });
    publishEnvelope(probe.channel, messaging.namespace, env);
    return env;
  };

  const overdue = (countyCode: string, amountDue = '625.00') => {
    const entitlementId = randomUUID();
    return publish(
      'aid.entitlement.overdue.v1',
      unpaidEntitlement(entitlementId, countyCode, amountDue),
      entitlementId,
      countyCode,
    );
  };

  const call = async <T = Json>(path: string, init: RequestInit = {}, token = admin) => {
    const res = await fetch(`${svc.url}${path}`, {
      ...init,
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
        ...(init.headers ?? {}),
      },
    });
    const type = res.headers.get('content-type') ?? '';
    const body = type.includes('json') ? await res.json() : Buffer.from(await res.arrayBuffer());
    return { status: res.status, body: body as T, type };
  };

  const requests = async (escalationId?: string) =>
    (
      await db.dataSource.query<{ envelope: { data: Requested } }[]>(
        `SELECT envelope FROM outbox WHERE routing_key = 'notification.requested.v1' ORDER BY seq`,
      )
    )
      .map((r) => r.envelope.data)
      .filter((d) => !escalationId || d.escalationId === escalationId);

  const escalations = async (q = 'county=150821') => (await call<Json[]>(`/api/escalations?${q}`)).body;

  beforeAll(async () => {
    db = await createTestDatabase('supervision_ladder', [], migrations);
    svc = await startOnSchema(db, messaging, clock);
    probe = await openProbe();
    admin = await signToken({ sub: 'admin', role: 'city_admin' }, DEV_AUTH_DEFAULTS);
    const res = await call('/api/officials/import', {
      method: 'POST',
      body: OFFICIALS,
      headers: { 'content-type': 'text/csv' },
    });
    expect(res.body).toMatchObject({ upserted: 7, rejected: [] });
  });

  afterAll(async () => {
    await svc?.close();
    await probe?.connection.close();
    await db?.drop();
    await deleteTopology(messaging.namespace, ['supervision']);
  });

  it('names the official the matrix gives, and reports the roles nobody holds', async () => {
    const put = await call('/api/responsibility-matrix/150821/aid', {
      method: 'PUT',
      body: JSON.stringify({ leadDepartment: '五原县学生资助管理中心', responsibleOfficialId: 'WY-AID' }),
    });
    expect(put.status).toBe(200);
    const wrong = await call('/api/responsibility-matrix/150821/aid', {
      method: 'PUT',
      body: JSON.stringify({ responsibleOfficialId: 'WY-HEAD' }),
    });
    expect(wrong.status).toBe(400);
    expect(JSON.stringify(wrong.body)).toContain('WY-HEAD is a bureau_head, not a responsible');

    const matrix = (await call<Json[]>('/api/responsibility-matrix?county=150821')).body;
    const aid = matrix.find((m) => m.front === 'aid');
    expect(aid).toMatchObject({
      leadDepartment: '五原县学生资助管理中心',
      responsible: [{ officialId: 'WY-AID', source: 'matrix', fallback: false }],
      bureau_head: [{ officialId: 'WY-HEAD', source: 'directory' }],
    });
    const gaps = (await call<Json[]>('/api/responsibility-matrix/gaps?county=150822')).body;
    expect(gaps).toContainEqual(
      expect.objectContaining({
        front: 'aid',
        role: 'responsible',
        fallback: 'city',
        description: expect.stringContaining('磴口县'),
      }),
    );
  });

  it('holidays are data: the calendar has 2020 and edits count at once', async () => {
    const year = (await call<{ days: { date: string; kind: string }[] }>('/api/calendar/days?year=2020'))
      .body;
    expect(year.days).toContainEqual(expect.objectContaining({ date: '2020-10-10', kind: 'workday' }));
    const y2026 = (await call<{ days: { date: string; kind: string }[] }>('/api/calendar/days?year=2026'))
      .body;
    expect(y2026.days).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ date: '2026-01-04', kind: 'workday' }),
        expect.objectContaining({ date: '2026-02-14', kind: 'workday' }),
        expect.objectContaining({ date: '2026-02-23', kind: 'holiday' }),
        expect.objectContaining({ date: '2026-09-20', kind: 'workday' }),
        expect.objectContaining({ date: '2026-09-25', kind: 'holiday' }),
      ]),
    );
    expect(
      (await call<{ workingDays: number }>('/api/calendar/working-days?from=2026-02-13&to=2026-02-24')).body
        .workingDays,
    ).toBe(2);
    const count = async () =>
      (await call<{ workingDays: number }>('/api/calendar/working-days?from=2020-09-30&to=2020-10-14')).body
        .workingDays;
    expect(await count()).toBe(5);
    expect(
      (
        await call('/api/calendar/days/2020-10-12', {
          method: 'PUT',
          body: JSON.stringify({ kind: 'holiday', name: '测试' }),
        })
      ).status,
    ).toBe(200);
    expect(await count()).toBe(4);
    expect((await call('/api/calendar/days/2020-10-12', { method: 'DELETE' })).status).toBe(204);
    expect(await count()).toBe(5);
    const viewer = await signToken({ sub: 'v', role: 'viewer' }, DEV_AUTH_DEFAULTS);
    expect((await call('/api/calendar/days/2020-10-12', { method: 'DELETE' }, viewer)).status).toBe(403);
  });

  let escalationId: string;

  it('sends one digest per step: 督办 and 约谈 at once, with the interview notice as PDF and HTML', async () => {
    overdue('150821');
    const [esc] = await waitFor(
      () => escalations(),
      (r) => r.length === 1 && r[0].notifications.length === 2,
      { what: 'the aid escalation and its two notices' },
    );
    escalationId = esc.id;
    expect(esc).toMatchObject({
      level: 'interview',
      nextLevel: 'accountability',
      nextStepAt: '2020-11-16T02:00:00.000Z',
    });
    const reqs = await requests(esc.id);
    // The matrix names WY-AID, so the directory's other aid official is not told.
    expect(reqs.map((r) => [r.kind, r.recipient.officialId])).toEqual([
      ['supervision_notice', 'WY-AID'],
      ['interview_notice', 'WY-HEAD'],
    ]);
    expect(reqs[0].params).toMatchObject({
      leadDepartment: '五原县学生资助管理中心',
      itemCount: 1,
      amount: '625.00',
    });
    expect(reqs[0].attachments).toBeUndefined();
    const interview = reqs[1];
    expect(interview.params).toMatchObject({
      urgent: false,
      interviewTime: '2020-11-05 09:00',
      interviewPlace: '巴彦淖尔市教育局会议室',
    });
    expect(interview.attachments?.map((a) => a.contentType)).toEqual(['application/pdf', 'text/html']);
    const pdf = Buffer.from(interview.attachments![0].contentBase64, 'base64');
    const text = pdfText(pdf).replace(/\n/g, '');
    expect(text).toContain('约谈通知书');
    expect(text).toContain('孙强同志');
    expect(text).toContain('资助资金逾期未发放');
    expect(text).toContain('2020年11月5日 09:00');
    expect(Buffer.from(interview.attachments![1].contentBase64, 'base64').toString()).toContain(
      '<h1>约谈通知书</h1>',
    );
  });

  it('adds later breaches to the digest without new messages, and the sweeper waits ten working days', async () => {
    overdue('150821', '100.00');
    overdue('150821', '200.00');
    await waitFor(
      async () => (await escalations())[0].itemCount,
      (n) => n === 3,
      { what: 'three items' },
    );
    expect(await requests(escalationId)).toHaveLength(2);
    clock.set(new Date('2020-11-13T02:00:00Z')); // 9 working days later
    expect((await call('/api/sweeps/ladder', { method: 'POST' })).body).toEqual({
      escalations: 0,
      notices: 0,
    });
    expect(await requests(escalationId)).toHaveLength(2);
  });

  it('acknowledgement is recorded and stops nothing', async () => {
    const operator = await signToken(
      { sub: 'wy-op', role: 'county_operator', county: '150821' },
      DEV_AUTH_DEFAULTS,
    );
    const other = await signToken(
      { sub: 'dk-op', role: 'county_operator', county: '150822' },
      DEV_AUTH_DEFAULTS,
    );
    expect(
      (await call(`/api/escalations/${escalationId}/ack`, { method: 'POST', body: '{}' }, other)).status,
    ).toBe(404);
    const ack = await call(
      `/api/escalations/${escalationId}/ack`,
      {
        method: 'POST',
        body: JSON.stringify({ note: '已收悉，正在整改' }),
      },
      operator,
    );
    expect(ack.status).toBe(201);
    expect(ack.body).toMatchObject({
      status: 'open',
      level: 'interview',
      acknowledgedAt: '2020-11-13T02:00:00.000Z',
    });
    const detail = (await call(`/api/escalations/${escalationId}`)).body;
    expect(detail.acknowledgements).toEqual([
      { by: 'wy-op', role: 'county_operator', note: '已收悉，正在整改', at: '2020-11-13T02:00:00.000Z' },
    ]);
  });

  it('takes the last step when its wait is over, once, with the recommendation and its history', async () => {
    clock.set(new Date('2020-11-16T02:00:00Z'));
    const [first, second] = await Promise.all([
      call('/api/sweeps/ladder', { method: 'POST' }),
      call('/api/sweeps/ladder', { method: 'POST' }),
    ]);
    expect(first.body.notices + second.body.notices).toBe(1);
    expect((await call('/api/sweeps/ladder', { method: 'POST' })).body.notices).toBe(0);
    const reqs = await requests(escalationId);
    expect(reqs).toHaveLength(3);
    const rec = reqs[2];
    expect(rec).toMatchObject({
      kind: 'accountability_recommendation',
      recipient: { officialId: 'WY-PC' },
      channels: ['email'],
      params: { itemCount: 3, newItemCount: 2, amount: '925.00', newAmount: '300.00' },
    });
    const recommendations = (await call<Json[]>('/api/accountability-recommendations?county=150821')).body;
    expect(recommendations).toHaveLength(1);
    expect(recommendations[0]).toMatchObject({ addressedTo: '中共五原县委员会', escalationId });
    expect(recommendations[0].history.map((h: { stage: string }) => h.stage)).toEqual([
      '督办提醒',
      '约谈',
      '约谈',
    ]);
    const doc = await call(
      `/api/accountability-recommendations/${recommendations[0].id}/document?format=pdf`,
    );
    expect(doc.type).toBe('application/pdf');
    expect(pdfText(doc.body as Buffer)).toContain('追责问责建议书');
    const esc = (await escalations())[0];
    expect(esc).toMatchObject({ level: 'accountability', nextStepAt: null, status: 'open' });
  });

  it('records the interview: held, minutes with their document, then the follow-up falls due', async () => {
    const [interview] = (await call<Json[]>('/api/interviews?county=150821')).body;
    expect(interview).toMatchObject({
      status: 'noticed',
      interviewees: [{ officialId: 'WY-HEAD' }],
      interviewer: { name: '冯刚' },
    });
    const id = interview.id;
    const premature = await call(`/api/interviews/${id}/minutes`, {
      method: 'POST',
      body: JSON.stringify({ summary: 's', commitments: ['c'], followUpDueOn: '2020-11-30' }),
    });
    expect(premature.status).toBe(409);
    expect(
      (
        await call(`/api/interviews/${id}/held`, {
          method: 'POST',
          body: JSON.stringify({ heldAt: '2020-11-05T01:00:00Z', attendees: ['五原县教育局分管副局长'] }),
        })
      ).body,
    ).toMatchObject({ status: 'held' });
    // A resident ID number typed into the minutes would reach the document: refused, naming the field.
    const withId = await call(`/api/interviews/${id}/minutes`, {
      method: 'POST',
      body: JSON.stringify({
        summary: '学生150821201203154562未返校。',
        commitments: ['c'],
        followUpDueOn: '2020-11-20',
      }),
    });
    expect(withId.status).toBe(400);
    expect(JSON.stringify(withId.body)).toContain(
      'summary contains something shaped like a resident ID number',
    );
    expect(JSON.stringify(withId.body)).not.toContain('150821201203154562');
    const minutes = await call(`/api/interviews/${id}/minutes`, {
      method: 'POST',
      body: JSON.stringify({
        summary: '孙强同志汇报了整改情况，承认工作推进不力。',
        commitments: ['11月20日前补发全部逾期资助资金', '建立资助资金发放台账'],
        followUpDueOn: '2020-11-20',
      }),
    });
    // Reminded three working days before the report is due (the default policy's interview step).
    expect(minutes.body).toMatchObject({
      status: 'minutes_recorded',
      followUpDueOn: '2020-11-20',
      followUpRemindOn: '2020-11-17',
      followUpRemindedAt: null,
    });
    const doc = await call(`/api/interviews/${id}/documents/minutes?format=pdf`);
    const text = pdfText(doc.body as Buffer).replace(/\n/g, '');
    expect(text).toContain('约谈纪要');
    expect(text).toContain('建立资助资金发放台账');
    const html = await call(`/api/interviews/${id}/documents/notice?format=html`);
    expect((html.body as Buffer).toString()).toContain('约谈通知书');

    // The minutes go out as a notice of their own: to the interviewee and the responsible official.
    const sent = (await requests(escalationId)).filter((r) => r.kind === 'interview_minutes');
    expect(sent.map((r) => [r.recipient.officialId, r.channels])).toEqual([
      ['WY-HEAD', ['sms', 'email']],
      ['WY-AID', ['sms', 'email']],
    ]);
    expect(sent[0].params).toEqual({
      cityName: '巴彦淖尔市',
      countyName: '五原县',
      frontName: '学生资助',
      interviewNo: interview.number,
      interviewDate: '2020年11月5日',
      commitmentCount: 2,
      followUpDueOn: '2020年11月20日',
    });
    expect(sent[0].attachments?.map((a) => [a.contentType, a.filename])).toEqual([
      ['application/pdf', expect.stringMatching(/^约谈纪要-五原县-学生资助-\d+\.pdf$/)],
      ['text/html', expect.stringMatching(/^约谈纪要-五原县-学生资助-\d+\.html$/)],
    ]);
    const attached = pdfText(Buffer.from(sent[0].attachments![0].contentBase64, 'base64')).replace(/\n/g, '');
    expect(attached).toContain('约谈纪要');
    expect(attached).toContain('11月20日前补发全部逾期资助资金');
    expect(minutes.body.notices.map((n: Json) => [n.kind, n.officialId, n.role])).toEqual([
      ['interview_minutes', 'WY-AID', 'responsible'],
      ['interview_minutes', 'WY-HEAD', 'interviewee'],
    ]);
    // What became of them is recorded against the interview; a failed minutes notice is no breach.
    publish(
      'notification.delivered.v1',
      {
        notificationId: randomUUID(),
        requestId: sent[0].requestId,
        channel: 'email',
        officialId: 'WY-HEAD',
        deliveredAt: clock.now().toISOString(),
      },
      randomUUID(),
    );
    const failed = publish(
      'notification.failed.v1',
      {
        notificationId: randomUUID(),
        requestId: sent[1].requestId,
        channel: 'sms',
        officialId: 'WY-AID',
        attempt: 8,
        reason: 'unreachable',
        kind: 'interview_minutes',
      },
      randomUUID(),
    );
    const recorded = await waitFor(
      async () => (await call(`/api/interviews/${id}`)).body.notices as Json[],
      (n) => n.some((x) => x.deliveredAt) && n.some((x) => x.failedAt),
      { what: 'the outcomes recorded' },
    );
    expect(recorded.find((n) => n.officialId === 'WY-AID')).toMatchObject({ failedChannel: 'sms' });
    await waitFor(
      () => db.dataSource.query<unknown[]>('SELECT 1 FROM inbox WHERE event_id = $1', [failed.id]),
      (r) => r.length === 1,
      { what: 'the failure handled' },
    );
    expect(await escalations('county=150821&breachType=notice_failure')).toEqual([]);

    // The reminder goes out on its day, once, while the report is still ahead.
    const reminders = async () =>
      (await requests(escalationId)).filter((r) => r.kind === 'follow_up_reminder');
    const sweep = async () => (await call('/api/sweeps/interview-follow-ups', { method: 'POST' })).body;
    expect(await sweep()).toEqual({ reminded: 0, due: 0 });
    clock.set(new Date('2020-11-17T02:00:00Z'));
    const [a, b] = await Promise.all([sweep(), sweep()]);
    expect(a.reminded + b.reminded).toBe(1);
    expect(await sweep()).toEqual({ reminded: 0, due: 0 });
    const reminded = await reminders();
    expect(reminded.map((r) => r.recipient.officialId)).toEqual(['WY-HEAD', 'WY-AID']);
    expect(reminded[0]).toMatchObject({
      channels: ['sms', 'email'],
      params: { followUpDueOn: '2020年11月20日', workingDaysLeft: 3, interviewNo: interview.number },
    });
    expect(reminded[0].attachments).toBeUndefined();
    expect((await call(`/api/interviews/${id}`)).body).toMatchObject({
      status: 'minutes_recorded',
      followUpRemindedAt: '2020-11-17T02:00:00.000Z',
    });

    clock.set(new Date('2020-11-19T02:00:00Z'));
    expect(await sweep()).toEqual({ reminded: 0, due: 0 });
    clock.set(new Date('2020-11-20T02:00:00Z'));
    expect(await sweep()).toEqual({ reminded: 0, due: 1 });
    expect((await call(`/api/interviews/${id}`)).body.status).toBe('follow_up_due');
    expect(await reminders()).toHaveLength(2);
  });

  it('escalates an interview notice that reached nobody to the city, and settles it when delivered', async () => {
    const [notice] = (await requests(escalationId)).filter((r) => r.kind === 'interview_notice');
    // The SMS failed but the email is being tried: not a failure of the notice yet.
    const channelOnly = publish(
      'notification.failed.v1',
      {
        notificationId: randomUUID(),
        requestId: notice.requestId,
        channel: 'sms',
        officialId: 'WY-HEAD',
        attempt: 8,
        reason: 'unreachable',
        kind: 'interview_notice',
        fallbackNotificationId: randomUUID(),
      },
      randomUUID(),
    );
    await waitFor(
      () => db.dataSource.query<unknown[]>('SELECT 1 FROM inbox WHERE event_id = $1', [channelOnly.id]),
      (r) => r.length === 1,
      { what: 'the channel failure handled' },
    );
    expect(await escalations('county=150821&breachType=notice_failure')).toEqual([]);
    const failed = publish(
      'notification.failed.v1',
      {
        notificationId: randomUUID(),
        requestId: notice.requestId,
        channel: 'sms',
        officialId: 'WY-HEAD',
        attempt: 8,
        reason: 'unreachable',
      },
      randomUUID(),
    );
    const [esc] = await waitFor(
      () => escalations('county=150821&breachType=notice_failure'),
      (r) => r.length === 1 && r[0].notifications.length === 2,
      { what: 'the notice failure escalated' },
    );
    expect(
      esc.notifications.map((n: { officialId: string; fallback: boolean; scope: string }) => [
        n.officialId,
        n.fallback,
        n.scope,
      ]),
    ).toEqual([
      ['C-HEAD', false, 'city'],
      ['C-RESP', false, 'city'],
    ]);
    // The same failure again (redelivered) and the other channel's failure: still one item.
    publishEnvelope(probe.channel, messaging.namespace, failed);
    publish(
      'notification.failed.v1',
      {
        notificationId: randomUUID(),
        requestId: notice.requestId,
        channel: 'email',
        officialId: 'WY-HEAD',
        attempt: 8,
        reason: '550',
      },
      randomUUID(),
    );
    await new Promise((r) => setTimeout(r, 500));
    expect((await escalations('county=150821&breachType=notice_failure'))[0].itemCount).toBe(1);
    publish(
      'notification.delivered.v1',
      {
        notificationId: randomUUID(),
        requestId: notice.requestId,
        channel: 'email',
        officialId: 'WY-HEAD',
        deliveredAt: clock.now().toISOString(),
      },
      randomUUID(),
    );
    await waitFor(
      async () => (await escalations('county=150821&breachType=notice_failure'))[0].status,
      (s) => s === 'resolved',
      { what: 'the notice failure settled' },
    );
  });

  it('keeps a running escalation on its policy version while new ones take the new version', async () => {
    const bad = await call('/api/escalation-policies/aid', {
      method: 'POST',
      body: JSON.stringify({
        recurrenceWindowDays: 30,
        steps: [
          {
            level: 'notice',
            kind: 'interview_notice',
            targets: ['responsible'],
            channels: ['sms'],
            waitWorkingDays: 0,
          },
        ],
      }),
    });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('steps[0].kind');
    const added = await call('/api/escalation-policies/aid', {
      method: 'POST',
      body: JSON.stringify({
        recurrenceWindowDays: 30,
        steps: [
          {
            level: 'notice',
            kind: 'supervision_notice',
            targets: ['responsible'],
            channels: ['sms'],
            waitWorkingDays: 0,
          },
          {
            level: 'interview',
            kind: 'interview_notice',
            targets: ['bureau_head'],
            channels: ['sms', 'email'],
            waitWorkingDays: 3,
            urgent: true,
          },
        ],
      }),
    });
    expect(added.body).toMatchObject({ breachType: 'aid', version: 2 });
    overdue('150822');
    const [dk] = await waitFor(
      () => escalations('county=150822&front=aid'),
      (r) => r.length === 1 && r[0].notifications.length === 1,
      { what: 'the Dengkou escalation' },
    );
    expect(dk).toMatchObject({ policyVersion: 2, level: 'notice', nextLevel: 'interview' });
    // Dengkou has no aid official: the city's stands in, and says for whom.
    const [req] = await requests(dk.id);
    expect(req).toMatchObject({ recipient: { officialId: 'C-RESP' }, params: { onBehalfOf: '磴口县' } });
    expect((await escalations('county=150821&front=aid&breachType=aid'))[0].policyVersion).toBe(1);
    // Three working days later the urgent interview.
    clock.set(new Date('2020-11-25T02:00:00Z'));
    await call('/api/sweeps/ladder', { method: 'POST' });
    const [, interview] = await requests(dk.id);
    expect(interview).toMatchObject({
      kind: 'interview_notice',
      recipient: { officialId: 'DK-HEAD' },
      params: { urgent: true },
    });
  });

  it('escalates a stalled project and a reopened dropout case, and settles them when they recover', async () => {
    const projectId = randomUUID();
    const caseId = randomUUID();
    const student = 'c'.repeat(64);
    publish(
      'construction.progress.stalled.v1',
      {
        projectId,
        countyCode: '150823',
        since: '2020-10-01',
        stalledAfterDays: 30,
        detectedOn: '2020-11-25',
      },
      projectId,
      '150823',
    );
    publish(
      'dropout.case.reopened.v1',
      {
        caseId,
        studentKey: student,
        countyCode: '150823',
        schoolCode: 'S',
        previousResolution: 'returned',
        reopenedAt: clock.now().toISOString(),
        verifyBy: '2020-12-01',
      },
      caseId,
      '150823',
    );
    const opened = await waitFor(
      () => escalations('county=150823'),
      (r) => r.length === 2 && r.every((e: Json) => e.openItemCount === 1),
      { what: 'the construction and dropout escalations' },
    );
    expect(opened.map((e: Json) => e.front).sort()).toEqual(['construction', 'dropout']);
    publish(
      'construction.progress.resumed.v1',
      { projectId, countyCode: '150823', stalledSince: '2020-10-01', resumedOn: '2020-11-26' },
      projectId,
      '150823',
    );
    publish(
      'dropout.case.resolved.v1',
      {
        caseId,
        studentKey: student,
        countyCode: '150823',
        resolution: 'returned',
        resolvedAt: clock.now().toISOString(),
      },
      caseId,
      '150823',
    );
    await waitFor(
      () => escalations('county=150823'),
      (r) => r.every((e: Json) => e.status === 'resolved'),
      { what: 'both resolved' },
    );
  });

  it('shows the battle map now and week by week, with the rule behind each colour', async () => {
    const map = (await call('/api/battle-map')).body;
    expect(map.rulesVersion).toBe(1);
    const wuyuan = map.counties.find((c: { countyCode: string }) => c.countyCode === '150821');
    const aid = wuyuan.fronts.find((f: { front: string }) => f.front === 'aid');
    expect(aid).toMatchObject({
      openBreaches: 3,
      overdueItems: 3,
      level: 'accountability',
      amountUnpaid: '925.00',
      status: 'red',
      rule: { index: 0, description: '已向党委提出追责问责建议' },
    });
    expect(wuyuan.fronts.find((f: { front: string }) => f.front === 'dropout')).toMatchObject({
      status: 'green',
      openBreaches: 0,
    });
    expect(map.counties.find((c: { countyCode: string }) => c.countyCode === '150822').status).toBe('amber');
    const history = (await call<Json[]>('/api/battle-map/history?from=2020-10-26&county=150821')).body;
    expect(history.map((w) => w.week)).toEqual([
      '2020-10-26',
      '2020-11-02',
      '2020-11-09',
      '2020-11-16',
      '2020-11-23',
    ]);
    const aidIn = (week: number) =>
      history[week].counties[0].fronts.find((f: { front: string }) => f.front === 'aid');
    expect(aidIn(0)).toMatchObject({ openBreaches: 0, status: 'green' });
    expect(aidIn(1)).toMatchObject({ openBreaches: 3, level: 'interview', status: 'amber' });
    expect(aidIn(3)).toMatchObject({ level: 'accountability', status: 'red' });
  });
});
