import { createHash, createHmac } from 'node:crypto';

/**
 * Tencent Cloud API 3.0 signature TC3-HMAC-SHA256 for a POST with a JSON body:
 * a canonical request (method, `/`, empty query, the signed headers lowercased and sorted,
 * the hex SHA-256 of the body), a string to sign scoped to the UTC date and service, and an
 * HMAC-SHA256 key derived from `TC3` + SecretKey through the date, the service and
 * `tc3_request`.
 */
export interface Tc3Request {
  secretId: string;
  secretKey: string;
  /** e.g. `sms` — the first label of the product's host. */
  service: string;
  /** Header name → value; must include content-type and host. */
  headers: Record<string, string>;
  payload: string;
  /** Seconds since the epoch (X-TC-Timestamp). */
  timestamp: number;
}

const sha256Hex = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
const hmac = (key: string | Buffer, text: string) => createHmac('sha256', key).update(text, 'utf8').digest();

export function tc3Date(timestamp: number): string {
  return new Date(timestamp * 1000).toISOString().slice(0, 10);
}

export function tc3CanonicalRequest(
  headers: Record<string, string>,
  payload: string,
): {
  canonical: string;
  signedHeaders: string;
} {
  const entries = Object.entries(headers)
    .map(([k, v]) => [k.trim().toLowerCase(), v.trim().toLowerCase()] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const canonicalHeaders = entries.map(([k, v]) => `${k}:${v}\n`).join('');
  const signedHeaders = entries.map(([k]) => k).join(';');
  return {
    canonical: ['POST', '/', '', canonicalHeaders, signedHeaders, sha256Hex(payload)].join('\n'),
    signedHeaders,
  };
}

export function tc3Signature(r: Tc3Request): {
  authorization: string;
  signature: string;
  stringToSign: string;
} {
  const date = tc3Date(r.timestamp);
  const scope = `${date}/${r.service}/tc3_request`;
  const { canonical, signedHeaders } = tc3CanonicalRequest(r.headers, r.payload);
  const stringToSign = ['TC3-HMAC-SHA256', String(r.timestamp), scope, sha256Hex(canonical)].join('\n');
  const secretDate = hmac(`TC3${r.secretKey}`, date);
  const secretService = hmac(secretDate, r.service);
  const secretSigning = hmac(secretService, 'tc3_request');
  const signature = createHmac('sha256', secretSigning).update(stringToSign, 'utf8').digest('hex');
  return {
    signature,
    stringToSign,
    authorization: `TC3-HMAC-SHA256 Credential=${r.secretId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`,
  };
}
