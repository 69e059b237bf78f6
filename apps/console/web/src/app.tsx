import { lazy, Suspense, useEffect, useState, type ComponentType, type LazyExoticComponent } from 'react';
import { whenUnauthorized } from './api.js';
import { Loading } from './components/ui.js';
import { label, t, type MessageKey } from './i18n/index.js';
import { can, type Action, type User } from './logic/permissions.js';
import { Link, match, navigate, useLocation } from './router.js';
import { SessionProvider, useSession } from './session.js';
import { SignIn } from './sign-in.js';

type Page = LazyExoticComponent<ComponentType<{ params: Record<string, string> }>>;

// One chunk per page: the battle map loads nothing of the ledgers.
const BattleMap = lazy(() => import('./pages/battle-map.js'));
const Dropout = lazy(() => import('./pages/dropout.js'));
const DropoutCase = lazy(() => import('./pages/dropout-case.js'));
const Household = lazy(() => import('./pages/household.js'));
const Aid = lazy(() => import('./pages/aid.js'));
const Construction = lazy(() => import('./pages/construction.js'));
const Project = lazy(() => import('./pages/project.js'));
const Escalations = lazy(() => import('./pages/escalations.js'));
const Escalation = lazy(() => import('./pages/escalation.js'));
const Interviews = lazy(() => import('./pages/interviews.js'));
const Interview = lazy(() => import('./pages/interview.js'));
const Rectification = lazy(() => import('./pages/rectification.js'));
const Problem = lazy(() => import('./pages/problem.js'));
const Imports = lazy(() => import('./pages/imports.js'));

const ROUTES: { pattern: string; page: Page; needs?: Action }[] = [
  { pattern: '/', page: BattleMap },
  { pattern: '/dropout', page: Dropout },
  { pattern: '/dropout/cases/:id', page: DropoutCase },
  { pattern: '/dropout/households/:id', page: Household },
  { pattern: '/aid', page: Aid },
  { pattern: '/construction', page: Construction },
  { pattern: '/construction/projects/:id', page: Project },
  { pattern: '/escalations', page: Escalations },
  { pattern: '/escalations/:id', page: Escalation },
  { pattern: '/interviews', page: Interviews },
  { pattern: '/interviews/:id', page: Interview },
  { pattern: '/rectification', page: Rectification },
  { pattern: '/rectification/:id', page: Problem },
  { pattern: '/imports', page: Imports, needs: 'import.run' },
];

const NAV: { to: string; key: MessageKey; needs?: Action }[] = [
  { to: '/', key: 'nav.battleMap' },
  { to: '/dropout', key: 'nav.dropout' },
  { to: '/aid', key: 'nav.aid' },
  { to: '/construction', key: 'nav.construction' },
  { to: '/escalations', key: 'nav.escalations' },
  { to: '/interviews', key: 'nav.interviews' },
  { to: '/rectification', key: 'nav.rectification' },
  { to: '/imports', key: 'nav.imports', needs: 'import.run' },
];

function Shell() {
  const { user, countyName } = useSession();
  const { path } = useLocation();
  const route = ROUTES.map((r) => ({ r, params: match(r.pattern, path) })).find(
    (x) => x.params && (!x.r.needs || can(user, x.r.needs)),
  );
  const logout = async () => {
    const res = await fetch('/auth/logout', { method: 'POST', credentials: 'same-origin' });
    const { redirect } = (await res.json()) as { redirect: string };
    window.location.assign(redirect);
  };
  const Page = route?.r.page;
  return (
    <div className="shell">
      <header className="top">
        <h1>{t('app.title')}</h1>
        <nav aria-label={t('nav.label')}>
          {NAV.filter((n) => !n.needs || can(user, n.needs)).map((n) => (
            <Link
              key={n.to}
              to={n.to}
              className={(n.to === '/' ? path === '/' : path.startsWith(n.to)) ? 'active' : undefined}
            >
              {t(n.key)}
            </Link>
          ))}
        </nav>
        <div className="who" data-testid="who">
          <span>{label('role', user.role)}</span>
          {user.county && <span className="county-badge">{countyName(user.county)}</span>}
          <span className="muted">{user.sub}</span>
          <button type="button" onClick={() => void logout()}>
            {t('app.signOut')}
          </button>
        </div>
      </header>
      <main>
        <Suspense fallback={<Loading />}>
          {Page && route.params ? <Page params={route.params} /> : <p>{t('app.notFound')}</p>}
        </Suspense>
      </main>
    </div>
  );
}

/** Who is signed in (the console's cookie), before anything is fetched: nothing shows for nobody. */
export function App() {
  const { path } = useLocation();
  const [user, setUser] = useState<User | null | undefined>(undefined);
  useEffect(() => {
    whenUnauthorized(() => setUser(null));
    fetch('/auth/me', { credentials: 'same-origin' })
      .then(async (r) => (r.ok ? ((await r.json()) as User) : null))
      .then(setUser, () => setUser(null));
  }, []);
  useEffect(() => {
    if (user === null && path !== '/signin')
      navigate(`/signin?returnTo=${encodeURIComponent(path + window.location.search)}`, true);
  }, [user, path]);
  if (user === undefined) return <Loading />;
  if (user === null || path === '/signin') return <SignIn onSignedIn={(u) => setUser(u)} />;
  // Keyed by user: signing in as someone else starts from nothing, never from their data.
  return (
    <SessionProvider key={user.sub + user.role + (user.county ?? '')} user={user}>
      <Shell />
    </SessionProvider>
  );
}
