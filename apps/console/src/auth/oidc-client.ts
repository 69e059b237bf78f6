import { createRemoteJWKSet, jwtVerify, type JWTVerifyGetKey } from 'jose';
import type { OidcSettings } from '../console.config.js';
import { pkcePair, randomToken } from './pkce.js';

interface ProviderMetadata {
  issuer: string;
  authorization_endpoint: string;
  token_endpoint: string;
  jwks_uri: string;
  end_session_endpoint?: string;
}

/** What the console keeps (in an HttpOnly cookie) between the redirect out and the callback. */
export interface PendingLogin {
  state: string;
  nonce: string;
  verifier: string;
  /** Where the browser was going (a path of the console). */
  returnTo: string;
}

export class OidcError extends Error {}

/**
 * The authorization code flow with PKCE (S256) against a configurable issuer: discovery,
 * the authorization redirect, the code exchange at the token endpoint, and the ID token's
 * signature (the provider's JWKS), issuer, audience and nonce checked.
 */
export class OidcClient {
  private metadata?: Promise<ProviderMetadata>;
  private jwks?: JWTVerifyGetKey;

  constructor(private readonly settings: OidcSettings) {}

  private discover(): Promise<ProviderMetadata> {
    this.metadata ??= (async () => {
      const base = this.settings.issuer.replace(/\/$/, '');
      const res = await fetch(`${base}/.well-known/openid-configuration`);
      if (!res.ok) throw new OidcError(`the issuer's discovery document answered ${res.status}`);
      const m = (await res.json()) as ProviderMetadata;
      if (m.issuer.replace(/\/$/, '') !== base)
        throw new OidcError('the discovery document names another issuer');
      for (const k of ['authorization_endpoint', 'token_endpoint', 'jwks_uri'] as const)
        if (typeof m[k] !== 'string') throw new OidcError(`the discovery document has no ${k}`);
      this.jwks = createRemoteJWKSet(new URL(m.jwks_uri));
      return m;
    })();
    // A failed discovery is tried again at the next sign-in.
    this.metadata.catch(() => (this.metadata = undefined));
    return this.metadata;
  }

  /** The provider's authorization URL and what must be kept until the callback. */
  async start(returnTo: string): Promise<{ url: string; pending: PendingLogin }> {
    const m = await this.discover();
    const { verifier, challenge } = pkcePair();
    const pending: PendingLogin = { state: randomToken(), nonce: randomToken(), verifier, returnTo };
    const url = new URL(m.authorization_endpoint);
    url.search = new URLSearchParams({
      response_type: 'code',
      client_id: this.settings.clientId,
      redirect_uri: this.settings.redirectUri,
      scope: this.settings.scopes,
      state: pending.state,
      nonce: pending.nonce,
      code_challenge: challenge,
      code_challenge_method: 'S256',
    }).toString();
    return { url: url.href, pending };
  }

  /** Exchanges the code; returns the access token (what the services verify) once the ID token checks out. */
  async finish(code: string, pending: PendingLogin): Promise<{ accessToken: string; idToken: string }> {
    const m = await this.discover();
    const body = new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      redirect_uri: this.settings.redirectUri,
      client_id: this.settings.clientId,
      code_verifier: pending.verifier,
    });
    const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
    if (this.settings.clientSecret) {
      const basic = `${encodeURIComponent(this.settings.clientId)}:${encodeURIComponent(this.settings.clientSecret)}`;
      headers.authorization = `Basic ${Buffer.from(basic).toString('base64')}`;
    }
    const res = await fetch(m.token_endpoint, { method: 'POST', headers, body });
    const tokens = (await res.json().catch(() => ({}))) as {
      access_token?: string;
      id_token?: string;
      error?: string;
    };
    if (!res.ok || !tokens.access_token || !tokens.id_token)
      throw new OidcError(`the token endpoint refused the code (${tokens.error ?? res.status})`);
    try {
      const { payload } = await jwtVerify(tokens.id_token, this.jwks as JWTVerifyGetKey, {
        issuer: m.issuer,
        audience: this.settings.clientId,
      });
      if (payload.nonce !== pending.nonce) throw new OidcError('the ID token carries another nonce');
    } catch (e) {
      if (e instanceof OidcError) throw e;
      throw new OidcError(`the ID token does not verify (${(e as { code?: string }).code ?? 'invalid'})`);
    }
    return { accessToken: tokens.access_token, idToken: tokens.id_token };
  }

  /** The provider's logout URL, when it has one. */
  async logoutUrl(postLogoutRedirect: string): Promise<string | null> {
    const m = await this.discover().catch(() => null);
    if (!m?.end_session_endpoint) return null;
    const url = new URL(m.end_session_endpoint);
    url.searchParams.set('client_id', this.settings.clientId);
    url.searchParams.set('post_logout_redirect_uri', postLogoutRedirect);
    return url.href;
  }
}
