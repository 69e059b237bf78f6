import { DeliveryFailure } from '../../domain/delivery-failure.js';
import type { SmsTemplateCall } from '../../domain/render-notice.js';
import type { SmsDeliveryReceipt, SmsSendResult } from '../sms-gateway.js';
import { classify, field, HttpSmsGateway, reportArray } from './http-sms-gateway.js';
import { tc3Signature } from './tencent-signature.js';

export const TENCENT_SMS_URL = 'https://sms.tencentcloudapi.com';
export const TENCENT_SMS_VERSION = '2021-01-11';
const CONTENT_TYPE = 'application/json; charset=utf-8';

/*
 * Tencent Cloud's documented SendSms error codes: frequency and quota limits, internal errors
 * and an empty SMS package pass; failed operations (blacklisted number, unapproved template or
 * signature, sensitive words), invalid or missing parameters and authorization errors do not.
 */
const RULES = {
  transient: [
    /^LimitExceeded\./,
    /^RequestLimitExceeded/,
    /^InternalError/,
    /^FailedOperation\.InsufficientBalanceInSmsPackage$/,
    /^AuthFailure\.SignatureExpire$/,
    /^ResourceUnavailable/,
  ],
  permanent: [
    /^FailedOperation\./,
    /^InvalidParameterValue\./,
    /^InvalidParameter/,
    /^MissingParameter/,
    /^UnknownParameter/,
    /^AuthFailure\./,
    /^UnauthorizedOperation\./,
    /^UnsupportedOperation\./,
    /^ResourceNotFound/,
  ],
};

export function tencentFailure(code: string, message: string): DeliveryFailure {
  return new DeliveryFailure(`tencent ${code}: ${message}`, classify(code, RULES) === 'permanent');
}

/** Tencent wants E.164: a bare 11-digit mainland number gets +86. */
export function tencentPhone(to: string): string {
  if (to.startsWith('+')) return to;
  if (/^1\d{10}$/.test(to)) return `+86${to}`;
  if (/^86\d{11}$/.test(to)) return `+${to}`;
  return `+${to}`;
}

/**
 * Tencent Cloud SMS (2021-01-11) `SendSms`: PhoneNumberSet, SmsSdkAppId, SignName, TemplateId
 * and the positional TemplateParamSet, signed TC3-HMAC-SHA256. The answer's per-number
 * `SendStatusSet[].SerialNo` is the id its status reports (`sid`) carry.
 */
export class TencentSmsGateway extends HttpSmsGateway {
  readonly provider = 'tencent' as const;

  protected async sendTemplate(
    to: string,
    template: SmsTemplateCall,
    reference: string | undefined,
  ): Promise<SmsSendResult> {
    const url = new URL('/', this.options.url);
    const payload = JSON.stringify({
      PhoneNumberSet: [tencentPhone(to)],
      SmsSdkAppId: this.options.appId ?? '',
      SignName: template.signName,
      TemplateId: template.code,
      TemplateParamSet: template.params.map((p) => p.value),
      ...(reference ? { SessionContext: reference } : {}),
    });
    const timestamp = Math.floor(this.clock().getTime() / 1000);
    const signed = { 'content-type': CONTENT_TYPE, host: url.host, 'x-tc-action': 'SendSms' };
    const { authorization } = tc3Signature({
      secretId: this.options.accessKeyId,
      secretKey: this.options.accessKeySecret,
      service: 'sms',
      headers: signed,
      payload,
      timestamp,
    });
    const { status, json } = await this.post(
      url.toString(),
      {
        'Content-Type': CONTENT_TYPE,
        'X-TC-Action': 'SendSms',
        'X-TC-Version': TENCENT_SMS_VERSION,
        'X-TC-Timestamp': String(timestamp),
        'X-TC-Region': this.options.region,
        Authorization: authorization,
      },
      payload,
    );
    const response = (json as { Response?: unknown } | null)?.Response;
    const error = (response as { Error?: unknown } | undefined)?.Error;
    if (error) throw tencentFailure(field(error, 'Code'), field(error, 'Message'));
    const set = (response as { SendStatusSet?: unknown } | undefined)?.SendStatusSet;
    const first: unknown = Array.isArray(set) ? set[0] : undefined;
    if (!first) throw new DeliveryFailure(`tencent SendSms: HTTP ${status} without SendStatusSet`, false);
    const code = field(first, 'Code');
    const serialNo = field(first, 'SerialNo');
    if (code === 'Ok' && serialNo) return { messageId: serialNo, partIds: [serialNo] };
    throw tencentFailure(code || 'Unknown', field(first, 'Message'));
  }

  /** Status report callback: `[{ sid, report_status: SUCCESS|FAIL, errmsg, mobile, ... }]`. */
  parseReports(body: unknown): SmsDeliveryReceipt[] {
    return reportArray(body, 'tencent').map((r) => {
      const messageId = field(r, 'sid');
      if (!messageId) throw new Error('tencent status report without sid');
      const status = field(r, 'report_status');
      return { messageId, delivered: status === 'SUCCESS', state: field(r, 'errmsg') || status || 'UNKNOWN' };
    });
  }

  reportAnswer(): unknown {
    return { result: 0, errmsg: 'OK' };
  }
}
