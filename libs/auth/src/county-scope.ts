import { ForbiddenException } from '@nestjs/common';
import type { Principal } from './roles.js';

/** The only county a principal may see, or undefined for city-wide roles. */
export function countyScope(principal: Principal): string | undefined {
  return principal.role === 'county_operator' ? principal.county : undefined;
}

/** Refuses a county operator touching another county's data. */
export function assertCountyAccess(principal: Principal, county: string): void {
  const scope = countyScope(principal);
  if (scope !== undefined && scope !== county) {
    throw new ForbiddenException(`county ${county} is outside your jurisdiction`);
  }
}

/** Narrows a requested county filter to what the principal may see. */
export function scopedCounty(principal: Principal, requested?: string): string | undefined {
  const scope = countyScope(principal);
  if (scope === undefined) return requested;
  if (requested !== undefined && requested !== scope) assertCountyAccess(principal, requested);
  return scope;
}
