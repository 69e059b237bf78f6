import type { IncomingMessage } from 'node:http';
import { cookieHeader, readCookies } from './cookies.js';
import { pkcePair, s256 } from './pkce.js';

describe('cookies', () => {
  it('reads cookies, the first of a repeated name winning', () => {
    const req = { headers: { cookie: 'a=1; edu_console=x%3Dy; a=2; bad=%zz' } } as unknown as IncomingMessage;
    expect(readCookies(req)).toEqual({ a: '1', edu_console: 'x=y' });
  });

  it('writes HttpOnly, SameSite=Strict cookies, Secure when asked', () => {
    expect(cookieHeader('s', 'v', { secure: true, maxAge: 60 })).toBe(
      's=v; Path=/; Max-Age=60; HttpOnly; SameSite=Strict; Secure',
    );
    expect(cookieHeader('s', '', { secure: false, maxAge: -5, path: '/auth', sameSite: 'Lax' })).toBe(
      's=; Path=/auth; Max-Age=0; HttpOnly; SameSite=Lax',
    );
  });
});

describe('PKCE', () => {
  it('makes an RFC 7636 verifier and its S256 challenge', () => {
    const { verifier, challenge } = pkcePair();
    expect(verifier).toMatch(/^[A-Za-z0-9_-]{43,128}$/);
    expect(challenge).toBe(s256(verifier));
    // RFC 7636 appendix B
    expect(s256('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe(
      'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    );
  });
});
