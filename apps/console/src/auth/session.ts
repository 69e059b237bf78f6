import { Inject, Injectable } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { decodeJwt } from 'jose';
import { InvalidToken, verifyToken, type Principal } from '@edu/auth';
import { CONSOLE_CONFIG, type ConsoleConfig } from '../console.config.js';
import { appendCookie, cookieHeader, readCookies, SESSION_COOKIE } from './cookies.js';

export interface Session {
  principal: Principal;
  /** The user's token, sent on to the services. */
  token: string;
  /** Seconds since the epoch. */
  expiresAt: number;
}

/**
 * The signed-in user is their token, kept in an HttpOnly, SameSite=Strict cookie: page
 * scripts never see it, other sites cannot send it, and any replica of the console can
 * check it (the same verification the services do).
 */
@Injectable()
export class SessionStore {
  constructor(@Inject(CONSOLE_CONFIG) private readonly config: ConsoleConfig) {}

  /** The session a token opens, or InvalidToken when the services would refuse it. */
  async open(token: string): Promise<Session> {
    const principal = await verifyToken(token, this.config.auth);
    const exp = decodeJwt(token).exp as number;
    return { principal, token, expiresAt: exp };
  }

  async read(req: IncomingMessage): Promise<Session | null> {
    const token = readCookies(req)[SESSION_COOKIE];
    if (!token) return null;
    try {
      return await this.open(token);
    } catch (e) {
      if (e instanceof InvalidToken) return null;
      throw e;
    }
  }

  write(res: ServerResponse, session: Session): void {
    const maxAge = session.expiresAt - Math.floor(Date.now() / 1000);
    appendCookie(
      res,
      cookieHeader(SESSION_COOKIE, session.token, { secure: this.config.secureCookies, maxAge }),
    );
  }

  clear(res: ServerResponse): void {
    appendCookie(res, cookieHeader(SESSION_COOKIE, '', { secure: this.config.secureCookies, maxAge: 0 }));
  }
}
