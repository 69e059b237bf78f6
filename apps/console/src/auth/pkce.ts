import { createHash, randomBytes } from 'node:crypto';

/** A PKCE verifier (RFC 7636: 43-128 characters of the unreserved set) and its S256 challenge. */
export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(48).toString('base64url');
  return { verifier, challenge: s256(verifier) };
}

export function s256(verifier: string): string {
  return createHash('sha256').update(verifier).digest('base64url');
}

/** An unguessable value for `state` and `nonce`. */
export function randomToken(): string {
  return randomBytes(24).toString('base64url');
}
