export interface AuthConfig {
  /**
   * HS256 secret for development tokens (`npm run token`). Refused in production, where
   * tokens come from the identity provider and are verified by its JWKS.
   */
  secret: string;
  issuer: string;
  audience: string;
  /**
   * The identity provider's JWKS (e.g. Keycloak's `…/protocol/openid-connect/certs`). When set,
   * tokens are verified by its keys (RS256 or ES256) and HS256 tokens are refused.
   */
  jwksUrl?: string;
  /** Claim holding the role: a string, or an array holding exactly one known role (dotted path). */
  roleClaim?: string;
  /** Claim holding a county operator's GB/T 2260 code (dotted path). */
  countyClaim?: string;
}

export const DEV_AUTH_DEFAULTS: AuthConfig = {
  secret: 'dev-only-secret-change-me-0123456789abcdef',
  issuer: 'edu-dev',
  audience: 'edu-services',
};

/** The asymmetric algorithms accepted from a JWKS; symmetric ones never are. */
export const JWKS_ALGORITHMS = ['RS256', 'ES256'] as const;

export const AUTH_CONFIG = Symbol('AUTH_CONFIG');
