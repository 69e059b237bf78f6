/** The roles of the services' tokens. */
export type Role = 'city_admin' | 'county_operator' | 'aid_auditor' | 'viewer';

export interface User {
  sub: string;
  role: Role;
  county?: string;
  expiresAt: string;
}

/**
 * What each role may do, as the services decide it (each route's @Roles). The page shows
 * only what the user may do; the services refuse the rest anyway.
 */
const ALLOWED = {
  'case.work': ['city_admin', 'county_operator'],
  'escalation.ack': ['city_admin', 'county_operator'],
  'interview.hold': ['city_admin'],
  'interview.minutes': ['city_admin'],
  'problem.work': ['city_admin', 'county_operator'],
  'problem.review': ['city_admin', 'county_operator', 'aid_auditor'],
  'import.run': ['city_admin', 'county_operator'],
  'import.cityWide': ['city_admin'],
  'aid.approve': ['aid_auditor'],
  'county.choose': ['city_admin', 'aid_auditor', 'viewer'],
} as const satisfies Record<string, readonly Role[]>;

export type Action = keyof typeof ALLOWED;

export function can(user: Pick<User, 'role'> | null, action: Action): boolean {
  return user !== null && (ALLOWED[action] as readonly Role[]).includes(user.role);
}
