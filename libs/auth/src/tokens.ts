import { jwtVerify, SignJWT, errors } from 'jose';
import type { AuthConfig } from './auth.config.js';
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

export class InvalidToken extends Error {}

/** Verifies signature (HS256 only), issuer, audience and expiry; returns the principal. */
export async function verifyToken(token: string, config: AuthConfig): Promise<Principal> {
  try {
    const { payload } = await jwtVerify(token, new TextEncoder().encode(config.secret), {
      algorithms: ['HS256'],
      issuer: config.issuer,
      audience: config.audience,
      requiredClaims: ['sub', 'exp'],
    });
    const role = payload.role as Role;
    if (!ROLES.includes(role)) throw new InvalidToken('unknown role');
    const county = payload.county as string | undefined;
    if (role === 'county_operator' && (typeof county !== 'string' || !COUNTY.test(county))) {
      throw new InvalidToken('county operator token without a county');
    }
    return { sub: payload.sub as string, role, ...(county ? { county } : {}) };
  } catch (e) {
    if (e instanceof InvalidToken) throw e;
    if (e instanceof errors.JOSEError) throw new InvalidToken(e.code);
    throw e;
  }
}
