import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { INestApplication } from '@nestjs/common';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { DEV_AUTH_DEFAULTS, signToken } from '@edu/auth';
import { startConsole } from '../src/console.app.js';
import { readConsoleConfig, UPSTREAMS, type ConsoleConfig } from '../src/console.config.js';

/*
 * The console server over real sockets: the proxy (token, streaming, what it refuses), the
 * sign-in (a pasted development token; the OIDC authorization code flow with PKCE against a
 * provider on 127.0.0.1) and the static app.
 */

const listen = (server: Server) =>
  new Promise<string>((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`),
    ),
  );

async function bodyOf(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req as AsyncIterable<Buffer>) chunks.push(c);
  return Buffer.concat(chunks);
}

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  sha256: string;
  bytes: number;
}

/** Stands in for the five services: records what reaches it. */
async function fakeService() {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    void bodyOf(req).then((body) => {
      seen.push({
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        sha256: createHash('sha256').update(body).digest('hex'),
        bytes: body.length,
      });
      res.writeHead(200, {
        'content-type': 'application/json',
        'x-total-count': '42',
        'set-cookie': 'upstream=1',
      });
      res.end(JSON.stringify({ ok: true }));
    });
  });
  return { url: await listen(server), seen, close: () => new Promise((r) => server.close(r)) };
}

function staticDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'console-static-'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>console</title>');
  const js = 'console.log("app");'.repeat(50);
  writeFileSync(join(dir, 'assets', 'app-1.js'), js);
  writeFileSync(join(dir, 'assets', 'app-1.js.gz'), gzipSync(js));
  return dir;
}

async function boot(
  env: Record<string, string>,
  upstream: string,
): Promise<{ app: INestApplication; url: string }> {
  const base = readConsoleConfig({ ...env, HOST: '127.0.0.1', LOG_LEVEL: 'error' });
  const config: ConsoleConfig = {
    ...base,
    port: 0,
    upstreams: Object.fromEntries(
      UPSTREAMS.map((u) => [u.name, new URL(upstream)]),
    ) as ConsoleConfig['upstreams'],
    staticDir: staticDir(),
  };
  const app = await startConsole(config);
  const { port } = app.getHttpServer().address() as AddressInfo;
  return { app, url: `http://127.0.0.1:${port}` };
}

const cookieOf = (res: Response, name: string) =>
  res.headers
    .getSetCookie()
    .find((c) => c.startsWith(`${name}=`))
    ?.split(';')[0];

describe('console server', () => {
  let service: Awaited<ReturnType<typeof fakeService>>;
  let console_: { app: INestApplication; url: string };
  let token: string;

  beforeAll(async () => {
    service = await fakeService();
    console_ = await boot({}, service.url);
    token = await signToken({ sub: 'op-1', role: 'county_operator', county: '150821' }, DEV_AUTH_DEFAULTS);
  });

  afterAll(async () => {
    await console_?.app.close();
    await service?.close();
  });

  const signIn = async (t = token) => {
    const res = await fetch(`${console_.url}/auth/dev-token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token: t }),
    });
    return { res, cookie: cookieOf(res, 'edu_console') };
  };

  it('forwards nothing without a session', async () => {
    const res = await fetch(`${console_.url}/api/supervision/escalations`);
    expect(res.status).toBe(401);
    expect(service.seen).toHaveLength(0);
  });

  it('signs in with a development token into an HttpOnly, SameSite=Strict cookie', async () => {
    const bad = await signIn(
      await signToken({ sub: 'x', role: 'city_admin' }, { ...DEV_AUTH_DEFAULTS, secret: 'y'.repeat(40) }),
    );
    expect(bad.res.status).toBe(401);
    expect(bad.cookie).toBeUndefined();
    const { res, cookie } = await signIn();
    expect(res.status).toBe(200);
    await expect(res.json()).resolves.toMatchObject({
      sub: 'op-1',
      role: 'county_operator',
      county: '150821',
    });
    expect(res.headers.getSetCookie()[0]).toMatch(
      /^edu_console=.+; Path=\/; Max-Age=\d+; HttpOnly; SameSite=Strict$/,
    );
    const me = await fetch(`${console_.url}/auth/me`, { headers: { cookie: cookie ?? '' } });
    await expect(me.json()).resolves.toMatchObject({ sub: 'op-1', county: '150821' });
  });

  it("proxies /api/<service>/… with the user's token, not the cookie, and passes the total back", async () => {
    const { cookie } = await signIn();
    const res = await fetch(`${console_.url}/api/dropout-control/cases?county=150821&limit=20`, {
      headers: { cookie: `${cookie}; other=1` },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-total-count')).toBe('42');
    expect(res.headers.getSetCookie()).toEqual([]);
    const last = service.seen.at(-1) as Seen;
    expect(last.url).toBe('/api/cases?county=150821&limit=20');
    expect(last.headers.authorization).toBe(`Bearer ${token}`);
    expect(last.headers.cookie).toBeUndefined();
  });

  it('streams an upload through whole', async () => {
    const { cookie } = await signIn();
    const body = randomBytes(6 * 1024 * 1024);
    const res = await fetch(`${console_.url}/api/student-aid/payments/import?importId=x`, {
      method: 'POST',
      headers: { cookie: cookie ?? '', 'content-type': 'text/csv' },
      body,
    });
    expect(res.status).toBe(200);
    const last = service.seen.at(-1) as Seen;
    expect(last).toMatchObject({
      method: 'POST',
      url: '/api/payments/import?importId=x',
      bytes: body.length,
    });
    expect(last.sha256).toBe(createHash('sha256').update(body).digest('hex'));
  });

  it('refuses cross-site posts, unknown services and paths out of /api', async () => {
    const { cookie } = await signIn();
    const n = service.seen.length;
    const cross = await fetch(`${console_.url}/api/supervision/escalations/x/ack`, {
      method: 'POST',
      headers: { cookie: cookie ?? '', origin: 'https://evil.example' },
    });
    expect(cross.status).toBe(403);
    expect((await fetch(`${console_.url}/api/billing/x`, { headers: { cookie: cookie ?? '' } })).status).toBe(
      404,
    );
    expect(
      (await fetch(`${console_.url}/api/supervision/%2e%2e/metrics`, { headers: { cookie: cookie ?? '' } }))
        .status,
    ).toBe(404);
    expect(service.seen.length).toBe(n);
  });

  it('serves the app: index.html for page paths, gzip assets, 404 for a missing asset', async () => {
    const page = await fetch(`${console_.url}/dropout/cases/abc`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<title>console</title>');
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(page.headers.get('cache-control')).toBe('no-cache');
    const asset = await fetch(`${console_.url}/assets/app-1.js`, { headers: { 'accept-encoding': 'gzip' } });
    expect(asset.headers.get('content-encoding')).toBe('gzip');
    expect(asset.headers.get('cache-control')).toContain('immutable');
    expect(await asset.text()).toContain('console.log("app")');
    expect((await fetch(`${console_.url}/assets/gone-2.js`)).status).toBe(404);
    expect((await fetch(`${console_.url}/health/live`)).status).toBe(200);
  });
});

describe('console OIDC sign-in (authorization code with PKCE)', () => {
  let provider: Server;
  let issuer: string;
  let service: Awaited<ReturnType<typeof fakeService>>;
  let console_: { app: INestApplication; url: string };
  const codes = new Map<string, { challenge: string; nonce: string; redirect: string }>();
  const exchanges: URLSearchParams[] = [];

  beforeAll(async () => {
    const { publicKey, privateKey } = await generateKeyPair('RS256');
    const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
    provider = createServer((req, res) => {
      const url = new URL(req.url ?? '/', issuer);
      const json = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      if (url.pathname === '/.well-known/openid-configuration')
        return json(200, {
          issuer,
          authorization_endpoint: `${issuer}/authorize`,
          token_endpoint: `${issuer}/token`,
          jwks_uri: `${issuer}/jwks`,
        });
      if (url.pathname === '/jwks') return json(200, { keys: [jwk] });
      if (url.pathname === '/authorize') {
        // The user signs in at the provider; it sends the browser back with a code.
        const q = url.searchParams;
        if (q.get('code_challenge_method') !== 'S256' || !q.get('code_challenge')) return json(400, {});
        const code = randomBytes(8).toString('hex');
        codes.set(code, {
          challenge: q.get('code_challenge') ?? '',
          nonce: q.get('nonce') ?? '',
          redirect: q.get('redirect_uri') ?? '',
        });
        res.writeHead(302, { location: `${q.get('redirect_uri')}?code=${code}&state=${q.get('state')}` });
        return res.end();
      }
      if (url.pathname === '/token')
        return void bodyOf(req).then(async (raw) => {
          const form = new URLSearchParams(raw.toString());
          exchanges.push(form);
          const grant = codes.get(form.get('code') ?? '');
          const verifier = form.get('code_verifier') ?? '';
          const s256 = createHash('sha256').update(verifier).digest('base64url');
          if (!grant || grant.challenge !== s256 || grant.redirect !== form.get('redirect_uri'))
            return json(400, { error: 'invalid_grant' });
          codes.delete(form.get('code') ?? '');
          const idToken = await new SignJWT({ nonce: grant.nonce })
            .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
            .setIssuer(issuer)
            .setAudience('console')
            .setSubject('zhao.min')
            .setIssuedAt()
            .setExpirationTime('5m')
            .sign(privateKey);
          // The access token is what the services verify (JWT_JWKS_URL): the provider's key, with a role.
          const accessToken = await new SignJWT({ role: 'aid_auditor' })
            .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
            .setIssuer(issuer)
            .setAudience('edu-services')
            .setSubject('zhao.min')
            .setIssuedAt()
            .setExpirationTime('1h')
            .sign(privateKey);
          json(200, { access_token: accessToken, id_token: idToken, token_type: 'Bearer', expires_in: 3600 });
        });
      json(404, {});
    });
    issuer = await listen(provider);
    service = await fakeService();
    console_ = await boot(
      {
        CONSOLE_AUTH: 'oidc',
        OIDC_ISSUER: issuer,
        OIDC_CLIENT_ID: 'console',
        CONSOLE_PUBLIC_URL: 'http://console.test',
        // As the services are configured in production: the provider's keys and issuer.
        JWT_JWKS_URL: `${issuer}/jwks`,
        JWT_ISSUER: issuer,
        JWT_AUDIENCE: 'edu-services',
      },
      service.url,
    );
  });

  afterAll(async () => {
    await console_?.app.close();
    await service?.close();
    await new Promise((r) => provider?.close(r));
  });

  /** What a browser does: to the provider and back to the console's callback. */
  async function login(tamper?: (callback: URL) => void) {
    const start = await fetch(`${console_.url}/auth/login?returnTo=${encodeURIComponent('/aid?tab=queue')}`, {
      redirect: 'manual',
    });
    expect(start.status).toBe(302);
    const authorize = new URL(start.headers.get('location') ?? '');
    expect(authorize.origin + authorize.pathname).toBe(`${issuer}/authorize`);
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    const loginCookie = cookieOf(start, 'edu_console_login') ?? '';
    const back = await fetch(authorize, { redirect: 'manual' });
    const callback = new URL(back.headers.get('location') ?? '');
    tamper?.(callback);
    return fetch(`${console_.url}${callback.pathname}${callback.search}`, {
      headers: { cookie: loginCookie },
      redirect: 'manual',
    });
  }

  it('signs in through the provider, proving the verifier, and proxies with its access token', async () => {
    expect((await fetch(`${console_.url}/auth/config`).then((r) => r.json())) as object).toEqual({
      mode: 'oidc',
    });
    expect((await fetch(`${console_.url}/auth/dev-token`, { method: 'POST', body: '{}' })).status).toBe(404);
    const done = await login();
    expect(done.status).toBe(302);
    expect(done.headers.get('location')).toBe('/aid?tab=queue');
    expect(exchanges.at(-1)?.get('code_verifier')).toMatch(/^[A-Za-z0-9_-]{43,128}$/);
    const session = cookieOf(done, 'edu_console') ?? '';
    const me = await fetch(`${console_.url}/auth/me`, { headers: { cookie: session } });
    await expect(me.json()).resolves.toMatchObject({ sub: 'zhao.min', role: 'aid_auditor' });
    await fetch(`${console_.url}/api/student-aid/entitlement-runs`, { headers: { cookie: session } });
    expect(service.seen.at(-1)?.headers.authorization).toMatch(/^Bearer ey/);
  });

  it('refuses a callback whose state is not the one it sent', async () => {
    const done = await login((cb) => cb.searchParams.set('state', 'forged'));
    expect(done.status).toBe(302);
    expect(done.headers.get('location')).toBe('/signin?error=state_mismatch');
    expect(cookieOf(done, 'edu_console')).toBeUndefined();
  });
});
