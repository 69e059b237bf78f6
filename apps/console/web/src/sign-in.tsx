import { useEffect, useState, type FormEvent } from 'react';
import { t } from './i18n/index.js';
import type { User } from './logic/permissions.js';
import { navigate, useLocation } from './router.js';

/** Development: paste a token from `npm run token`. Production: the organisation's OIDC sign-in. */
export function SignIn(props: { onSignedIn: (u: User) => void }) {
  const { query } = useLocation();
  const [mode, setMode] = useState<'dev' | 'oidc' | undefined>();
  const [token, setToken] = useState('');
  const [error, setError] = useState<string | null>(query.get('error'));
  const returnTo = query.get('returnTo') ?? '/';
  const safeReturn = /^\/(?![/\\])/.test(returnTo) && !returnTo.startsWith('/signin') ? returnTo : '/';
  useEffect(() => {
    fetch('/auth/config')
      .then((r) => r.json() as Promise<{ mode: 'dev' | 'oidc' }>)
      .then(
        (c) => setMode(c.mode),
        () => setError('config'),
      );
  }, []);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    const res = await fetch('/auth/dev-token', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token }),
    });
    if (!res.ok) return setError('token_refused');
    const user = (await res.json()) as User;
    navigate(safeReturn, true);
    props.onSignedIn(user);
  };
  return (
    <div className="signin">
      <h1>{t('app.title')}</h1>
      {error && (
        <p className="error" role="alert">
          {t('signin.failed', { reason: error })}
        </p>
      )}
      {mode === 'dev' && (
        <form onSubmit={(e) => void submit(e)}>
          <p>{t('signin.devHelp')}</p>
          <pre className="hint">npm run -s token -- --role county_operator --county 150821</pre>
          <label className="field">
            <span>{t('signin.token')}</span>
            <textarea
              name="token"
              rows={5}
              value={token}
              onChange={(e) => setToken(e.target.value)}
              required
            />
          </label>
          <button type="submit">{t('signin.submit')}</button>
        </form>
      )}
      {mode === 'oidc' && (
        <p>
          <a className="button" href={`/auth/login?returnTo=${encodeURIComponent(safeReturn)}`}>
            {t('signin.oidc')}
          </a>
        </p>
      )}
    </div>
  );
}
