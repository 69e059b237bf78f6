export const ROLES = ['city_admin', 'county_operator', 'aid_auditor', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

/** Who is calling, from a verified token. */
export interface Principal {
  sub: string;
  role: Role;
  /** GB/T 2260 code; set for county operators, who see and act on this county only. */
  county?: string;
}
