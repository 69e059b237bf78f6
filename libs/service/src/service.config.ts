import { DEV_AUTH_DEFAULTS, type AuthConfig } from '@edu/auth';
import { MESSAGING_DEFAULTS, type MessagingConfig } from '@edu/messaging';
import type { DatabaseConfig } from '@edu/persistence';
import type { LogLevel } from '@nestjs/common';
import { EnvReader } from './env.js';
import { readHttpSettings, type HttpSettings } from './http-security.js';

export const DEV_STUDENT_KEY_SECRET = 'dev-only-student-key-secret-change-me';

/** What every service reads from its environment. */
export interface ServiceConfig {
  service: string;
  nodeEnv: 'development' | 'test' | 'production';
  host: string;
  port: number;
  logLevel: LogLevel;
  migrateOnBoot: boolean;
  database: DatabaseConfig;
  messaging: MessagingConfig;
  auth: AuthConfig;
  /** Body and upload caps, rate limit, proxies. */
  http: HttpSettings;
  /** Shared by all services: studentKey = HMAC-SHA256(resident ID number). */
  studentKeySecret: string;
}

export const SERVICE_CONFIG = Symbol('SERVICE_CONFIG');

/**
 * Reads the common settings; `extra` reads the service's own from the same reader so that
 * one error lists every bad variable. Defaults point at this machine's local services.
 */
export function readServiceConfig<E>(
  service: string,
  defaultPort: number,
  env: Record<string, string | undefined>,
  extra: (r: EnvReader) => E,
): ServiceConfig & E {
  const r = new EnvReader(env);
  const nodeEnv = r.oneOf('NODE_ENV', ['development', 'test', 'production'] as const, 'development');
  const dbName = r.str('DB_NAME', `edu_${service.replace(/-/g, '_')}`);
  const pgServer = r.str('PG_SERVER', 'postgres://postgres@127.0.0.1:5432');
  const config = {
    service,
    nodeEnv,
    host: r.str('HOST', '0.0.0.0'),
    port: r.int('PORT', defaultPort, 1, 65535),
    logLevel: r.oneOf('LOG_LEVEL', ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'] as const, 'log'),
    migrateOnBoot: r.bool('MIGRATE_ON_BOOT', true),
    database: {
      ...readDatabaseUrls(r, `${pgServer}/${dbName}`),
      poolSize: r.int('DB_POOL_SIZE', 10, 1, 200),
      applicationName: service,
    },
    messaging: {
      ...MESSAGING_DEFAULTS,
      urls: r.urls('AMQP_URLS', 'amqp://guest:guest@127.0.0.1:5672', ['amqp', 'amqps']),
      namespace: r.str('AMQP_NAMESPACE', MESSAGING_DEFAULTS.namespace),
      service,
      prefetch: r.int('AMQP_PREFETCH', MESSAGING_DEFAULTS.prefetch, 1, 10000),
      maxAttempts: r.int('EVENT_MAX_ATTEMPTS', MESSAGING_DEFAULTS.maxAttempts, 1, 100),
      retryDelayMs: r.int('EVENT_RETRY_DELAY_MS', MESSAGING_DEFAULTS.retryDelayMs, 10, 3_600_000),
      relayPollMs: r.int('OUTBOX_POLL_MS', MESSAGING_DEFAULTS.relayPollMs, 10, 60_000),
      relayBusyPollMs: r.int('OUTBOX_BUSY_POLL_MS', MESSAGING_DEFAULTS.relayBusyPollMs, 0, 60_000),
      outboxNotify: r.bool('OUTBOX_NOTIFY', MESSAGING_DEFAULTS.outboxNotify),
    },
    auth: readAuthConfig(r, nodeEnv),
    http: readHttpSettings(r, nodeEnv),
    studentKeySecret: r.str('STUDENT_KEY_SECRET', DEV_STUDENT_KEY_SECRET),
  };
  if (nodeEnv === 'production' && config.studentKeySecret === DEV_STUDENT_KEY_SECRET)
    r.fail('STUDENT_KEY_SECRET must be set in production');
  const own = extra(r);
  r.done();
  return { ...config, ...own };
}

export const DEFAULT_RUNTIME_ROLE = 'edu_app';

/**
 * The owner's connection (`DATABASE_URL`: the migrations) and the runtime role's (the service's
 * pool): `DATABASE_RUNTIME_URL`, else the owner's URL with the user `DB_RUNTIME_ROLE` (default
 * edu_app) and the password `DB_RUNTIME_PASSWORD`, a role the migrations create if they may.
 * Setting DATABASE_RUNTIME_URL to DATABASE_URL runs the service as the owner (see docs/security.md).
 */
function readDatabaseUrls(r: EnvReader, fallback: string): { url: string; runtimeUrl: string } {
  const schemes = ['postgres', 'postgresql'];
  const url = r.url('DATABASE_URL', fallback, schemes) ?? '';
  const explicit = r.url('DATABASE_RUNTIME_URL', undefined, schemes);
  const role = r.str('DB_RUNTIME_ROLE', DEFAULT_RUNTIME_ROLE);
  const password = r.optional('DB_RUNTIME_PASSWORD');
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(role)) r.fail('DB_RUNTIME_ROLE must be a lower-case SQL name');
  if (explicit !== undefined) return { url, runtimeUrl: explicit };
  const runtime = new URL(url);
  runtime.username = role;
  runtime.password = password ? encodeURIComponent(password) : '';
  return { url, runtimeUrl: runtime.toString() };
}

/**
 * Token verification settings. Production verifies the identity provider's RS256/ES256 tokens
 * by its JWKS (JWT_JWKS_URL) and refuses the HS256 development secret outright: a shared
 * secret would let every holder of it (each service, each developer) mint any role's token.
 */
export function readAuthConfig(r: EnvReader, nodeEnv: ServiceConfig['nodeEnv']): AuthConfig {
  const secret = r.optional('JWT_SECRET');
  const jwksUrl = r.url('JWT_JWKS_URL', undefined, ['https', 'http']);
  if (nodeEnv === 'production') {
    if (secret !== undefined)
      r.fail(
        'JWT_SECRET (HS256 development tokens) is refused when NODE_ENV=production: unset it and set JWT_JWKS_URL',
      );
    if (jwksUrl === undefined)
      r.fail("JWT_JWKS_URL must be set in production (the identity provider's JWKS)");
    else if (!jwksUrl.startsWith('https://')) r.fail('JWT_JWKS_URL must be an https:// URL in production');
  }
  if (secret !== undefined && secret.length < 32) r.fail('JWT_SECRET must be at least 32 characters');
  return {
    secret: nodeEnv === 'production' ? '' : (secret ?? DEV_AUTH_DEFAULTS.secret),
    issuer: r.str('JWT_ISSUER', DEV_AUTH_DEFAULTS.issuer),
    audience: r.str('JWT_AUDIENCE', DEV_AUTH_DEFAULTS.audience),
    ...(jwksUrl ? { jwksUrl } : {}),
    roleClaim: r.str('JWT_ROLE_CLAIM', 'role'),
    countyClaim: r.str('JWT_COUNTY_CLAIM', 'county'),
  };
}
