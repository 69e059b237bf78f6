import {
  BadRequestException,
  Controller,
  Get,
  HttpCode,
  Inject,
  Logger,
  NotFoundException,
  Post,
  Query,
  Req,
  Res,
  UnauthorizedException,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import { InvalidToken } from '@edu/auth';
import { CONSOLE_CONFIG, type ConsoleConfig } from '../console.config.js';
import { appendCookie, cookieHeader, LOGIN_COOKIE, readCookies } from './cookies.js';
import { OidcClient, OidcError, type PendingLogin } from './oidc-client.js';
import { SessionStore, type Session } from './session.js';

const LOGIN_TTL_S = 600;

/** A path inside the console, so a crafted `returnTo` cannot send the user elsewhere. */
function localPath(value: unknown): string {
  return typeof value === 'string' && /^\/(?![/\\])/.test(value) ? value : '/';
}

async function jsonBody(req: Request, limit = 16 * 1024): Promise<Record<string, unknown>> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new BadRequestException('body too large');
    chunks.push(chunk);
  }
  try {
    const value: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
    if (typeof value !== 'object' || value === null) throw new Error('not an object');
    return value as Record<string, unknown>;
  } catch {
    throw new BadRequestException('send a JSON object');
  }
}

const me = (s: Session) => ({ ...s.principal, expiresAt: new Date(s.expiresAt * 1000).toISOString() });

/** Sign-in: a pasted development token, or the OIDC authorization code flow with PKCE. */
@Controller('auth')
export class AuthController {
  private readonly logger = new Logger(AuthController.name);
  private readonly oidc?: OidcClient;

  constructor(
    @Inject(CONSOLE_CONFIG) private readonly config: ConsoleConfig,
    private readonly sessions: SessionStore,
  ) {
    if (config.oidc) this.oidc = new OidcClient(config.oidc);
  }

  @Get('config')
  mode() {
    return { mode: this.config.authMode };
  }

  @Get('me')
  async whoAmI(@Req() req: Request) {
    const session = await this.sessions.read(req);
    if (!session) throw new UnauthorizedException('not signed in');
    return me(session);
  }

  /** Development only: the token printed by `npm run token`. */
  @Post('dev-token')
  @HttpCode(200)
  async devToken(@Req() req: Request, @Res({ passthrough: true }) res: Response) {
    if (this.config.authMode !== 'dev') throw new NotFoundException();
    const { token } = await jsonBody(req);
    if (typeof token !== 'string' || token.trim() === '') throw new BadRequestException('token is required');
    try {
      const session = await this.sessions.open(token.trim());
      this.sessions.write(res, session);
      return me(session);
    } catch (e) {
      if (e instanceof InvalidToken) throw new UnauthorizedException(`the token is not valid (${e.message})`);
      throw e;
    }
  }

  @Get('login')
  async login(@Query('returnTo') returnTo: string | undefined, @Res() res: Response) {
    if (!this.oidc) throw new NotFoundException();
    const { url, pending } = await this.oidc.start(localPath(returnTo));
    appendCookie(
      res,
      cookieHeader(LOGIN_COOKIE, JSON.stringify(pending), {
        secure: this.config.secureCookies,
        maxAge: LOGIN_TTL_S,
        path: '/auth',
        sameSite: 'Lax',
      }),
    );
    res.redirect(302, url);
  }

  @Get('callback')
  async callback(@Req() req: Request, @Query() q: Record<string, string | undefined>, @Res() res: Response) {
    if (!this.oidc) throw new NotFoundException();
    appendCookie(
      res,
      cookieHeader(LOGIN_COOKIE, '', { secure: this.config.secureCookies, maxAge: 0, path: '/auth' }),
    );
    const fail = (reason: string) => res.redirect(302, `/signin?error=${encodeURIComponent(reason)}`);
    let pending: PendingLogin;
    try {
      pending = JSON.parse(readCookies(req)[LOGIN_COOKIE] ?? '') as PendingLogin;
    } catch {
      return fail('login_expired');
    }
    if (q.error) return fail(q.error);
    if (!q.code || !q.state || q.state !== pending.state) return fail('state_mismatch');
    try {
      const { accessToken } = await this.oidc.finish(q.code, pending);
      this.sessions.write(res, await this.sessions.open(accessToken));
      res.redirect(302, localPath(pending.returnTo));
    } catch (e) {
      if (e instanceof InvalidToken) return fail('token_refused');
      if (e instanceof OidcError) {
        this.logger.warn(`sign-in failed: ${e.message}`);
        return fail('provider_error');
      }
      throw e;
    }
  }

  @Post('logout')
  @HttpCode(200)
  async logout(@Res({ passthrough: true }) res: Response) {
    this.sessions.clear(res);
    const back = this.config.oidc ? new URL('/signin', this.config.oidc.redirectUri).href : '/signin';
    return { redirect: (await this.oidc?.logoutUrl(back)) ?? '/signin' };
  }
}
