import type { AuthConfig } from '@edu/auth';
import { EnvReader, readAuthConfig } from '@edu/service';
import { fileURLToPath } from 'node:url';

/** The five services behind `/api/<service>/…`, with the variable that moves each. */
export const UPSTREAMS = [
  { name: 'dropout-control', variable: 'DROPOUT_CONTROL_URL', port: 3001 },
  { name: 'student-aid', variable: 'STUDENT_AID_URL', port: 3002 },
  { name: 'school-construction', variable: 'SCHOOL_CONSTRUCTION_URL', port: 3003 },
  { name: 'supervision', variable: 'SUPERVISION_URL', port: 3004 },
  { name: 'notifications', variable: 'NOTIFICATIONS_URL', port: 3005 },
] as const;

export type UpstreamName = (typeof UPSTREAMS)[number]['name'];

export const CONSOLE_PORT = 3006;

export interface OidcSettings {
  issuer: string;
  clientId: string;
  /** Absent for a public client (PKCE alone). */
  clientSecret?: string;
  /** Where the provider sends the browser back: `<public URL>/auth/callback`. */
  redirectUri: string;
  scopes: string;
}

export interface ConsoleConfig {
  nodeEnv: 'development' | 'test' | 'production';
  host: string;
  port: number;
  logLevel: 'fatal' | 'error' | 'warn' | 'log' | 'debug' | 'verbose';
  /** `dev`: paste a token from `npm run token`; `oidc`: authorization code flow with PKCE. */
  authMode: 'dev' | 'oidc';
  oidc?: OidcSettings;
  /** How the console and the services verify tokens (the same variables as the services). */
  auth: AuthConfig;
  upstreams: Record<UpstreamName, URL>;
  /** The built single-page app. */
  staticDir: string;
  /** Cookies marked Secure (served over HTTPS). */
  secureCookies: boolean;
}

export const CONSOLE_CONFIG = Symbol('CONSOLE_CONFIG');

const DEFAULT_STATIC = fileURLToPath(new URL('../../../console/public', import.meta.url));

/** Reads and checks the console's environment; one error names every bad variable. */
export function readConsoleConfig(env: Record<string, string | undefined> = process.env): ConsoleConfig {
  const r = new EnvReader(env);
  const nodeEnv = r.oneOf('NODE_ENV', ['development', 'test', 'production'] as const, 'development');
  const production = nodeEnv === 'production';
  const authMode = r.oneOf('CONSOLE_AUTH', ['dev', 'oidc'] as const, production ? 'oidc' : 'dev');
  if (production && authMode === 'dev')
    r.fail('CONSOLE_AUTH=dev (pasted development tokens) is refused when NODE_ENV=production');
  const publicUrl = r.url('CONSOLE_PUBLIC_URL', undefined, ['http', 'https']);
  let oidc: OidcSettings | undefined;
  if (authMode === 'oidc') {
    const issuer = r.url('OIDC_ISSUER', undefined, ['http', 'https']);
    const clientId = r.optional('OIDC_CLIENT_ID');
    if (!issuer) r.fail('OIDC_ISSUER must be set when CONSOLE_AUTH=oidc');
    if (!clientId) r.fail('OIDC_CLIENT_ID must be set when CONSOLE_AUTH=oidc');
    if (!publicUrl)
      r.fail('CONSOLE_PUBLIC_URL must be set when CONSOLE_AUTH=oidc (the callback is built from it)');
    oidc = {
      issuer: issuer ?? '',
      clientId: clientId ?? '',
      clientSecret: r.optional('OIDC_CLIENT_SECRET'),
      redirectUri: publicUrl ? new URL('/auth/callback', publicUrl).href : '',
      scopes: r.str('OIDC_SCOPES', 'openid profile'),
    };
  }
  const upstreams = {} as Record<UpstreamName, URL>;
  for (const u of UPSTREAMS) {
    upstreams[u.name] = new URL(r.url(u.variable, `http://127.0.0.1:${u.port}`, ['http', 'https']) ?? '');
  }
  const config: ConsoleConfig = {
    nodeEnv,
    host: r.str('HOST', '0.0.0.0'),
    port: r.int('PORT', CONSOLE_PORT, 1, 65535),
    logLevel: r.oneOf('LOG_LEVEL', ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'] as const, 'log'),
    authMode,
    oidc,
    // Exactly as the services verify: their variables, their rules (JWKS in production).
    auth: readAuthConfig(r, nodeEnv),
    upstreams,
    staticDir: r.str('CONSOLE_STATIC_DIR', DEFAULT_STATIC),
    secureCookies: r.bool('CONSOLE_SECURE_COOKIES', production || publicUrl?.startsWith('https:') === true),
  };
  r.done();
  return config;
}
