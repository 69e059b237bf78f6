import { FixedClock } from '@edu/service';
import type { Principal } from '@edu/auth';
import type { CountyFixture } from './support/route-security.js';
import { bootService, type Reply, type RunningService } from './support/services.js';
import { describeRouteSecurity, idNumber } from './support/suite.js';

const A = '150821'; // Wuyuan: the operator's county
const B = '150822'; // Dengkou: someone else's
const CHILD_A = { id: idNumber(A, '20110304', 11), name: '甲安全' };
const CHILD_B = { id: idNumber(B, '20110101', 21), name: '乙保密' };
const CHILD_B2 = { id: idNumber(B, '20120202', 22), name: '丙隐私' };

const POVERTY_HEADER =
  'household_id,id_number,name,birth_date,county_code,township,village,poverty_status,orphan,disability_level,relocation_site_code';
const STUDENT_HEADER =
  'id_number,name,birth_date,county_code,school_code,school_name,stage,grade,enrolment_status,disability_level';
const birth = (id: string) => `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`;
const member = (household: string, c: { id: string; name: string }, county: string, disability = 'none') =>
  `${household},${c.id},${c.name},${birth(c.id)},${county},隆兴昌镇,新丰村,registered_poor,否,${disability},`;
const pupil = (c: { id: string; name: string }, county: string, status: string) =>
  `${c.id},${c.name},${birth(c.id)},${county},S-${county},一小,primary,3,${status},none`;

const admin: Principal = { sub: 'admin', role: 'city_admin' };
const dengkou: Principal = { sub: 'op-b', role: 'county_operator', county: B };

function ok(reply: Reply, status = [200, 201]) {
  if (!status.includes(reply.status)) throw new Error(`${reply.status}: ${reply.text.slice(0, 300)}`);
  return reply.body;
}

/**
 * An import by the county-A operator of a file holding county B's rows, or claiming B's
 * children for A: every row refused, with why, and nothing of B's stored or changed.
 */
function refusesEveryRow(reply: Reply) {
  expect(reply.status).toBe(201);
  expect(reply.body).toMatchObject({ status: 'completed', rowsLoaded: 0, inserted: 0, updated: 0 });
  expect(reply.body.rowsRejected).toBeGreaterThan(0);
  expect(reply.body.rejected.map((r: { reason: string }) => r.reason)).toEqual(
    expect.arrayContaining([
      expect.stringMatching(/is outside your jurisdiction|is on another county's registry/),
    ]),
  );
}

describe('dropout-control: every route against tokens, roles, counties and hostile input', () => {
  let svc: RunningService;
  let fixture: CountyFixture;

  beforeAll(async () => {
    svc = await bootService(
      'dropout-control',
      {},
      { clock: new FixedClock(new Date('2020-09-10T02:00:00Z')) },
    );
    // County B's data, entered the way county B and the city enter it.
    ok(
      await svc.call(
        'POST',
        '/api/registry/poverty/import',
        admin,
        [POVERTY_HEADER, member('HA', CHILD_A, A)].join('\n'),
        {
          'content-type': 'text/csv',
        },
      ),
    );
    const importB = ok(
      await svc.call(
        'POST',
        '/api/registry/poverty/import',
        dengkou,
        [POVERTY_HEADER, member('HB', CHILD_B, B, 'severe'), member('HB', CHILD_B2, B)].join('\n'),
        { 'content-type': 'text/csv' },
      ),
    );
    ok(
      await svc.call(
        'POST',
        '/api/registry/students/import',
        dengkou,
        [STUDENT_HEADER, pupil(CHILD_B2, B, 'enrolled')].join('\n'),
        {
          'content-type': 'text/csv',
        },
      ),
    );
    const runB = ok(await svc.call('POST', '/api/crosscheck', dengkou, {}));
    const caseB = ok(
      await svc.call('POST', '/api/cases', dengkou, {
        studentIdNumber: CHILD_B.id,
        name: CHILD_B.name,
        countyCode: B,
        schoolCode: 'DK-01',
        registeredPoor: true,
        householdId: 'HB',
        disabilityLevel: 'severe',
      }),
    );
    const planB = ok(
      await svc.call('POST', `/api/cases/${caseB.id}/home-teaching`, dengkou, {
        schoolCode: 'DK-SPECIAL',
        teachers: ['李老师'],
        visitsPerMonth: 4,
        startsOn: '2020-09-10',
      }),
    );
    const caseB2 = ok(
      await svc.call('POST', '/api/cases', admin, {
        studentIdNumber: CHILD_B2.id,
        name: CHILD_B2.name,
        countyCode: B,
        schoolCode: 'DK-01',
        registeredPoor: true,
        householdId: 'HB',
      }),
    );
    fixture = {
      countyA: A,
      countyB: B,
      paramsB: {
        'cases:id': caseB.id,
        'crosscheck:id': runB.id,
        'imports:id': importB.id,
        householdId: 'HB',
        planId: planB.id,
      },
      markersB: [
        caseB.id,
        caseB2.id,
        planB.id,
        runB.id,
        importB.id,
        CHILD_B.name,
        CHILD_B2.name,
        'DK-01',
        '"HB"',
      ],
      requestsB: {
        'POST /api/cases': {
          body: {
            studentIdNumber: idNumber(B, '20100505', 31),
            name: '丁外县',
            countyCode: B,
            schoolCode: 'DK-01',
            registeredPoor: true,
          },
        },
        'POST /api/cases/:id/assess': { body: { disabilityLevel: 'mild' } },
        'POST /api/cases/:id/attempts': {
          body: {
            attemptedOn: '2020-09-09',
            persuaders: [{ name: '王老师', role: 'school' }],
            method: 'home_visit',
            outcome: 'undecided',
          },
        },
        'POST /api/cases/:id/close': { body: { evidence: 'enrolment record 2020-001' } },
        'POST /api/cases/:id/home-teaching': {
          body: { schoolCode: 'DK-SPECIAL', teachers: ['赵老师'], visitsPerMonth: 2, startsOn: '2020-09-10' },
        },
        'POST /api/cases/:id/plan': {
          body: { persuaders: { school: '王老师', township: '李干部', village: '张书记' } },
        },
        'POST /api/cases/:id/reopen': { body: { finding: 'dropped' } },
        'POST /api/cases/:id/resolve': { body: { resolution: 'home_teaching' } },
        'POST /api/cases/:id/verify': { body: { reason: 'disability' } },
        'POST /api/crosscheck': { body: {} },
        'POST /api/home-teaching/plans/:planId/visits': {
          body: { visitedOn: '2020-09-09', teacher: '李老师', hours: 2, content: '识字' },
        },
        'POST /api/registry/poverty/import': [
          {
            contentType: 'text/csv',
            body: [
              POVERTY_HEADER,
              member('HB2', { id: idNumber(B, '20100606', 41), name: '戊外县' }, B),
            ].join('\n'),
          },
          // County B's child and household, claimed for county A.
          { contentType: 'text/csv', body: [POVERTY_HEADER, member('HB', CHILD_B, A)].join('\n') },
        ],
        'POST /api/registry/students/import': [
          { contentType: 'text/csv', body: [STUDENT_HEADER, pupil(CHILD_B, B, 'dropped')].join('\n') },
          // County B's pupil, claimed for county A.
          { contentType: 'text/csv', body: [STUDENT_HEADER, pupil(CHILD_B2, A, 'enrolled')].join('\n') },
        ],
        'PUT /api/households/:householdId/plan': { body: { measures: '入户劝返', responsible: '张书记' } },
      },
      exceptions: {
        'POST /api/crosscheck': {
          why: "a county operator's cross-check covers their own county: it names no other",
          mayChange: ['crosscheck_run', 'crosscheck_county', 'crosscheck_child'],
          check: (reply) => {
            expect(reply.status).toBe(201);
            expect(reply.text).not.toContain(B);
          },
        },
        'POST /api/registry/poverty/import': {
          why: 'an import refuses each row of another county; the cross-check after it covers the own county',
          mayChange: ['crosscheck_run', 'crosscheck_county', 'crosscheck_child'],
          check: refusesEveryRow,
        },
        'POST /api/registry/students/import': {
          why: 'an import refuses each row of another county; the cross-check after it covers the own county',
          mayChange: ['crosscheck_run', 'crosscheck_county', 'crosscheck_child'],
          check: refusesEveryRow,
        },
      },
      cityWide: {
        'GET /api/crosscheck-policies': 'the school-age rules, the same for every county',
      },
      maskedIds: [
        'GET /api/audit',
        'GET /api/cases',
        'GET /api/cases/:id',
        'GET /api/cases/export',
        'GET /api/crosscheck/:id/children',
        'GET /api/households/:householdId',
      ],
    };
  });

  afterAll(() => svc?.close());

  describeRouteSecurity(() => ({
    svc,
    fixture,
    secrets: [CHILD_A.id, CHILD_B.id, CHILD_B2.id, CHILD_A.name, CHILD_B.name, CHILD_B2.name],
  }));
});
