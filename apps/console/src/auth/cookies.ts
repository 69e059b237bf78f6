import type { IncomingMessage, ServerResponse } from 'node:http';

export const SESSION_COOKIE = 'edu_console';
export const LOGIN_COOKIE = 'edu_console_login';

/** The request's cookies by name (the first of a repeated name wins). */
export function readCookies(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const name = part.slice(0, eq).trim();
    if (!name || name in out) continue;
    try {
      out[name] = decodeURIComponent(part.slice(eq + 1).trim());
    } catch {
      // a malformed value is ignored, as if absent
    }
  }
  return out;
}

export interface CookieOptions {
  secure: boolean;
  /** Seconds; 0 deletes the cookie. */
  maxAge: number;
  path?: string;
  /** Strict for the session; Lax for the login cookie, which must survive the provider's redirect back. */
  sameSite?: 'Strict' | 'Lax';
}

export function cookieHeader(name: string, value: string, o: CookieOptions): string {
  return [
    `${name}=${encodeURIComponent(value)}`,
    `Path=${o.path ?? '/'}`,
    `Max-Age=${Math.max(0, Math.floor(o.maxAge))}`,
    'HttpOnly',
    `SameSite=${o.sameSite ?? 'Strict'}`,
    ...(o.secure ? ['Secure'] : []),
  ].join('; ');
}

/** Adds a Set-Cookie header, keeping those already set. */
export function appendCookie(res: ServerResponse, header: string): void {
  const current = res.getHeader('set-cookie');
  const list = Array.isArray(current) ? current : current === undefined ? [] : [String(current)];
  res.setHeader('set-cookie', [...list, header]);
}
