import type { Official } from '../../directory/domain/official.js';
import { responsibilityGaps, whoIsResponsible, type ResponsibilityEntry } from './responsibility.js';

const o = (id: string, countyCode: string, role: Official['role'], front: Official['front']): Official => ({
  officialId: id,
  name: id,
  title: 't',
  countyCode,
  role,
  front,
  phone: '1',
  email: null,
});
const officials = [
  o('aid-resp', '150821', 'responsible', 'aid'),
  o('dropout-resp', '150821', 'responsible', 'dropout'),
  o('deputy', '150821', 'responsible', 'all'),
  o('head', '150821', 'bureau_head', 'all'),
  o('city-resp', '150800', 'responsible', 'all'),
  o('city-head', '150800', 'bureau_head', 'all'),
];
const entry = (e: Partial<ResponsibilityEntry>): ResponsibilityEntry => ({
  countyCode: '150821',
  front: 'aid',
  leadDepartment: null,
  responsibleOfficialId: null,
  bureauHeadOfficialId: null,
  partyCommitteeOfficialId: null,
  ...e,
});
const ids = (r: ReturnType<typeof whoIsResponsible>) =>
  r.assignments.map((a) => [a.official.officialId, a.fallback]);
const q = { countyCode: '150821', cityCode: '150800', front: 'aid' as const, scope: 'county' as const };

describe('whoIsResponsible', () => {
  it('uses the directory by role and front (or all fronts) when the matrix names nobody', () => {
    expect(ids(whoIsResponsible([], officials, { ...q, roles: ['responsible'] }))).toEqual([
      ['aid-resp', false],
      ['deputy', false],
    ]);
  });

  it('prefers the official the matrix names', () => {
    const matrix = [entry({ responsibleOfficialId: 'aid-resp' })];
    const r = whoIsResponsible(matrix, officials, { ...q, roles: ['responsible', 'bureau_head'] });
    expect(ids(r)).toEqual([
      ['aid-resp', false],
      ['head', false],
    ]);
    expect(r.assignments[0].source).toBe('matrix');
  });

  it('reports a missing role and sends it to the city, role by role', () => {
    const r = whoIsResponsible([], officials, {
      ...q,
      countyCode: '150822',
      roles: ['responsible', 'party_committee'],
    });
    expect(ids(r)).toEqual([['city-resp', true]]);
    expect(r.gaps).toEqual([
      { countyCode: '150822', front: 'aid', role: 'responsible', fallback: 'city' },
      { countyCode: '150822', front: 'aid', role: 'party_committee', fallback: 'none' },
    ]);
  });

  it('goes to the city officials on purpose for a city-level step', () => {
    const r = whoIsResponsible([], officials, { ...q, scope: 'city', roles: ['bureau_head'] });
    expect(ids(r)).toEqual([['city-head', false]]);
    expect(r.gaps).toEqual([]);
  });
});

describe('responsibilityGaps', () => {
  it('lists every front and role nobody holds, and missing lead departments', () => {
    const gaps = responsibilityGaps(
      [
        { code: '150800', parentCode: null },
        { code: '150821', parentCode: '150800' },
      ],
      [entry({ leadDepartment: '学生资助管理中心' })],
      officials,
    );
    const wuyuanAid = gaps.filter((g) => g.countyCode === '150821' && g.front === 'aid').map((g) => g.role);
    expect(wuyuanAid).toEqual(['party_committee']);
    expect(gaps).toContainEqual({
      countyCode: '150821',
      front: 'dropout',
      role: 'lead_department',
      fallback: 'none',
    });
    expect(gaps).toContainEqual({
      countyCode: '150800',
      front: 'aid',
      role: 'party_committee',
      fallback: 'none',
    });
  });
});
