import { SignJWT, UnsecuredJWT } from 'jose';
import { DEV_AUTH_DEFAULTS } from './auth.config.js';
import { signToken, verifyToken, InvalidToken } from './tokens.js';

const config = DEV_AUTH_DEFAULTS;

describe('tokens', () => {
  it('round-trips a county operator', async () => {
    const token = await signToken({ sub: 'u1', role: 'county_operator', county: '150821' }, config);
    await expect(verifyToken(token, config)).resolves.toEqual({
      sub: 'u1',
      role: 'county_operator',
      county: '150821',
    });
  });

  it.each([
    ['wrong issuer', { ...config, issuer: 'other' }],
    ['wrong audience', { ...config, audience: 'other' }],
    ['wrong secret', { ...config, secret: 'x'.repeat(40) }],
  ])('refuses a token with %s', async (_, signer) => {
    const token = await signToken({ sub: 'u1', role: 'city_admin' }, signer);
    await expect(verifyToken(token, config)).rejects.toBeInstanceOf(InvalidToken);
  });

  it('refuses expired, unsigned and county-less operator tokens', async () => {
    const expired = await signToken(
      { sub: 'u1', role: 'city_admin' },
      config,
      Math.floor(Date.now() / 1000) - 10,
    );
    await expect(verifyToken(expired, config)).rejects.toBeInstanceOf(InvalidToken);
    const none = new UnsecuredJWT({ role: 'city_admin' })
      .setSubject('u1')
      .setIssuer(config.issuer)
      .setAudience(config.audience)
      .setExpirationTime('1h')
      .encode();
    await expect(verifyToken(none, config)).rejects.toBeInstanceOf(InvalidToken);
    const noCounty = await new SignJWT({ role: 'county_operator' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('u1')
      .setIssuer(config.issuer)
      .setAudience(config.audience)
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode(config.secret));
    await expect(verifyToken(noCounty, config)).rejects.toThrow(/county/);
  });
});
