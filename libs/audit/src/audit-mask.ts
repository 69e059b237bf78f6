import { maskResidentId } from '@edu/contracts';
import { redactValue } from '@edu/observability';

const ID_NUMBERS = /(?<![\dA-Za-z])\d{17}[\dXx](?![\dA-Za-z])/g;

/** `张**`: the first character kept, so that a reviewer can tell rows apart. */
export function maskName(name: string): string {
  const chars = [...name.trim()];
  if (chars.length === 0) return '';
  return chars[0] + '*'.repeat(Math.max(1, chars.length - 1));
}

/** An ID number under a person key, whatever its shape (a 15-digit first-generation one too). */
function maskIdLike(value: string): string {
  return value.length >= 15 ? maskResidentId(value) : '*'.repeat(value.length);
}

/** Any ID-shaped text masked as `150802********123X`. */
export function maskIdNumbers(text: string): string {
  return text.replace(ID_NUMBERS, (id) => maskResidentId(id));
}

/** What a secret's value becomes in the audit log. */
export const SECRET_MASK = '[secret]';

/**
 * Keys whose values are credentials: a receipt push's `token`, keys, secrets, passwords,
 * signatures, authorization and cookie headers. Compared without case, `-` and `_`.
 */
const SECRET_KEY =
  /(token|secret|passw(or)?d|passwd|pwd|passphrase|signature|credentials?|authorization|cookie|apikey|accesskey|accesskeyid|privatekey|secretkey|sessionid)$|^(key|sig|sign|auth|otp)$/;

export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key.toLowerCase().replace(/[-_\s]/g, ''));
}

/** `...?token=abc&x=1`, `password: abc`, `Bearer abc` inside free text. */
const SECRET_IN_TEXT =
  /((?:^|[?&;,\s"'{])[\w.-]*?(?:token|secret|passw(?:or)?d|pwd|signature|api[-_]?key|access[-_]?key(?:[-_]?id)?|(?<![a-z])key|(?<![a-z])sig)["']?\s*[=:]\s*["']?)([^&\s"',;}]+)/gi;
const BEARER = /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/g;

/** Credentials in free text masked: query parameters and `name: value` pairs named like secrets. */
export function maskSecretsInText(text: string): string {
  return text
    .replace(SECRET_IN_TEXT, (_m, name: string) => `${name}${SECRET_MASK}`)
    .replace(BEARER, '$1 ' + SECRET_MASK);
}

/** Every value under a secret-like key replaced, whatever its type (a repeated query parameter is an array). */
export function maskSecrets(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return maskSecretsInText(value);
  if (value === null || typeof value !== 'object' || depth > 8) return value;
  if (value instanceof Date || Buffer.isBuffer(value)) return value;
  if (Array.isArray(value)) return value.map((x) => maskSecrets(x, depth + 1));
  const out = Object.create(null) as Record<string, unknown>;
  for (const [k, x] of Object.entries(value as Record<string, unknown>)) {
    out[k] =
      isSecretKey(k) && x !== null && x !== undefined && x !== '' ? SECRET_MASK : maskSecrets(x, depth + 1);
  }
  return out;
}

/**
 * A request or response as the audit log keeps it: credentials (under secret-like keys, or as
 * query parameters in text) replaced by `[secret]`, resident ID numbers masked wherever they
 * appear, children's names (under person keys) masked to their first character.
 */
export function maskForAudit(value: unknown): unknown {
  return redactValue(maskSecrets(value), {
    text: maskIdNumbers,
    mask: (key, v) => {
      const s = String(v);
      return /id|card/i.test(key) ? maskIdLike(s) : maskName(s);
    },
  });
}

const MAX_JSON = 16 * 1024;

/** Masked, and cut to a summary when large (an import's rows stay in its own tables). */
export function auditJson(value: unknown): unknown {
  if (value === undefined) return null;
  const masked = maskForAudit(value);
  const text = JSON.stringify(masked) ?? 'null';
  if (text.length <= MAX_JSON) return masked;
  return {
    truncated: true,
    bytes: text.length,
    ...(masked && typeof masked === 'object' && !Array.isArray(masked)
      ? { keys: Object.keys(masked).slice(0, 50) }
      : Array.isArray(masked)
        ? { items: masked.length }
        : {}),
  };
}
