import { SUPERVISED_FRONTS } from './front.js';

export const OFFICIAL_FRONTS = [...SUPERVISED_FRONTS, 'all'] as const;
export type OfficialFront = (typeof OFFICIAL_FRONTS)[number];
export const OFFICIAL_ROLES = ['responsible', 'bureau_head', 'party_committee'] as const;
export type OfficialRole = (typeof OFFICIAL_ROLES)[number];

export interface Official {
  officialId: string;
  name: string;
  title: string;
  countyCode: string;
  front: OfficialFront;
  role: OfficialRole;
  phone: string | null;
  email: string | null;
}

/** A refused row of an import: where, which field, why. */
export interface RowProblem {
  line: number;
  field: string;
  reason: string;
}

export const OFFICIAL_COLUMNS = [
  'official_id',
  'name',
  'title',
  'county_code',
  'front',
  'role',
  'phone',
  'email',
] as const;

const PHONE = /^\+?\d{5,15}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const COUNTY = /^\d{6}$/;

/**
 * Validates one row of the officials file. `knownCounty` says whether a code is a
 * jurisdiction of this city. Every problem of the row is reported, not just the first.
 */
export function parseOfficialRow(
  line: number,
  row: Record<string, string | undefined>,
  knownCounty: (code: string) => boolean,
): { official: Official } | { problems: RowProblem[] } {
  const problems: RowProblem[] = [];
  const get = (f: string) => (row[f] ?? '').trim();
  const need = (f: string) => {
    const v = get(f);
    if (!v) problems.push({ line, field: f, reason: 'is required' });
    return v;
  };
  const officialId = need('official_id');
  const name = need('name');
  const title = need('title');
  const countyCode = need('county_code');
  if (countyCode && !COUNTY.test(countyCode))
    problems.push({ line, field: 'county_code', reason: 'must be a 6-digit GB/T 2260 code' });
  else if (countyCode && !knownCounty(countyCode))
    problems.push({ line, field: 'county_code', reason: `${countyCode} is not a jurisdiction of this city` });
  const front = need('front');
  if (front && !OFFICIAL_FRONTS.includes(front as OfficialFront))
    problems.push({ line, field: 'front', reason: `must be one of ${OFFICIAL_FRONTS.join('|')}` });
  const role = need('role');
  if (role && !OFFICIAL_ROLES.includes(role as OfficialRole))
    problems.push({ line, field: 'role', reason: `must be one of ${OFFICIAL_ROLES.join('|')}` });
  const phone = get('phone').replace(/[\s-]/g, '');
  if (phone && !PHONE.test(phone))
    problems.push({ line, field: 'phone', reason: 'must be 5 to 15 digits, optionally starting with +' });
  const email = get('email');
  if (email && !EMAIL.test(email)) problems.push({ line, field: 'email', reason: 'is not an email address' });
  if (!phone && !email)
    problems.push({ line, field: 'phone', reason: 'a phone or an email is required to reach the official' });
  if (problems.length > 0) return { problems };
  return {
    official: {
      officialId,
      name,
      title,
      countyCode,
      front: front as OfficialFront,
      role: role as OfficialRole,
      phone: phone || null,
      email: email || null,
    },
  };
}
