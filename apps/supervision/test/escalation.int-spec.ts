import { randomUUID } from 'node:crypto';
import { createEnvelope, type EventKey, type EventMap } from '@edu/contracts';
import { DEV_AUTH_DEFAULTS, signToken } from '@edu/auth';
import { FixedClock } from '@edu/service';
import {
  createTestDatabase,
  deleteTopology,
  openProbe,
  startTestService,
  testMessagingConfig,
  publishEnvelope,
  waitFor,
  type TestDatabase,
  type TestService,
} from '@edu/testing';
import { AppModule } from '../src/app.module.js';
import { migrations } from '../src/migrations/index.js';
import { readSupervisionConfig } from '../src/supervision.config.js';
import { unpaidEntitlement } from './supervision-fixture.js';

const OFFICIALS = [
  'official_id,name,title,county_code,front,role,phone,email',
  'A1,赵敏,资助中心主任,150821,aid,responsible,13900000001,',
  'H1,孙强,局长,150821,all,bureau_head,13900000003,head@example.cn',
  'C1,郑华,市教育局发展规划科科长,150800,all,responsible,13900000009,city@example.cn',
  'C2,冯刚,市教育局局长,150800,all,bureau_head,,citytop@example.cn',
].join('\n');

describe('supervision: breaches to escalations and notice requests', () => {
  const messaging = testMessagingConfig('supervision');
  const clock = new FixedClock(new Date('2020-11-02T02:00:00Z'));
  let db: TestDatabase;
  let svc: TestService;
  let probe: Awaited<ReturnType<typeof openProbe>>;
  let token: string;

  const publish = <K extends EventKey>(key: K, data: EventMap[K], subject: string) => {
    const env = createEnvelope(key, data, { producer: 'test', subject, county: '150821' });
    publishEnvelope(probe.channel, messaging.namespace, env);
    return env;
  };

  const overdue = (entitlementId: string, countyCode = '150821', amountDue = '625.00') =>
    unpaidEntitlement(entitlementId, countyCode, amountDue);

  const requests = () =>
    db.dataSource.query<{ envelope: { data: EventMap['notification.requested.v1'] } }[]>(
      `SELECT envelope FROM outbox WHERE routing_key = 'notification.requested.v1' ORDER BY seq`,
    );

  const escalations = async (county = '150821') => {
    const res = await fetch(`${svc.url}/api/escalations?county=${county}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    return (await res.json()) as {
      id: string;
      front: string;
      status: string;
      level: string;
      itemCount: number;
      amount: string;
      notifications: { officialId: string; fallback: boolean }[];
    }[];
  };

  beforeAll(async () => {
    db = await createTestDatabase('supervision', [], migrations);
    const config = {
      ...readSupervisionConfig({}),
      migrateOnBoot: false,
      database: { url: db.url, schema: db.schema, poolSize: 5 },
      messaging,
    };
    svc = await startTestService(AppModule.register(config, { clock }), config);
    probe = await openProbe();
    token = await signToken({ sub: 'admin', role: 'city_admin' }, DEV_AUTH_DEFAULTS);
    const res = await fetch(`${svc.url}/api/officials/import`, {
      method: 'POST',
      body: OFFICIALS,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' },
    });
    expect(await res.json()).toEqual({ received: 4, upserted: 4, rejected: [] });
  });

  afterAll(async () => {
    await svc?.close();
    await probe?.connection.close();
    await db?.drop();
    await deleteTopology(messaging.namespace, ['supervision']);
  });

  it('opens one escalation, asks for 督办 to the responsible official and 约谈 to the bureau head', async () => {
    const first = randomUUID();
    publish('aid.entitlement.overdue.v1', overdue(first), first);
    const [esc] = await waitFor(
      () => escalations(),
      (r) => r.length === 1 && r[0].notifications.length === 2,
      {
        what: 'escalation with two notices',
      },
    );
    expect(esc).toMatchObject({
      front: 'aid',
      status: 'open',
      level: 'interview',
      itemCount: 1,
      amount: '625.00',
    });
    const reqs = (await requests()).map((r) => r.envelope.data);
    expect(reqs.map((r) => [r.kind, r.recipient.officialId])).toEqual([
      ['supervision_notice', 'A1'],
      ['interview_notice', 'H1'],
    ]);
    expect(reqs[1]).toMatchObject({
      escalationId: esc.id,
      countyCode: '150821',
      channels: ['sms', 'email'],
      recipient: { phone: '13900000003', email: 'head@example.cn' },
      params: { countyName: '五原县', cityName: '巴彦淖尔市', frontName: '学生资助', itemCount: 1 },
    });
  });

  it('adds later breaches to the same escalation without new messages, and counts an item once', async () => {
    const second = randomUUID();
    const env = publish('aid.entitlement.overdue.v1', overdue(second, '150821', '100.00'), second);
    // The same event again (redelivery) and a short-payment report of the same entitlement.
    publishEnvelope(probe.channel, messaging.namespace, env);
    publish(
      'aid.payment.short.v1',
      {
        entitlementId: second,
        studentKey: 'a'.repeat(64),
        countyCode: '150821',
        policyCode: 'P1',
        term: '2020-autumn',
        amountDue: '100.00',
        amountPaid: '50.00',
        shortfall: '50.00',
      },
      second,
    );
    const [esc] = await waitFor(
      () => escalations(),
      (r) => r[0]?.itemCount === 2,
      { what: 'two items' },
    );
    await new Promise((r) => setTimeout(r, 500));
    expect((await escalations())[0]).toMatchObject({ itemCount: 2, amount: '725.00' });
    expect(esc.notifications).toHaveLength(2);
    expect(await requests()).toHaveLength(2);
  });

  it('tells the city when the county has nobody responsible', async () => {
    const id = randomUUID();
    publish(
      'construction.milestone.overdue.v1',
      {
        projectId: randomUUID(),
        milestoneId: id,
        milestone: 'acceptance',
        countyCode: '150822',
        plannedDate: '2020-09-30',
      },
      id,
    );
    const [esc] = await waitFor(
      () => escalations('150822'),
      (r) => r.length === 1 && r[0].notifications.length === 2,
      {
        what: 'construction escalation in 150822',
      },
    );
    expect(esc.notifications.map((n) => [n.officialId, n.fallback])).toEqual([
      ['C1', true],
      ['C2', true],
    ]);
  });

  it('resolves when every item is settled, even a settlement handled before its breach', async () => {
    const [esc] = await escalations();
    const ids = (
      await db.dataSource.query<{ item_key: string }[]>(
        'SELECT item_key FROM escalation_item WHERE escalation_id = $1',
        [esc.id],
      )
    ).map((r) => r.item_key.split(':')[1]);
    for (const entitlementId of ids) {
      publish(
        'aid.entitlement.settled.v1',
        {
          entitlementId,
          studentKey: 'a'.repeat(64),
          countyCode: '150821',
          policyCode: 'P1',
          term: '2020-autumn',
          amountPaid: '1.00',
          settledAt: clock.now().toISOString(),
        },
        entitlementId,
      );
    }
    await waitFor(
      async () => (await escalations()).find((e) => e.id === esc.id)?.status,
      (s) => s === 'resolved',
      {
        what: 'resolved escalation',
      },
    );
    const resolved = await db.dataSource.query(
      `SELECT 1 FROM outbox WHERE routing_key = 'supervision.escalation.resolved.v1'`,
    );
    expect(resolved).toHaveLength(1);

    // A settlement that overtook its own breach: the late breach opens nothing.
    const late = randomUUID();
    publish(
      'aid.entitlement.settled.v1',
      {
        entitlementId: late,
        studentKey: 'a'.repeat(64),
        countyCode: '150821',
        policyCode: 'P1',
        term: '2020-autumn',
        amountPaid: '1.00',
        settledAt: clock.now().toISOString(),
      },
      late,
    );
    await waitFor(
      () =>
        db.dataSource.query<unknown[]>('SELECT 1 FROM item_settlement WHERE item_key = $1', [
          `aid.entitlement:${late}`,
        ]),
      (r) => r.length === 1,
    );
    const breach = createEnvelope('aid.entitlement.overdue.v1', overdue(late), {
      producer: 'test',
      subject: late,
      county: '150821',
      occurredAt: new Date(Date.now() - 60000),
    });
    publishEnvelope(probe.channel, messaging.namespace, breach);
    await waitFor(
      () => db.dataSource.query<unknown[]>(`SELECT 1 FROM inbox WHERE event_id = $1`, [breach.id]),
      (r) => r.length === 1,
      { what: 'late breach handled' },
    );
    expect((await escalations()).filter((e) => e.status === 'open' && e.front === 'aid')).toEqual([]);
  });

  it('reports a CSV with missing columns as a 400 naming them', async () => {
    const res = await fetch(`${svc.url}/api/officials/import`, {
      method: 'POST',
      body: 'official_id,name\nX,Y',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' },
    });
    expect(res.status).toBe(400);
    expect(JSON.stringify(await res.json())).toMatch(
      /missing columns title, county_code, front, role, phone, email/,
    );
  });

  it('imports the responsibility matrix by CSV: missing columns refused, bad rows named by line', async () => {
    const post = (body: string) =>
      fetch(`${svc.url}/api/responsibility-matrix/import`, {
        method: 'POST',
        body,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' },
      });
    const missing = await post('County_Code,lead_department\n150821,教育局');
    expect(missing.status).toBe(400);
    expect(JSON.stringify(await missing.json())).toMatch(/line 1: missing columns front/);

    const res = await post(
      ['County_Code,Front,responsible_official_id', '150821,aid,A1', '999999,aid,', '150821,nowhere,'].join(
        '\n',
      ),
    );
    expect(res.status).toBe(201);
    expect(await res.json()).toEqual({
      received: 3,
      upserted: 1,
      rejected: [
        { line: 3, field: 'county_code', reason: '999999 is not a jurisdiction of this city' },
        { line: 4, field: 'front', reason: expect.stringMatching(/^must be one of /) },
      ],
    });
  });
});
