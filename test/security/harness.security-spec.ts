import 'reflect-metadata';
import { Controller, Get, Module, Post } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import {
  AuthModule,
  DEV_AUTH_DEFAULTS,
  Public,
  Roles,
  signToken,
  type AuthConfig,
  type Principal,
} from '@edu/auth';
import { configureApp } from '@edu/service';
import { checks, unexplainedExpressRoutes, PUBLIC_ROUTES, routesOf } from './support/route-security.js';
import type { RunningService } from './support/services.js';

/*
 * The route checks must catch what they are for: a route somebody made public without
 * listing it, a route served around Nest (so around the guard), a state-changing route a
 * viewer may call. This boots such an application and runs the same checks on it.
 */
@Controller('api/careless')
class CarelessController {
  @Get('guarded')
  guarded() {
    return { ok: true };
  }

  @Get('opened')
  @Public()
  opened() {
    return { secrets: 'all of them' };
  }

  @Post('change')
  @Roles('city_admin', 'viewer')
  change() {
    return { changed: true };
  }
}

@Module({ imports: [AuthModule.forRoot(DEV_AUTH_DEFAULTS)], controllers: [CarelessController] })
class CarelessModule {}

/** The same controller in a service that forgot the auth module: no route has a guard. */
@Module({ controllers: [CarelessController] })
class UnguardedModule {}

/** Boots `module` as the services boot, with the parts of RunningService the route checks use. */
async function boot(module: unknown): Promise<RunningService> {
  const app = await NestFactory.create(module as never, { logger: false });
  configureApp(app);
  // Served by Express directly: no Nest guard ever sees it.
  app
    .getHttpAdapter()
    .get('/api/careless/raw', (_req: unknown, res: { json(b: unknown): void }) => res.json({ raw: true }));
  await app.listen(0, '127.0.0.1');
  const url = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
  const token = (who: Principal, auth: Partial<AuthConfig> = {}) =>
    signToken(who, { ...DEV_AUTH_DEFAULTS, ...auth });
  return {
    app,
    url,
    config: { auth: DEV_AUTH_DEFAULTS },
    token,
    call: async (method: string, path: string, who?: Principal | string) => {
      const headers: Record<string, string> = {};
      if (who !== undefined)
        headers.authorization = `Bearer ${typeof who === 'string' ? who : await token(who)}`;
      const res = await fetch(`${url}${path}`, { method, headers });
      return {
        status: res.status,
        text: await res.text(),
        headers: res.headers,
        raw: Buffer.alloc(0),
        body: null,
      };
    },
  } as unknown as RunningService;
}

describe('the route checks catch unguarded routes', () => {
  let svc: RunningService;

  beforeAll(async () => {
    svc = await boot(CarelessModule);
  });
  afterAll(() => svc?.app.close());

  it('finds the route Express serves around Nest', () => {
    expect(unexplainedExpressRoutes(svc)).toEqual(['GET /api/careless/raw']);
  });

  it('finds the public route nobody listed', () => {
    const unlisted = routesOf(svc).filter((r) => r.public && !PUBLIC_ROUTES[r.key]);
    expect(unlisted.map((r) => r.key)).toEqual(['GET /api/careless/opened']);
  });

  it('sees that the guarded routes answer 401 without a token', async () => {
    expect(await checks.noToken(svc)).toEqual([]);
    expect((await svc.call('GET', '/api/careless/raw')).status).toBe(200);
  });

  it('fails a state-changing route a viewer may call', async () => {
    expect(await checks.roles(svc, '150821')).toEqual(['POST /api/careless/change: a viewer may call it']);
  });
});

describe('the route checks catch a service without the guard', () => {
  let svc: RunningService;

  beforeAll(async () => {
    svc = await boot(UnguardedModule);
  });
  afterAll(() => svc?.app.close());

  it('fails every route that answers without a token', async () => {
    expect(await checks.noToken(svc)).toEqual([
      'GET /api/careless/guarded: 200 without a token',
      'POST /api/careless/change: 201 without a token',
    ]);
  });

  it('fails every route that takes a forged token', async () => {
    const failures = await checks.forged(svc);
    expect(failures).toContain('GET /api/careless/guarded: 200 with alg none');
    expect(failures).toContain('POST /api/careless/change: 201 with expired');
    // Both routes, with each of the seven forged tokens.
    expect(failures).toHaveLength(14);
  });

  it('fails the roles a route does not admit, when nothing refuses them', async () => {
    expect(await checks.roles(svc, '150821')).toEqual([
      'POST /api/careless/change: a viewer may call it',
      'POST /api/careless/change: county_operator got 201, not 403',
      'POST /api/careless/change: aid_auditor got 201, not 403',
    ]);
  });
});
