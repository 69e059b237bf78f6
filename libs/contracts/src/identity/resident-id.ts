import { createHmac } from 'node:crypto';

/** Why a resident ID number was refused; never includes the number itself. */
export type ResidentIdProblem = 'format' | 'birth_date' | 'check_digit';

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARS = '10X98765432';
const SHAPE = /^\d{17}[\dX]$/;

/** ISO 7064 MOD 11-2 check character for the first 17 digits. */
export function residentIdCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i];
  return CHECK_CHARS[sum % 11];
}

/** Validates shape, birth date (digits 7-14) and check character; returns the problem or null. */
export function residentIdProblem(value: string): ResidentIdProblem | null {
  const id = value.toUpperCase();
  if (!SHAPE.test(id)) return 'format';
  const y = Number(id.slice(6, 10));
  const m = Number(id.slice(10, 12));
  const d = Number(id.slice(12, 14));
  const date = new Date(Date.UTC(y, m - 1, d));
  if (y < 1900 || date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) {
    return 'birth_date';
  }
  if (residentIdCheckChar(id.slice(0, 17)) !== id[17]) return 'check_digit';
  return null;
}

export function isValidResidentId(value: string): boolean {
  return residentIdProblem(value) === null;
}

/** Birth date (YYYY-MM-DD) encoded in a valid resident ID number. */
export function residentIdBirthDate(value: string): string {
  return `${value.slice(6, 10)}-${value.slice(10, 12)}-${value.slice(12, 14)}`;
}

/** `150802********123X`: region kept, birth date and sequence hidden. */
export function maskResidentId(value: string): string {
  return `${value.slice(0, 6)}********${value.slice(14)}`;
}

/**
 * The key services use to correlate a student without sharing the ID number:
 * HMAC-SHA256 of the upper-cased number under a secret all services share.
 */
export function studentKeyOf(residentId: string, secret: string): string {
  return createHmac('sha256', secret).update(residentId.toUpperCase()).digest('hex');
}

/** Matches anything shaped like a resident ID number inside free text. */
export const RESIDENT_ID_PATTERN = /(?<![\dA-Za-z])\d{17}[\dXx](?![\dA-Za-z])/;
