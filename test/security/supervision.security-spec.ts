import { randomUUID } from 'node:crypto';
import type { Principal } from '@edu/auth';
import { createEnvelope } from '@edu/contracts';
import { FixedClock } from '@edu/service';
import { openProbe, publishEnvelope, waitFor } from '@edu/testing';
import type { CountyFixture } from './support/route-security.js';
import { bootService, type Reply, type RunningService } from './support/services.js';
import { describeRouteSecurity } from './support/suite.js';

const A = '150821';
const B = '150822';
const OFFICIALS = [
  'official_id,name,title,county_code,front,role,phone,email',
  'WA1,赵敏,资助中心主任,150821,aid,responsible,13900000001,',
  'WH1,孙强,局长,150821,all,bureau_head,13900000003,wyhead@example.cn',
  'DA1,钱磊,资助中心主任,150822,aid,responsible,13900000011,',
  'DH1,周密,局长,150822,all,bureau_head,13900000013,dkhead@example.cn',
  'C1,郑华,科长,150800,all,responsible,13900000009,city@example.cn',
  'C2,冯刚,市教育局局长,150800,all,bureau_head,,citytop@example.cn',
].join('\n');
const PROBLEM_HEADER =
  'ref,source,description,county_code,front,measures,found_on,deadline,lead_department,responsible_leader';
const MEMBER_HEADER = 'member_id,name,county_code,village,role,posted_from,posted_until';

const admin: Principal = { sub: 'admin', role: 'city_admin' };
const dengkou: Principal = { sub: 'op-b', role: 'county_operator', county: B };
const problem = (ref: string, county: string) => ({
  ref,
  source: 'inspection',
  description: '资助资金发放不及时',
  countyCode: county,
  front: 'aid',
  measures: '限期补发',
  foundOn: '2020-10-20',
  deadline: '2020-12-31',
  leadDepartment: '学生资助管理中心',
  responsibleLeader: '钱磊',
});

function ok(reply: Reply) {
  if (reply.status >= 300) throw new Error(`${reply.status}: ${reply.text.slice(0, 300)}`);
  return reply.body;
}

describe('supervision: every route against tokens, roles, counties and hostile input', () => {
  const clock = new FixedClock(new Date('2020-11-02T02:00:00Z'));
  let svc: RunningService;
  let fixture: CountyFixture;

  beforeAll(async () => {
    svc = await bootService('supervision', {}, { clock });
    ok(await svc.call('POST', '/api/officials/import', admin, OFFICIALS, { 'content-type': 'text/csv' }));
    // A breach in each county, as student-aid reports them: escalations and interviews follow.
    const probe = await openProbe();
    for (const county of [A, B]) {
      const entitlementId = randomUUID();
      const env = createEnvelope(
        'aid.entitlement.overdue.v1',
        {
          entitlementId,
          studentKey: 'a'.repeat(64),
          countyCode: county,
          schoolCode: `S-${county}`,
          policyCode: 'COMPULSORY_BOARDER_LIVING',
          term: '2020-autumn',
          amountDue: '625.00',
          amountPaid: '0',
          dueDate: '2020-10-31',
        },
        { producer: 'student-aid', subject: entitlementId, county },
      );
      publishEnvelope(probe.channel, svc.config.messaging.namespace, env);
    }
    const escalationsOf = async (county: string) =>
      (await svc.call('GET', `/api/escalations?county=${county}`, admin)).body as { id: string }[];
    const [escalationB] = await waitFor(
      () => escalationsOf(B),
      (r) => r.length === 1,
      { what: "county B's escalation" },
    );
    await waitFor(
      () => escalationsOf(A),
      (r) => r.length === 1,
      { what: "county A's escalation" },
    );
    // The probe's connection would keep the test process alive after the last test.
    await probe.connection.close();
    const [interviewB] = ok(await svc.call('GET', `/api/interviews?county=${B}`, admin));
    // Ten working days on, the ladder's last step: an accountability recommendation each.
    clock.set(new Date('2020-11-16T02:00:00Z'));
    ok(await svc.call('POST', '/api/sweeps/ladder', admin));
    const [recommendationB] = ok(
      await svc.call('GET', `/api/accountability-recommendations?county=${B}`, admin),
    );
    const problemB = ok(
      await svc.call('POST', '/api/rectification/problems', dengkou, problem('DK-2020-001', B)),
    );
    ok(
      await svc.call(
        'POST',
        '/api/work-teams/members/import',
        dengkou,
        [MEMBER_HEADER, 'DK-M1,王磊,150822,沙金套海村,member,2020-06-01,'].join('\n'),
        { 'content-type': 'text/csv' },
      ),
    );
    fixture = {
      countyA: A,
      countyB: B,
      paramsB: {
        'escalations:id': escalationB.id,
        'interviews:id': interviewB.id,
        'accountability-recommendations:id': recommendationB.id,
        'problems:id': problemB.id,
        'members:id': 'DK-M1',
      },
      shared: {
        document: 'notice',
        month: '2020-10',
        half: '2020-H2',
        date: '2020-12-25',
        breachType: 'aid.entitlement.overdue',
        county: A,
        front: 'aid',
      },
      queries: { 'GET /api/work-teams/attendance': 'year=2020' },
      markersB: [
        escalationB.id,
        interviewB.id,
        recommendationB.id,
        problemB.id,
        'DK-2020-001',
        'DK-M1',
        '钱磊',
        '周密',
        '13900000011',
        'dkhead@example.cn',
        '磴口',
      ],
      requestsB: {
        'PATCH /api/rectification/problems/:id': { body: { measures: '改为逐户核实' } },
        'POST /api/escalations/:id/ack': { body: { note: '已收悉' } },
        'POST /api/rectification/problems': { body: problem('DK-2020-002', B) },
        'POST /api/rectification/problems/:id/closure-rejection': { body: { reason: '佐证不全' } },
        'POST /api/rectification/problems/:id/closure-request': {
          body: { evidence: [{ reference: '磴教发〔2020〕1号' }] },
        },
        'POST /api/rectification/problems/:id/evidence': { body: { evidence: [{ reference: '回单' }] } },
        'POST /api/rectification/problems/import': [
          {
            contentType: 'text/csv',
            body: [
              PROBLEM_HEADER,
              'DK-2020-003,inspection,未按时发放,150822,aid,补发,2020-10-01,2020-12-31,资助中心,钱磊',
            ].join('\n'),
          },
          // County B's problem, by its number, claimed for county A.
          {
            contentType: 'text/csv',
            body: [
              PROBLEM_HEADER,
              'DK-2020-001,inspection,改写,150821,aid,补发,2020-10-01,2020-12-31,资助中心,赵敏',
            ].join('\n'),
          },
        ],
        'POST /api/work-teams/members/import': [
          {
            contentType: 'text/csv',
            body: [MEMBER_HEADER, 'DK-M2,刘洋,150822,补隆淖村,member,2020-06-01,'].join('\n'),
          },
          // County B's member, by id, claimed for county A.
          {
            contentType: 'text/csv',
            body: [MEMBER_HEADER, 'DK-M1,王磊,150821,联丰村,member,2020-06-01,'].join('\n'),
          },
        ],
        'PUT /api/work-teams/members/:id/attendance/:month': { body: { daysInVillage: 22 } },
        'PUT /api/work-teams/members/:id/reports/:half': { body: { submittedOn: '2020-11-10' } },
      },
      exceptions: {
        'POST /api/rectification/problems/import': {
          why: 'an import refuses each row of another county, and each problem of another county',
          check: (reply) => {
            expect(reply.status).toBeLessThan(300);
            expect(reply.body).toMatchObject({ received: 1, created: 0, updated: 0 });
          },
        },
        'POST /api/work-teams/members/import': {
          why: 'an import refuses each row of another county, and each member of another county',
          check: (reply) => {
            expect(reply.status).toBeLessThan(300);
            expect(reply.body).toMatchObject({ received: 1, upserted: 0 });
          },
        },
      },
      cityWide: {
        'GET /api/jurisdictions': 'the counties of the city, by name',
        'GET /api/calendar/days': 'the working-day calendar',
        'GET /api/calendar/working-days': 'the working-day calendar',
        'GET /api/escalation-policies': 'the ladder, the same for every county',
        'GET /api/battle-map/rules': 'the colour rules, the same for every county',
        'GET /api/work-teams/rules': 'the attendance rules, the same for every county',
      },
    };
  });

  afterAll(() => svc?.close());

  describeRouteSecurity(() => ({ svc, fixture, secrets: [] }));
});
