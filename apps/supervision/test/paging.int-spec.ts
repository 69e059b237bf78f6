import { randomUUID } from 'node:crypto';
import { createEnvelope, type EventKey, type EventMap } from '@edu/contracts';
import { DEV_AUTH_DEFAULTS, signToken } from '@edu/auth';
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

/*
 * The lists the console pages through: escalations, interviews, accountability
 * recommendations and officials come a page at a time (limit, offset) with the total in
 * X-Total-Count, in a stable order, and a county operator's pages and total are their county's.
 */

const A = '150821';
const B = '150822';
const OFFICIALS = [
  'official_id,name,title,county_code,front,role,phone,email',
  'WY-AID,赵敏,五原县学生资助中心主任,150821,all,responsible,13900000001,aid@example.cn',
  'WY-HEAD,孙强,五原县教育局局长,150821,all,bureau_head,13900000003,head@example.cn',
  'WY-PC,李红,五原县委组织部副部长,150821,all,party_committee,,pc@example.cn',
  'DK-RESP,钱磊,磴口县教育局副局长,150822,all,responsible,13900000011,',
  'DK-HEAD,周丽,磴口县教育局局长,150822,all,bureau_head,13900000004,dk@example.cn',
  'DK-PC,吴刚,磴口县委组织部副部长,150822,all,party_committee,,dkpc@example.cn',
].join('\n');

interface Row {
  id?: string;
  officialId?: string;
  countyCode: string;
}

describe('supervision: lists a page at a time with the total', () => {
  const messaging = testMessagingConfig('supervision');
  // Monday 2 November 2020, 10:00 in Beijing: every breach below arrives at the same instant.
  const clock = new FixedClock(new Date('2020-11-02T02:00:00Z'));
  let db: TestDatabase;
  let svc: TestService;
  let probe: Awaited<ReturnType<typeof openProbe>>;
  let admin: string;
  let dengkou: string;

  const publish = <K extends EventKey>(key: K, data: EventMap[K], subject: string, county: string) =>
    publishEnvelope(
      probe.channel,
      messaging.namespace,
      createEnvelope(key, data, { producer: 'test', subject, county }),
    );

  const list = async (path: string, token = admin) => {
    const res = await fetch(`${svc.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
    const body = (await res.json()) as Row[];
    return { status: res.status, body, total: res.headers.get('x-total-count') };
  };
  const key = (r: Row) => r.id ?? r.officialId;

  /** Page 1 and page 2 of two each: different rows, together the whole list, the same total. */
  const expectPaged = async (path: string, county: string, total: number) => {
    const sep = path.includes('?') ? '&' : '?';
    const all = await list(`${path}${sep}county=${county}`);
    expect(all.body).toHaveLength(total);
    expect(all.total).toBe(String(total));
    const first = await list(`${path}${sep}county=${county}&limit=2`);
    const second = await list(`${path}${sep}county=${county}&limit=2&offset=2`);
    expect(first.body).toHaveLength(2);
    expect(second.body).toHaveLength(total - 2);
    expect([first.total, second.total]).toEqual([String(total), String(total)]);
    expect(first.body.map(key).filter((k) => second.body.map(key).includes(k))).toEqual([]);
    expect([...first.body, ...second.body].map(key)).toEqual(all.body.map(key));
    const past = await list(`${path}${sep}county=${county}&limit=2&offset=${total + 5}`);
    expect(past.body).toEqual([]);
    expect(past.total).toBe(String(total));
  };

  beforeAll(async () => {
    db = await createTestDatabase('supervision_paging', [], migrations);
    svc = await startOnSchema(db, messaging, clock);
    probe = await openProbe();
    admin = await signToken({ sub: 'admin', role: 'city_admin' }, DEV_AUTH_DEFAULTS);
    dengkou = await signToken({ sub: 'dk-op', role: 'county_operator', county: B }, DEV_AUTH_DEFAULTS);
    const imported = await fetch(`${svc.url}/api/officials/import`, {
      method: 'POST',
      body: OFFICIALS,
      headers: { authorization: `Bearer ${admin}`, 'content-type': 'text/csv' },
    });
    expect(await imported.json()).toMatchObject({ upserted: 6, rejected: [] });

    // Three fronts' breaches in Wuyuan and one in Dengkou: three escalations there, one here.
    for (const county of [A, B]) {
      const entitlementId = randomUUID();
      publish('aid.entitlement.overdue.v1', unpaidEntitlement(entitlementId, county), entitlementId, county);
    }
    const projectId = randomUUID();
    publish(
      'construction.progress.stalled.v1',
      { projectId, countyCode: A, since: '2020-10-01', stalledAfterDays: 30, detectedOn: '2020-11-02' },
      projectId,
      A,
    );
    const caseId = randomUUID();
    publish(
      'dropout.case.reopened.v1',
      {
        caseId,
        studentKey: 'c'.repeat(64),
        countyCode: A,
        schoolCode: 'S',
        previousResolution: 'returned',
        reopenedAt: clock.now().toISOString(),
        verifyBy: '2020-12-01',
      },
      caseId,
      A,
    );
    await waitFor(
      () => list(`/api/interviews`),
      (r) => r.body.length === 4,
      { what: 'four escalations, each with its interview' },
    );
    // Ten working days on, the ladder's last step: a recommendation for each escalation.
    clock.set(new Date('2020-11-16T02:00:00Z'));
    const swept = await fetch(`${svc.url}/api/sweeps/ladder`, {
      method: 'POST',
      headers: { authorization: `Bearer ${admin}` },
    });
    expect(swept.status).toBe(200);
  });

  afterAll(async () => {
    await svc?.close();
    await probe?.connection.close();
    await db?.drop();
    await deleteTopology(messaging.namespace, ['supervision']);
  });

  it('pages escalations with the total, in a stable order', async () => {
    await expectPaged('/api/escalations', A, 3);
    const everywhere = await list('/api/escalations?limit=3&offset=3');
    expect(everywhere.total).toBe('4');
    expect(everywhere.body).toHaveLength(1);
  });

  it('pages interviews and accountability recommendations with the total', async () => {
    await expectPaged('/api/interviews', A, 3);
    await expectPaged('/api/accountability-recommendations', A, 3);
  });

  it('pages officials with the total', async () => {
    await expectPaged('/api/officials', A, 3);
    const all = await list('/api/officials?limit=4&offset=4');
    expect(all.total).toBe('6');
    expect(all.body.map((o) => o.officialId)).toEqual(['DK-PC', 'DK-RESP']);
  });

  it("gives a county operator their county's pages and total only", async () => {
    for (const path of ['/api/escalations', '/api/interviews', '/api/accountability-recommendations']) {
      const own = await list(`${path}?limit=1`, dengkou);
      expect(own.total).toBe('1');
      expect(own.body.map((r) => r.countyCode)).toEqual([B]);
      expect((await list(`${path}?limit=1&offset=1`, dengkou)).body).toEqual([]);
      expect((await list(`${path}?county=${A}&limit=1`, dengkou)).status).toBe(403);
    }
    const officials = await list('/api/officials?limit=2', dengkou);
    expect(officials.total).toBe('3');
    expect(officials.body.map((o) => o.countyCode)).toEqual([B, B]);
  });

  it('refuses a page size over the cap, a negative offset and a bad county', async () => {
    for (const path of [
      '/api/escalations',
      '/api/interviews',
      '/api/accountability-recommendations',
      '/api/officials',
    ]) {
      expect((await list(`${path}?limit=100000`)).status).toBe(400);
      expect((await list(`${path}?offset=-1`)).status).toBe(400);
      expect((await list(`${path}?limit=0`)).status).toBe(400);
      expect((await list(`${path}?county=15082x`)).status).toBe(400);
    }
  });
});
