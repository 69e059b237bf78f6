import { t } from '../i18n/index.js';
import { can } from '../logic/permissions.js';
import { setQuery, useLocation } from '../router.js';
import { useSession } from '../session.js';

/**
 * The county a page shows: a county operator's own, always (whatever the address says);
 * for city-wide roles the `county` query parameter, or every county.
 */
export function useCounty(): string | undefined {
  const { user } = useSession();
  const { query } = useLocation();
  return user.role === 'county_operator' ? user.county : query.get('county') || undefined;
}

/** A county filter for roles that may choose one; nothing at all for a county operator. */
export function CountyFilter() {
  const { user, counties } = useSession();
  const county = useCounty();
  if (!can(user, 'county.choose')) return null;
  return (
    <label className="field">
      <span>{t('common.county')}</span>
      <select
        name="county"
        value={county ?? ''}
        onChange={(e) => setQuery({ county: e.target.value, offset: undefined })}
      >
        <option value="">{t('common.allCounties')}</option>
        {counties.map((c) => (
          <option key={c.code} value={c.code}>
            {c.name}
          </option>
        ))}
      </select>
    </label>
  );
}

/** A filter bound to a query parameter; changing it starts again from the first page. */
export function useFilter(name: string): [string, (v: string) => void] {
  const { query } = useLocation();
  return [query.get(name) ?? '', (v: string) => setQuery({ [name]: v, offset: undefined, after: undefined })];
}

/** The offset a pager holds in the query (`offset`, or the name given to a second pager). */
export function useOffset(param = 'offset'): number {
  const { query } = useLocation();
  const n = Number(query.get(param) ?? 0);
  return Number.isInteger(n) && n > 0 ? n : 0;
}
