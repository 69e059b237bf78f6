import { randomUUID } from 'node:crypto';
import { DeliveryFailure } from '../../domain/delivery-failure.js';
import type { SmsTemplateCall } from '../../domain/render-notice.js';
import type { SmsDeliveryReceipt, SmsSendResult } from '../sms-gateway.js';
import { aliyunCanonicalQuery, aliyunSignature, aliyunTimestamp } from './aliyun-signature.js';
import { classify, field, HttpSmsGateway, reportArray } from './http-sms-gateway.js';

export const ALIYUN_SMS_URL = 'https://dysmsapi.aliyuncs.com';
export const ALIYUN_SMS_VERSION = '2017-05-25';

/*
 * Aliyun's documented SendSms error codes. `isv.*` are the caller's (number, template,
 * signature, account: the same message fails again) except the flow controls and the
 * balance, which pass; `isp.*` are the service's own and pass.
 */
const RULES = {
  transient: [
    /^isv\.(BUSINESS_LIMIT_CONTROL|DAY_LIMIT_CONTROL|AMOUNT_NOT_ENOUGH|OUT_OF_SERVICE)$/,
    /^isp\.(?!RAM_PERMISSION_DENY$)/,
    /^Throttling/,
    /^ServiceUnavailable/,
    /^InternalError/,
    /^SignatureNonceUsed$/,
    /^InvalidTimeStamp\.Expired$/,
  ],
  permanent: [
    /^isv\./,
    /^isp\.RAM_PERMISSION_DENY$/,
    /^SignatureDoesNotMatch$/,
    /^InvalidAccessKeyId/,
    /^Forbidden/,
    /^MissingParameter/,
    /^InvalidParameter/,
    /^IncompleteSignature$/,
  ],
};

export function aliyunFailure(code: string, message: string): DeliveryFailure {
  return new DeliveryFailure(`aliyun ${code}: ${message}`, classify(code, RULES) === 'permanent');
}

/** Aliyun wants domestic numbers without the country code, other countries' with it. */
export function aliyunPhone(to: string): string {
  const digits = to.replace(/^\+/, '');
  return to.startsWith('+86') && digits.length === 13 ? digits.slice(2) : digits;
}

/**
 * Aliyun SMS (dysmsapi 2017-05-25) `SendSms`: PhoneNumbers, SignName, TemplateCode and the
 * TemplateParam JSON, signed with the RPC HMAC-SHA1 scheme and POSTed form-encoded. The answer's
 * `BizId` is the id its receipts (SmsReport) carry.
 */
export class AliyunSmsGateway extends HttpSmsGateway {
  readonly provider = 'aliyun' as const;

  protected async sendTemplate(
    to: string,
    template: SmsTemplateCall,
    reference: string | undefined,
  ): Promise<SmsSendResult> {
    const params: Record<string, string> = {
      AccessKeyId: this.options.accessKeyId,
      Action: 'SendSms',
      Format: 'JSON',
      RegionId: this.options.region,
      SignatureMethod: 'HMAC-SHA1',
      SignatureNonce: randomUUID(),
      SignatureVersion: '1.0',
      Timestamp: aliyunTimestamp(this.clock()),
      Version: ALIYUN_SMS_VERSION,
      PhoneNumbers: aliyunPhone(to),
      SignName: template.signName,
      TemplateCode: template.code,
      TemplateParam: JSON.stringify(Object.fromEntries(template.params.map((p) => [p.name, p.value]))),
    };
    if (reference) params.OutId = reference;
    const signature = aliyunSignature(this.options.accessKeySecret, 'POST', params);
    const body = aliyunCanonicalQuery({ ...params, Signature: signature });
    const { status, json } = await this.post(
      new URL('/', this.options.url).toString(),
      { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8', accept: 'application/json' },
      body,
    );
    const code = field(json, 'Code');
    const bizId = field(json, 'BizId');
    if (code === 'OK' && bizId) return { messageId: bizId, partIds: [bizId] };
    if (!code) throw new DeliveryFailure(`aliyun SendSms: HTTP ${status} without a Code`, status < 500);
    throw aliyunFailure(code, field(json, 'Message'));
  }

  /** SmsReport push: `[{ biz_id, success, err_code, err_msg, phone_number, ... }]`. */
  parseReports(body: unknown): SmsDeliveryReceipt[] {
    return reportArray(body, 'aliyun').map((r) => {
      const messageId = field(r, 'biz_id');
      if (!messageId) throw new Error('aliyun receipt without biz_id');
      const delivered = field(r, 'success') === 'true';
      return { messageId, delivered, state: field(r, 'err_code') || (delivered ? 'DELIVERED' : 'FAILED') };
    });
  }

  reportAnswer(): unknown {
    return { code: 0, msg: '成功' };
  }
}
