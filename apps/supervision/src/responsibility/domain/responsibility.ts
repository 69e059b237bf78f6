import { FRONT_NAMES, SUPERVISED_FRONTS, type SupervisedFront } from '../../directory/domain/front.js';
import { OFFICIAL_ROLES, type Official, type OfficialRole } from '../../directory/domain/official.js';

/** One cell of the responsibility matrix: who answers for a front in a county (or the city). */
export interface ResponsibilityEntry {
  countyCode: string;
  front: SupervisedFront;
  /** 牵头部门, e.g. 发展规划科 or 学生资助管理中心. */
  leadDepartment: string | null;
  responsibleOfficialId: string | null;
  bureauHeadOfficialId: string | null;
  partyCommitteeOfficialId: string | null;
}

export const ROLE_FIELD = {
  responsible: 'responsibleOfficialId',
  bureau_head: 'bureauHeadOfficialId',
  party_committee: 'partyCommitteeOfficialId',
} as const satisfies Record<OfficialRole, keyof ResponsibilityEntry>;

export const ROLE_NAMES: Record<OfficialRole, string> = {
  responsible: '责任人',
  bureau_head: '教育局主要领导',
  party_committee: '党委联系人',
};

/** An official chosen to be told, and why. */
export interface Assignment {
  official: Official;
  role: OfficialRole;
  /** Named in the matrix, or found in the directory by role and front. */
  source: 'matrix' | 'directory';
  /** The county had nobody in this role: the city's official is told instead. */
  fallback: boolean;
}

export interface ResponsibilityQuery {
  countyCode: string;
  /** The county's city (where a missing entry goes); null when the county is the city. */
  cityCode: string | null;
  front: SupervisedFront;
  roles: readonly OfficialRole[];
  /** `city`: the city's officials in these roles are the intended recipients. */
  scope: 'county' | 'city';
}

/** A role nobody fills in a jurisdiction for a front: itself reported, never silently dropped. */
export interface ResponsibilityGap {
  countyCode: string;
  front: SupervisedFront;
  role: OfficialRole | 'lead_department';
  /** Where notices for it go instead: the city's official, or nobody at all. */
  fallback: 'city' | 'none';
}

function holders(
  matrix: readonly ResponsibilityEntry[],
  officials: readonly Official[],
  code: string,
  front: SupervisedFront,
  role: OfficialRole,
): { officials: Official[]; source: 'matrix' | 'directory' } {
  const entry = matrix.find((e) => e.countyCode === code && e.front === front);
  const named = entry?.[ROLE_FIELD[role]];
  const fromMatrix = named ? officials.find((o) => o.officialId === named) : undefined;
  if (fromMatrix) return { officials: [fromMatrix], source: 'matrix' };
  return {
    officials: officials.filter(
      (o) => o.countyCode === code && o.role === role && (o.front === front || o.front === 'all'),
    ),
    source: 'directory',
  };
}

/**
 * Who receives a step's notices: per role, the official the matrix names for the front and
 * county, else the directory's officials in that role for the front (or all fronts). A role
 * the county does not fill goes to the city's holder of it (fallback) and is a gap.
 */
export function whoIsResponsible(
  matrix: readonly ResponsibilityEntry[],
  officials: readonly Official[],
  q: ResponsibilityQuery,
): { assignments: Assignment[]; gaps: ResponsibilityGap[] } {
  const assignments: Assignment[] = [];
  const gaps: ResponsibilityGap[] = [];
  const target = q.scope === 'city' && q.cityCode ? q.cityCode : q.countyCode;
  for (const role of q.roles) {
    const own = holders(matrix, officials, target, q.front, role);
    if (own.officials.length > 0) {
      own.officials.forEach((official) =>
        assignments.push({ official, role, source: own.source, fallback: false }),
      );
      continue;
    }
    const city =
      q.cityCode && q.cityCode !== target ? holders(matrix, officials, q.cityCode, q.front, role) : null;
    gaps.push({
      countyCode: target,
      front: q.front,
      role,
      fallback: city?.officials.length ? 'city' : 'none',
    });
    city?.officials.forEach((official) =>
      assignments.push({ official, role, source: city.source, fallback: true }),
    );
  }
  // One notice per official per step, even when they hold two of the roles.
  const seen = new Set<string>();
  return {
    assignments: assignments.filter(
      (a) => !seen.has(a.official.officialId) && !!seen.add(a.official.officialId),
    ),
    gaps,
  };
}

/** Every role and lead department missing in the matrix and the directory, per jurisdiction and front. */
export function responsibilityGaps(
  jurisdictions: readonly { code: string; parentCode: string | null }[],
  matrix: readonly ResponsibilityEntry[],
  officials: readonly Official[],
): ResponsibilityGap[] {
  const gaps: ResponsibilityGap[] = [];
  for (const j of jurisdictions) {
    for (const front of SUPERVISED_FRONTS) {
      const entry = matrix.find((e) => e.countyCode === j.code && e.front === front);
      const cityEntry = j.parentCode
        ? matrix.find((e) => e.countyCode === j.parentCode && e.front === front)
        : undefined;
      if (!entry?.leadDepartment)
        gaps.push({
          countyCode: j.code,
          front,
          role: 'lead_department',
          fallback: cityEntry?.leadDepartment ? 'city' : 'none',
        });
      const { gaps: roleGaps } = whoIsResponsible(matrix, officials, {
        countyCode: j.code,
        cityCode: j.parentCode,
        front,
        roles: OFFICIAL_ROLES,
        scope: 'county',
      });
      gaps.push(...roleGaps);
    }
  }
  return gaps;
}

export function describeGap(g: ResponsibilityGap, placeName: string): string {
  const what = g.role === 'lead_department' ? '牵头部门' : ROLE_NAMES[g.role];
  const then = g.fallback === 'city' ? '由市级对应人员代为接收' : '市级亦无对应人员';
  return `${placeName}${FRONT_NAMES[g.front]}未明确${what}，${then}`;
}

export const MATRIX_COLUMNS = [
  'county_code',
  'front',
  'lead_department',
  'responsible_official_id',
  'bureau_head_official_id',
  'party_committee_official_id',
] as const;

/**
 * Validates one matrix entry (a CSV row or an API body). Named officials must be in the
 * directory, in the role named, in the county or its city.
 */
export function parseMatrixRow(
  line: number,
  row: Record<string, string | null | undefined>,
  knownCounty: (code: string) => boolean,
  official: (id: string) => Official | undefined,
): { entry: ResponsibilityEntry } | { problems: { line: number; field: string; reason: string }[] } {
  const problems: { line: number; field: string; reason: string }[] = [];
  const get = (f: string) => (row[f] ?? '').trim();
  const countyCode = get('county_code');
  if (!/^\d{6}$/.test(countyCode))
    problems.push({ line, field: 'county_code', reason: 'must be a 6-digit GB/T 2260 code' });
  else if (!knownCounty(countyCode))
    problems.push({ line, field: 'county_code', reason: `${countyCode} is not a jurisdiction of this city` });
  const front = get('front');
  if (!(SUPERVISED_FRONTS as readonly string[]).includes(front))
    problems.push({ line, field: 'front', reason: `must be one of ${SUPERVISED_FRONTS.join('|')}` });
  const ids: Partial<Record<OfficialRole, string | null>> = {};
  for (const role of OFFICIAL_ROLES) {
    const field = `${role}_official_id`;
    const id = get(field);
    ids[role] = id || null;
    if (!id) continue;
    const o = official(id);
    if (!o) problems.push({ line, field, reason: `${id} is not in the officials directory` });
    else if (o.role !== role) problems.push({ line, field, reason: `${id} is a ${o.role}, not a ${role}` });
  }
  if (problems.length > 0) return { problems };
  return {
    entry: {
      countyCode,
      front: front as SupervisedFront,
      leadDepartment: get('lead_department') || null,
      responsibleOfficialId: ids.responsible ?? null,
      bureauHeadOfficialId: ids.bureau_head ?? null,
      partyCommitteeOfficialId: ids.party_committee ?? null,
    },
  };
}
