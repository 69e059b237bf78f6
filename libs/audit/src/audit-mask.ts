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

/**
 * A request or response as the audit log keeps it: resident ID numbers masked wherever they
 * appear, children's names (under person keys) masked to their first character.
 */
export function maskForAudit(value: unknown): unknown {
  return redactValue(value, {
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
