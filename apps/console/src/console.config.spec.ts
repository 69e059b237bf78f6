import { readConsoleConfig } from './console.config.js';

describe('console configuration', () => {
  it('defaults to development sign-in and the five local services', () => {
    const c = readConsoleConfig({});
    expect(c.authMode).toBe('dev');
    expect(c.port).toBe(3006);
    expect(c.upstreams.supervision.href).toBe('http://127.0.0.1:3004/');
    expect(c.secureCookies).toBe(false);
  });

  it('refuses pasted tokens and the development secret in production, and needs the issuer', () => {
    expect(() => readConsoleConfig({ NODE_ENV: 'production', CONSOLE_AUTH: 'dev' })).toThrow(
      /CONSOLE_AUTH=dev[\s\S]*JWT_JWKS_URL must be set/,
    );
    expect(() =>
      readConsoleConfig({
        NODE_ENV: 'production',
        JWT_SECRET: 'x'.repeat(40),
        JWT_JWKS_URL: 'https://id/certs',
      }),
    ).toThrow(
      /OIDC_ISSUER must be set[\s\S]*OIDC_CLIENT_ID[\s\S]*CONSOLE_PUBLIC_URL[\s\S]*JWT_SECRET \(HS256 development tokens\) is refused/,
    );
    const c = readConsoleConfig({
      NODE_ENV: 'production',
      JWT_JWKS_URL: 'https://id.example.cn/realms/edu/protocol/openid-connect/certs',
      OIDC_ISSUER: 'https://id.example.cn/realms/edu',
      OIDC_CLIENT_ID: 'console',
      CONSOLE_PUBLIC_URL: 'https://console.example.cn',
    });
    expect(c.oidc?.redirectUri).toBe('https://console.example.cn/auth/callback');
    expect(c.secureCookies).toBe(true);
    expect(c.auth.jwksUrl).toBe('https://id.example.cn/realms/edu/protocol/openid-connect/certs');
  });
});
