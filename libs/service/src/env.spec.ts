import { ConfigError } from './env.js';
import { readServiceConfig } from './service.config.js';

describe('readServiceConfig', () => {
  it('defaults to the local services', () => {
    const c = readServiceConfig('student-aid', 3002, {}, () => ({}));
    expect(c.port).toBe(3002);
    expect(c.database.url).toBe('postgres://postgres@127.0.0.1:5432/edu_student_aid');
    expect(c.messaging.urls).toEqual(['amqp://guest:guest@127.0.0.1:5672']);
    expect(c.messaging.namespace).toBe('edu');
  });

  it('runs the service as the runtime role, the migrations as the owner', () => {
    const local = readServiceConfig('student-aid', 3002, {}, () => ({}));
    expect(local.database.runtimeUrl).toBe('postgres://edu_app@127.0.0.1:5432/edu_student_aid');
    const compose = readServiceConfig(
      'student-aid',
      3002,
      {
        PG_SERVER: 'postgres://postgres:pw@db:5432',
        DB_RUNTIME_ROLE: 'aid_app',
        DB_RUNTIME_PASSWORD: 'p@ss',
      },
      () => ({}),
    );
    expect(compose.database).toMatchObject({
      url: 'postgres://postgres:pw@db:5432/edu_student_aid',
      runtimeUrl: 'postgres://aid_app:p%40ss@db:5432/edu_student_aid',
    });
    const explicit = readServiceConfig(
      'x',
      1,
      { DATABASE_URL: 'postgres://owner:a@h/db', DATABASE_RUNTIME_URL: 'postgres://app:b@h/db' },
      () => ({}),
    );
    expect(explicit.database).toMatchObject({
      url: 'postgres://owner:a@h/db',
      runtimeUrl: 'postgres://app:b@h/db',
    });
    expect(() => readServiceConfig('x', 1, { DB_RUNTIME_ROLE: 'App-Role' }, () => ({}))).toThrow(
      /DB_RUNTIME_ROLE must be a lower-case SQL name/,
    );
  });

  it('reads AMQP_URLS as a comma-separated list of broker nodes', () => {
    const c = readServiceConfig(
      'x',
      1,
      { AMQP_URLS: ' amqp://u:p@rabbit-1:5672 , amqps://u:p@rabbit-2:5671,,amqp://u:p@rabbit-3 ' },
      () => ({}),
    );
    expect(c.messaging.urls).toEqual([
      'amqp://u:p@rabbit-1:5672',
      'amqps://u:p@rabbit-2:5671',
      'amqp://u:p@rabbit-3',
    ]);
    expect(() =>
      readServiceConfig('x', 1, { AMQP_URLS: 'amqp://rabbit-1,rabbit-2:5672' }, () => ({})),
    ).toThrow(/AMQP_URLS must be a comma-separated list/);
  });

  it('names every bad variable in one error', () => {
    let error: unknown;
    try {
      readServiceConfig('x', 1, { PORT: 'abc', AMQP_URLS: 'http://nope', NODE_ENV: 'production' }, (r) => ({
        sweep: r.int('SWEEP_INTERVAL_MS', 60000, 1000),
      }));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).toMatch(/PORT must be a whole number/);
    expect(message).toMatch(/AMQP_URLS must be/);
    expect(message).toMatch(/JWT_JWKS_URL must be set in production/);
    expect(message).toMatch(/STUDENT_KEY_SECRET must be set in production/);
  });

  it('refuses the HS256 development secret in production and reads the JWKS settings', () => {
    const prod = { NODE_ENV: 'production', STUDENT_KEY_SECRET: 's'.repeat(40) };
    expect(() =>
      readServiceConfig(
        'x',
        1,
        { ...prod, JWT_SECRET: 'x'.repeat(40), JWT_JWKS_URL: 'https://id.example/certs' },
        () => ({}),
      ),
    ).toThrow(/JWT_SECRET \(HS256 development tokens\) is refused when NODE_ENV=production/);
    expect(() =>
      readServiceConfig('x', 1, { ...prod, JWT_JWKS_URL: 'http://id.example/certs' }, () => ({})),
    ).toThrow(/JWT_JWKS_URL must be an https:\/\/ URL in production/);
    const c = readServiceConfig(
      'x',
      1,
      {
        ...prod,
        JWT_JWKS_URL: 'https://id.example/realms/edu/protocol/openid-connect/certs',
        JWT_ISSUER: 'https://id.example/realms/edu',
        JWT_ROLE_CLAIM: 'realm_access.roles',
      },
      () => ({}),
    );
    expect(c.auth).toEqual({
      secret: '',
      issuer: 'https://id.example/realms/edu',
      audience: 'edu-services',
      jwksUrl: 'https://id.example/realms/edu/protocol/openid-connect/certs',
      roleClaim: 'realm_access.roles',
      countyClaim: 'county',
    });
    expect(() => readServiceConfig('x', 1, { JWT_SECRET: 'short' }, () => ({}))).toThrow(
      /JWT_SECRET must be at least 32 characters/,
    );
  });

  it('validates service-specific values too', () => {
    expect(() =>
      readServiceConfig('x', 1, { SWEEP_INTERVAL_MS: '5' }, (r) => r.int('SWEEP_INTERVAL_MS', 60000, 1000)),
    ).toThrow(/SWEEP_INTERVAL_MS must be a whole number from 1000/);
  });
});
