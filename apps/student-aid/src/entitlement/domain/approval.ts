import { entitlementError } from './entitlement.errors.js';

/** Who acts: the token's subject and role (plain strings, so the domain needs no auth library). */
export interface Actor {
  sub: string;
  role: string;
}

/**
 * Maker-checker: what an operator prepared counts only once an aid auditor who is not the
 * preparer approves it.
 */
export function assertMayApprove(preparedBy: string, approver: Actor): void {
  if (approver.role !== 'aid_auditor') throw entitlementError.notAuditor();
  if (approver.sub === preparedBy) throw entitlementError.ownWork();
}

/** A single grant by the city aid centre (city_admin) counts at once; anyone else's waits for an auditor. */
export function grantIsApproved(by: Actor): boolean {
  return by.role === 'city_admin';
}
