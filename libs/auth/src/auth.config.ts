export interface AuthConfig {
  /** HS256 secret for development tokens. */
  secret: string;
  issuer: string;
  audience: string;
}

export const DEV_AUTH_DEFAULTS: AuthConfig = {
  secret: 'dev-only-secret-change-me-0123456789abcdef',
  issuer: 'edu-dev',
  audience: 'edu-services',
};

export const AUTH_CONFIG = Symbol('AUTH_CONFIG');
