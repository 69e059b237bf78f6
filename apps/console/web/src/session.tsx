import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import { get } from './api.js';
import type { User } from './logic/permissions.js';

interface Place {
  code: string;
  name: string;
  parentCode: string | null;
}

interface SessionValue {
  user: User;
  /** The counties this user may see: their own for a county operator, every one for city-wide roles. */
  counties: Place[];
  countyName: (code: string | null | undefined) => string;
}

const SessionContext = createContext<SessionValue | null>(null);

export function SessionProvider(props: { user: User; children: ReactNode }) {
  const [places, setPlaces] = useState<Place[]>([]);
  useEffect(() => {
    get<Place[]>('supervision', '/jurisdictions').then(setPlaces, () => setPlaces([]));
  }, []);
  const { user } = props;
  const counties = places.filter((p) =>
    user.role === 'county_operator' ? p.code === user.county : p.parentCode !== null,
  );
  const names = new Map(places.map((p) => [p.code, p.name]));
  const value: SessionValue = {
    user,
    counties,
    countyName: (code) => (code ? (names.get(code) ?? code) : '—'),
  };
  return <SessionContext.Provider value={value}>{props.children}</SessionContext.Provider>;
}

export function useSession(): SessionValue {
  const s = useContext(SessionContext);
  if (!s) throw new Error('outside the session');
  return s;
}
