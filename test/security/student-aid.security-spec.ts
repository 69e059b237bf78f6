import type { Principal } from '@edu/auth';
import { studentKeyOf } from '@edu/contracts';
import { FixedClock } from '@edu/service';
import type { CountyFixture } from './support/route-security.js';
import { bootService, type Reply, type RunningService } from './support/services.js';
import { describeRouteSecurity, idNumber } from './support/suite.js';

const A = '150821';
const B = '150822';
const TERM = '2020-autumn';
const CHILD_A = { id: idNumber(A, '20070501', 11), name: '甲资助' };
const CHILD_B = { id: idNumber(B, '20070601', 21), name: '乙资助' };
const ROSTER_HEADER =
  'id_number,name,county_code,school_code,stage,grade,boarder,bilingual,registered_poor,low_income,extreme_poverty,orphan,disability_level,special_education';
const rosterLine = (c: { id: string; name: string }, county: string) =>
  `${c.id},${c.name},${county},S-${county},junior,8,1,0,1,0,0,0,0,0`;
const PAYMENT_HEADER = 'payment_ref,id_number,name,policy_code,term,amount,paid_on';

const admin: Principal = { sub: 'admin', role: 'city_admin' };
const dengkou: Principal = { sub: 'op-b', role: 'county_operator', county: B };

function ok(reply: Reply) {
  if (reply.status >= 300) throw new Error(`${reply.status}: ${reply.text.slice(0, 300)}`);
  return reply.body;
}

describe('student-aid: every route against tokens, roles, counties and hostile input', () => {
  let svc: RunningService;
  let fixture: CountyFixture;

  beforeAll(async () => {
    svc = await bootService('student-aid', {}, { clock: new FixedClock(new Date('2020-09-15T02:00:00Z')) });
    const csv = { 'content-type': 'text/csv' };
    ok(
      await svc.call(
        'POST',
        '/api/roster/import',
        admin,
        [ROSTER_HEADER, rosterLine(CHILD_A, A)].join('\n'),
        csv,
      ),
    );
    const importB = ok(
      await svc.call(
        'POST',
        '/api/roster/import',
        dengkou,
        [ROSTER_HEADER, rosterLine(CHILD_B, B)].join('\n'),
        csv,
      ),
    );
    const runB = ok(await svc.call('POST', `/api/terms/${TERM}/entitlements`, dengkou, { countyCode: B }));
    const entitlementB = ok(
      await svc.call('POST', '/api/entitlements', admin, {
        studentIdNumber: CHILD_B.id,
        countyCode: B,
        schoolCode: `S-${B}`,
        policyCode: 'COMPULSORY_BOARDER_LIVING',
        term: TERM,
        amountDue: '625.00',
        dueDate: '2020-10-31',
      }),
    );
    const keyB = studentKeyOf(CHILD_B.id, svc.config.studentKeySecret);
    fixture = {
      countyA: A,
      countyB: B,
      paramsB: {
        'entitlement-runs:id': runB.id,
        'entitlements:id': entitlementB.id,
        'imports:id': importB.id,
        key: keyB,
      },
      shared: { term: TERM, code: 'COMPULSORY_BOARDER_LIVING' },
      queries: {
        'GET /api/reports/timeliness': `term=${TERM}`,
        'GET /api/students/:key/eligibility': `term=${TERM}`,
      },
      markersB: [runB.id, entitlementB.id, importB.id, keyB, CHILD_B.name, `S-${B}`],
      requestsB: {
        'POST /api/entitlements': {
          body: {
            studentIdNumber: CHILD_B.id,
            countyCode: B,
            schoolCode: `S-${B}`,
            policyCode: 'COMPULSORY_NONBOARDER_LIVING',
            term: TERM,
            amountDue: '300.00',
            dueDate: '2020-10-31',
          },
        },
        'POST /api/payments': {
          body: {
            studentIdNumber: CHILD_B.id,
            policyCode: 'COMPULSORY_BOARDER_LIVING',
            term: TERM,
            amount: '625.00',
            paidOn: '2020-09-14',
          },
        },
        'POST /api/payments/import': {
          contentType: 'text/csv',
          body: [
            PAYMENT_HEADER,
            `PAY-B-1,${CHILD_B.id},${CHILD_B.name},COMPULSORY_BOARDER_LIVING,${TERM},625.00,2020-09-14`,
          ].join('\n'),
        },
        'POST /api/roster/import': [
          {
            contentType: 'text/csv',
            body: [ROSTER_HEADER, rosterLine({ id: idNumber(B, '20070701', 31), name: '丙资助' }, B)].join(
              '\n',
            ),
          },
          // County B's student, claimed for county A.
          { contentType: 'text/csv', body: [ROSTER_HEADER, rosterLine(CHILD_B, A)].join('\n') },
        ],
        'POST /api/terms/:term/entitlements': { body: { countyCode: B } },
        'POST /api/terms/:term/reconcile': { body: { county: B } },
      },
      exceptions: {
        'POST /api/payments/import': {
          why: "a payment file is the bank's: each line of another county's student is refused",
          check: (reply) => {
            expect(reply.status).toBe(201);
            expect(reply.body).toMatchObject({ status: 'completed', rowsLoaded: 0, inserted: 0, updated: 0 });
            expect(reply.body.rowsRejected).toBe(1);
          },
        },
        'POST /api/roster/import': {
          why: 'an import refuses each row of another county',
          check: (reply) => {
            expect(reply.status).toBe(201);
            expect(reply.body).toMatchObject({
              status: 'completed',
              rowsLoaded: 0,
              rowsRejected: 1,
              inserted: 0,
            });
          },
        },
      },
      cityWide: {
        'GET /api/policies': 'the aid catalogue, the same for every county',
        'GET /api/policies/:code': 'the aid catalogue, the same for every county',
      },
      maskedIds: ['GET /api/students/:key'],
    };
  });

  afterAll(() => svc?.close());

  describeRouteSecurity(() => ({
    svc,
    fixture,
    secrets: [CHILD_A.id, CHILD_B.id, CHILD_A.name, CHILD_B.name],
  }));
});
