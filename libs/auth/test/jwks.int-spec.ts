import { jest } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, UnsecuredJWT, type CryptoKey, type JWK } from 'jose';
import {
  DEV_AUTH_DEFAULTS,
  InvalidToken,
  signToken,
  TokenKeysUnavailable,
  verifyToken,
  type AuthConfig,
} from '@edu/auth';

interface Key {
  kid: string;
  alg: 'RS256' | 'ES256';
  privateKey: CryptoKey;
  jwk: JWK;
}

async function makeKey(kid: string, alg: Key['alg']): Promise<Key> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  return { kid, alg, privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' } };
}

/** An identity provider's JWKS endpoint on 127.0.0.1, whose key list a test can change. */
async function jwksServer(
  keys: () => JWK[],
): Promise<{ url: string; hits: () => number; close(): Promise<void> }> {
  let hits = 0;
  const server: Server = createServer((req, res) => {
    hits++;
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ keys: keys() }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/realms/edu/protocol/openid-connect/certs`,
    hits: () => hits,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

const ISSUER = 'https://id.edu-bureau.example/realms/edu';
const AUDIENCE = 'edu-services';

function token(
  key: Key,
  claims: Record<string, unknown>,
  over: { iss?: string; aud?: string; exp?: number } = {},
) {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'JWT' })
    .setSubject('keycloak-user-1')
    .setIssuer(over.iss ?? ISSUER)
    .setAudience(over.aud ?? AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(over.exp ?? '5m')
    .sign(key.privateKey);
}

describe('token verification by the identity provider JWKS', () => {
  let rsa: Key;
  let ec: Key;
  let stranger: Key;
  let published: JWK[];
  let idp: Awaited<ReturnType<typeof jwksServer>>;
  let config: AuthConfig;

  beforeAll(async () => {
    rsa = await makeKey('rsa-1', 'RS256');
    ec = await makeKey('ec-1', 'ES256');
    stranger = await makeKey('rsa-1', 'RS256'); // same kid, a key the provider never published
    published = [rsa.jwk, ec.jwk];
    idp = await jwksServer(() => published);
    config = { secret: '', issuer: ISSUER, audience: AUDIENCE, jwksUrl: idp.url };
  });
  afterAll(() => idp.close());

  it('accepts RS256 and ES256 tokens signed by a published key, fetching the keys once', async () => {
    await expect(verifyToken(await token(rsa, { role: 'city_admin' }), config)).resolves.toEqual({
      sub: 'keycloak-user-1',
      role: 'city_admin',
    });
    await expect(
      verifyToken(await token(ec, { role: 'county_operator', county: '150821' }), config),
    ).resolves.toEqual({ sub: 'keycloak-user-1', role: 'county_operator', county: '150821' });
    expect(idp.hits()).toBe(1);
  });

  it('reads the role from a Keycloak realm_access.roles array when configured', async () => {
    const keycloak = { ...config, roleClaim: 'realm_access.roles', countyClaim: 'edu.county' };
    const t = await token(rsa, {
      realm_access: { roles: ['offline_access', 'county_operator', 'uma_authorization'] },
      edu: { county: '150822' },
    });
    await expect(verifyToken(t, keycloak)).resolves.toEqual({
      sub: 'keycloak-user-1',
      role: 'county_operator',
      county: '150822',
    });
    const two = await token(rsa, { realm_access: { roles: ['city_admin', 'viewer'] } });
    await expect(verifyToken(two, keycloak)).rejects.toThrow(/several roles/);
  });

  it.each([
    ['a key the provider never published', async () => token(stranger, { role: 'city_admin' })],
    ['the wrong issuer', async () => token(rsa, { role: 'city_admin' }, { iss: 'https://evil.example' })],
    ['the wrong audience', async () => token(rsa, { role: 'city_admin' }, { aud: 'other-app' })],
    [
      'an expired token',
      async () => token(rsa, { role: 'city_admin' }, { exp: Math.floor(Date.now() / 1000) - 60 }),
    ],
    ['an unknown role', async () => token(rsa, { role: 'superuser' })],
    ['a county operator without a county', async () => token(ec, { role: 'county_operator' })],
    // The development secret is no use once a JWKS is configured: no symmetric algorithm is accepted.
    [
      'an HS256 development token',
      async () => signToken({ sub: 'x', role: 'city_admin' }, { ...DEV_AUTH_DEFAULTS, issuer: ISSUER }),
    ],
    [
      'an unsigned (alg: none) token',
      async () =>
        new UnsecuredJWT({ role: 'city_admin' })
          .setSubject('x')
          .setIssuer(ISSUER)
          .setAudience(AUDIENCE)
          .setExpirationTime('5m')
          .encode(),
    ],
    [
      'an HS256 token whose secret is the published RSA public key (key confusion)',
      async () =>
        new SignJWT({ role: 'city_admin' })
          .setProtectedHeader({ alg: 'HS256', kid: 'rsa-1' })
          .setSubject('x')
          .setIssuer(ISSUER)
          .setAudience(AUDIENCE)
          .setExpirationTime('5m')
          .sign(new TextEncoder().encode(JSON.stringify(rsa.jwk))),
    ],
  ])('refuses %s', async (_, make) => {
    await expect(verifyToken(await make(), config)).rejects.toBeInstanceOf(InvalidToken);
  });

  it('picks up a rotated key: an unknown kid makes it fetch the JWKS again, at most every 30 s', async () => {
    const next = await makeKey('rsa-2', 'RS256');
    published = [rsa.jwk, ec.jwk, next.jwk];
    const signed = await token(next, { role: 'viewer' });
    const before = idp.hits();
    // Only Date is faked: jose's cooldown reads the clock; sockets and timers stay real.
    jest.useFakeTimers({
      now: Date.now(),
      doNotFake: [
        'nextTick',
        'setImmediate',
        'clearImmediate',
        'setTimeout',
        'clearTimeout',
        'setInterval',
        'clearInterval',
        'queueMicrotask',
        'hrtime',
        'performance',
      ],
    });
    try {
      jest.setSystemTime(Date.now() + 31_000);
      await expect(verifyToken(signed, config)).resolves.toMatchObject({ role: 'viewer' });
    } finally {
      jest.useRealTimers();
    }
    expect(idp.hits()).toBe(before + 1);
  });

  it('says the keys are unavailable (not that the token is bad) when the JWKS cannot be fetched', async () => {
    const down = await jwksServer(() => []);
    await down.close();
    await expect(
      verifyToken(await token(rsa, { role: 'city_admin' }), { ...config, jwksUrl: down.url }),
    ).rejects.toBeInstanceOf(TokenKeysUnavailable);
  });
});
