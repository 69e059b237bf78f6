import type { Principal } from '@edu/auth';
import { FixedClock } from '@edu/service';
import type { CountyFixture } from './support/route-security.js';
import { bootService, type Reply, type RunningService } from './support/services.js';
import { describeRouteSecurity } from './support/suite.js';

const A = '150821';
const B = '150825';
const MILESTONES = ['approval', 'tender', 'ground_breaking', 'structure_complete', 'acceptance', 'in_use'];
const plan = (year: number) =>
  MILESTONES.map((kind, i) => ({ kind, plannedDate: `${year}-${String(3 + i).padStart(2, '0')}-15` }));
const HEADER = ['code', 'name', 'kind', 'county_code', ...MILESTONES.map((m) => `${m}_planned`)].join(',');
const row = (code: string, county: string) =>
  [
    code,
    '安置点学校',
    'relocation_site_school',
    county,
    ...MILESTONES.map((_, i) => `2021-0${3 + i}-15`),
  ].join(',');

const admin: Principal = { sub: 'admin', role: 'city_admin' };
const urad: Principal = { sub: 'op-b', role: 'county_operator', county: B };

function ok(reply: Reply) {
  if (reply.status >= 300) throw new Error(`${reply.status}: ${reply.text.slice(0, 300)}`);
  return reply.body;
}

describe('school-construction: every route against tokens, roles, counties and hostile input', () => {
  let svc: RunningService;
  let fixture: CountyFixture;

  beforeAll(async () => {
    svc = await bootService(
      'school-construction',
      {},
      { clock: new FixedClock(new Date('2020-06-10T02:00:00Z')) },
    );
    ok(
      await svc.call('POST', '/api/projects', admin, {
        code: 'A-2020-1',
        name: '五原安置点学校',
        kind: 'relocation_site_school',
        countyCode: A,
        siteCode: 'SITE-A',
        milestones: plan(2020),
      }),
    );
    const projectB = ok(
      await svc.call('POST', '/api/projects', urad, {
        code: 'B-2020-1',
        name: '乌拉特后旗安置点学校',
        kind: 'relocation_site_school',
        countyCode: B,
        siteCode: 'SITE-B',
        capacitySeats: 300,
        milestones: plan(2020),
      }),
    );
    const importB = ok(
      await svc.call('POST', '/api/projects/import', urad, [HEADER, row('B-2020-2', B)].join('\n'), {
        'content-type': 'text/csv',
      }),
    );
    const reportB = ok(
      await svc.call('POST', `/api/projects/${projectB.id}/progress-reports`, urad, {
        reportedOn: '2020-06-09',
        percentComplete: 10,
        narrative: '场地平整完毕',
      }),
    );
    fixture = {
      countyA: A,
      countyB: B,
      paramsB: { 'projects:id': projectB.id, siteCode: 'SITE-B', 'imports:id': importB.id },
      shared: { kind: 'tender' },
      markersB: [
        projectB.id,
        importB.id,
        reportB.id,
        'SITE-B',
        'B-2020-1',
        'B-2020-2',
        '乌拉特后旗安置点学校',
      ],
      requestsB: {
        'PATCH /api/projects/:id': { body: { name: '改名' } },
        'POST /api/projects': {
          body: { name: '外县学校', kind: 'renovation_expansion', countyCode: B, milestones: plan(2021) },
        },
        'POST /api/projects/:id/milestones/:kind/complete': { body: { completedOn: '2020-06-01' } },
        'POST /api/projects/:id/progress-reports': {
          body: { reportedOn: '2020-06-09', percentComplete: 20, narrative: '开挖' },
        },
        'POST /api/projects/import': {
          contentType: 'text/csv',
          body: [HEADER, row('B-2020-3', B)].join('\n'),
        },
      },
      exceptions: {
        'POST /api/projects/import': {
          why: 'an import refuses each row of another county',
          check: (reply) => {
            expect(reply.status).toBe(200);
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
        'GET /api/monitoring-policies': 'the stall and overrun thresholds, the same for every county',
      },
    };
  });

  afterAll(() => svc?.close());

  describeRouteSecurity(() => ({ svc, fixture, secrets: [] }));
});
