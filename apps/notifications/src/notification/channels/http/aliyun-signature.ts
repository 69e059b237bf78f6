import { createHmac } from 'node:crypto';

/**
 * Aliyun RPC signature, version 1.0 (HMAC-SHA1), as the SendSms API (dysmsapi, 2017-05-25)
 * requires: parameters sorted by name, names and values percent-encoded leaving only
 * A-Z a-z 0-9 - _ . ~ literal, `METHOD&%2F&<encoded canonical query>` signed with the
 * AccessKey secret followed by `&`, Base64.
 */
export function aliyunPercentEncode(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

export function aliyunCanonicalQuery(params: Record<string, string>): string {
  return Object.keys(params)
    .sort()
    .map((k) => `${aliyunPercentEncode(k)}=${aliyunPercentEncode(params[k])}`)
    .join('&');
}

export function aliyunStringToSign(method: string, params: Record<string, string>): string {
  return `${method.toUpperCase()}&${aliyunPercentEncode('/')}&${aliyunPercentEncode(aliyunCanonicalQuery(params))}`;
}

/** The Signature parameter for `params` (which must not include Signature itself). */
export function aliyunSignature(secret: string, method: string, params: Record<string, string>): string {
  return createHmac('sha1', `${secret}&`).update(aliyunStringToSign(method, params), 'utf8').digest('base64');
}

/** Timestamp in the form Aliyun wants: UTC, whole seconds, `2016-02-23T12:46:24Z`. */
export function aliyunTimestamp(at: Date): string {
  return at.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
