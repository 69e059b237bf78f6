const ID_NUMBERS = /(?<![\dA-Za-z])\d{17}[\dXx](?![\dA-Za-z])/g;

/*
 * A quoted value holding Chinese characters is data, not a message: Postgres quotes the
 * offending value (`invalid input syntax for type uuid: "张三"`), JSON.parse quotes a piece
 * of the body, and log messages never quote Chinese text of their own.
 */
const HAN = /[\u3400-\u9fff\uf900-\ufaff]/;
const QUOTED = /"((?:[^"\\\n]|\\.){0,400})"|'((?:[^'\\\n]|\\.){0,400})'|\(([^()\n]{0,400})\)/g;

/** Replaces anything shaped like a resident ID number, and quoted Chinese values; applied to every log line. */
export function redact(text: string): string {
  return text
    .replace(ID_NUMBERS, '[id-redacted]')
    .replace(QUOTED, (all: string, d?: string, s?: string, p?: string) => {
      const inner = d ?? s ?? p ?? '';
      if (!HAN.test(inner)) return all;
      const [open, close] = d !== undefined ? ['"', '"'] : s !== undefined ? ["'", "'"] : ['(', ')'];
      return `${open}[redacted]${close}`;
    });
}

/*
 * Keys whose values are a person's name or ID number whatever they look like (a 15-digit
 * first-generation ID number, a name in Latin letters). Officials' and organisations' names
 * use other keys (officialName, schoolName, signName …) and are kept.
 */
const PERSON_KEYS = new Set(
  [
    'name',
    'studentname',
    'childname',
    'fullname',
    'guardianname',
    'guardian',
    'parentname',
    'householdhead',
    'householdheadname',
    'idnumber',
    'id_number',
    'studentidnumber',
    'student_id_number',
    'residentid',
    'residentidnumber',
    'resident_id',
    'idcard',
    'id_card',
  ].map((k) => k.toLowerCase()),
);

/** Is this a key whose value is a child's name or ID number? */
export function isPersonKey(key: string): boolean {
  return PERSON_KEYS.has(key.toLowerCase());
}

export interface RedactOptions {
  /** What replaces a value under a person key (default a fixed marker). */
  mask?: (key: string, value: unknown) => unknown;
  /** What every other string becomes (default `redact`). */
  text?: (value: string) => string;
}

/**
 * A copy of a value fit for a log line or an audit row: every string through `text` (ID
 * numbers and quoted Chinese values redacted), names and ID numbers under person keys
 * through `mask`. Cycles and depth beyond 8 are cut.
 */
export function redactValue(value: unknown, options: RedactOptions = {}): unknown {
  const mask = options.mask ?? (() => '[redacted]');
  const text = options.text ?? redact;
  const seen = new WeakSet<object>();
  const walk = (v: unknown, depth: number): unknown => {
    if (typeof v === 'string') return text(v);
    if (v === null || typeof v !== 'object') return v;
    if (v instanceof Date) return v.toISOString();
    if (Buffer.isBuffer(v)) return `[${v.length} bytes]`;
    if (seen.has(v) || depth > 8) return '[…]';
    seen.add(v);
    if (Array.isArray(v)) return v.map((x) => walk(x, depth + 1));
    // No prototype: a "__proto__" key from a parsed body stays a plain key.
    const out = Object.create(null) as Record<string, unknown>;
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
      out[k] =
        isPersonKey(k) && x !== null && x !== undefined && typeof x !== 'object'
          ? mask(k, x)
          : walk(x, depth + 1);
    }
    return out;
  };
  return walk(value, 0);
}
