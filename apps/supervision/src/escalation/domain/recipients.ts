import type { Front } from '@edu/contracts';
import type { Official, OfficialRole } from '../../directory/domain/official.js';

/**
 * Who receives a rung's notices: the county's officials in the target roles for this
 * front (or for all fronts). If the county has none, the city's officials in those roles
 * are told instead, so a breach with nobody to tell never vanishes.
 */
export function chooseRecipients(
  officials: Official[],
  front: Front,
  countyCode: string,
  cityCode: string | null,
  roles: OfficialRole[],
): { recipients: Official[]; fallback: boolean } {
  const pick = (county: string) =>
    officials.filter(
      (o) => o.countyCode === county && roles.includes(o.role) && (o.front === front || o.front === 'all'),
    );
  const own = pick(countyCode);
  if (own.length > 0 || cityCode === null || cityCode === countyCode)
    return { recipients: own, fallback: false };
  return { recipients: pick(cityCode), fallback: true };
}
