import { createRemoteJWKSet, jwtVerify, SignJWT, errors, type JWTPayload } from 'jose';
import { JWKS_ALGORITHMS, type AuthConfig } from './auth.config.js';
import { ROLES, type Principal, type Role } from './roles.js';

const COUNTY = /^\d{6}$/;

/** Signs an HS256 development token. */
export async function signToken(
  principal: Principal,
  config: AuthConfig,
  expiresIn: string | number = '12h',
): Promise<string> {
  return new SignJWT({ role: principal.role, ...(principal.county ? { county: principal.county } : {}) })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(principal.sub)
    .setIssuer(config.issuer)
    .setAudience(config.audience)
    .setIssuedAt()
    .setExpirationTime(expiresIn)
    .sign(new TextEncoder().encode(config.secret));
}

/** The token is not acceptable: answer 401. */
export class InvalidToken extends Error {}

/** The identity provider's keys could not be fetched: answer 503, the token may be fine. */
export class TokenKeysUnavailable extends Error {}

type KeySet = ReturnType<typeof createRemoteJWKSet>;
const keySets = new Map<string, KeySet>();

/** Errors of the key set that say the token is wrong, not that the keys could not be had. */
const TOKEN_FAULTS = [
  errors.JWKSNoMatchingKey,
  errors.JWKSMultipleMatchingKeys,
  errors.JOSEAlgNotAllowed,
  errors.JOSENotSupported,
  errors.JWSInvalid,
];

/**
 * One cached key set per JWKS URL for the life of the process: keys are fetched once, again
 * when a token names an unknown `kid` (at most every 30 s) and after 10 minutes.
 */
function keySetOf(url: string): KeySet {
  let set = keySets.get(url);
  if (!set) {
    const remote = createRemoteJWKSet(new URL(url), {
      timeoutDuration: 5000,
      cooldownDuration: 30_000,
      cacheMaxAge: 600_000,
    });
    set = (async (header, token) => {
      try {
        return await remote(header, token);
      } catch (e) {
        if (TOKEN_FAULTS.some((fault) => e instanceof fault)) throw e;
        // Timeouts, refused connections, a non-200 answer or one that is no JWKS.
        throw new TokenKeysUnavailable(`the JWKS could not be loaded: ${(e as Error).message}`);
      }
    }) as KeySet;
    keySets.set(url, set);
  }
  return set;
}

function claim(payload: JWTPayload, path: string): unknown {
  let value: unknown = payload;
  for (const part of path.split('.')) {
    if (value === null || typeof value !== 'object' || !Object.hasOwn(value, part)) return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

/** A role claim may be a string, or (Keycloak's realm_access.roles) an array with one of our roles. */
function roleOf(value: unknown): Role {
  const known = (Array.isArray(value) ? value : [value]).filter((v): v is Role => ROLES.includes(v as Role));
  if (known.length !== 1) throw new InvalidToken(known.length === 0 ? 'unknown role' : 'several roles');
  return known[0];
}

/**
 * Verifies signature, issuer, audience and expiry and returns the principal. With a JWKS URL
 * only RS256/ES256 tokens signed by the provider's keys pass; without, HS256 under the
 * development secret. `alg: none` never passes.
 */
export async function verifyToken(token: string, config: AuthConfig): Promise<Principal> {
  const options = {
    issuer: config.issuer,
    audience: config.audience,
    requiredClaims: ['sub', 'exp'],
  };
  try {
    const { payload } = config.jwksUrl
      ? await jwtVerify(token, keySetOf(config.jwksUrl), { ...options, algorithms: [...JWKS_ALGORITHMS] })
      : await jwtVerify(token, new TextEncoder().encode(config.secret), {
          ...options,
          algorithms: ['HS256'],
        });
    const role = roleOf(claim(payload, config.roleClaim ?? 'role'));
    const county = claim(payload, config.countyClaim ?? 'county');
    if (role === 'county_operator' && (typeof county !== 'string' || !COUNTY.test(county))) {
      throw new InvalidToken('county operator token without a county');
    }
    // Only a county operator is scoped; a county claim on any other role is ignored.
    return {
      sub: payload.sub as string,
      role,
      ...(role === 'county_operator' ? { county: county as string } : {}),
    };
  } catch (e) {
    if (e instanceof InvalidToken || e instanceof TokenKeysUnavailable) throw e;
    if (e instanceof errors.JOSEError) throw new InvalidToken(e.code);
    throw e;
  }
}
