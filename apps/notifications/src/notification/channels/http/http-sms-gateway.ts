import { DeliveryFailure } from '../../domain/delivery-failure.js';
import type { SmsTemplateCall } from '../../domain/render-notice.js';
import type {
  SmsDeliveryReceipt,
  SmsExtras,
  SmsGateway,
  SmsReceiptListener,
  SmsSendResult,
} from '../sms-gateway.js';

export interface HttpSmsOptions {
  /** The API endpoint, e.g. https://dysmsapi.aliyuncs.com or https://sms.tencentcloudapi.com. */
  url: string;
  /** Aliyun AccessKey ID / Tencent SecretId. */
  accessKeyId: string;
  /** Aliyun AccessKey secret / Tencent SecretKey. */
  accessKeySecret: string;
  /** Tencent SmsSdkAppId (unused by Aliyun). */
  appId?: string;
  /** Aliyun RegionId / Tencent X-TC-Region. */
  region: string;
  timeoutMs?: number;
  /** For request timestamps (signatures expire after minutes). */
  clock?: () => Date;
}

/** A provider's answer: the classification of its error codes decides retry or fallback. */
export function classify(
  code: string,
  rules: { transient: RegExp[]; permanent: RegExp[] },
): 'transient' | 'permanent' {
  if (rules.transient.some((r) => r.test(code))) return 'transient';
  if (rules.permanent.some((r) => r.test(code))) return 'permanent';
  // Unknown codes are retried up to the attempt limit, as SMPP's vendor-specific ones are.
  return 'transient';
}

/**
 * What Aliyun's and Tencent's `SendSms` adapters share: a signed HTTPS call with a timeout,
 * network failures and 5xx/429 answers retried, and delivery receipts pushed to us over HTTP
 * (`POST /api/sms-receipts/<provider>`) handed to the listener.
 */
export abstract class HttpSmsGateway implements SmsGateway {
  abstract readonly provider: 'aliyun' | 'tencent';
  protected readonly timeoutMs: number;
  protected readonly clock: () => Date;

  constructor(protected readonly options: HttpSmsOptions) {
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.clock = options.clock ?? (() => new Date());
  }

  start(): void {
    // Stateless HTTPS: nothing to connect.
  }

  /** Receipts come as pushes to our API (AcceptSmsReportsHandler), not over a link. */
  onReceipt(_listener: SmsReceiptListener): void {
    // Nothing to listen on.
  }

  async close(): Promise<void> {
    // Nothing held open.
  }

  async send(to: string, _text: string, extras: SmsExtras = {}): Promise<SmsSendResult> {
    const template = extras.template;
    if (!template?.code || !template.signName) {
      throw new DeliveryFailure(
        `${this.provider} sends registered templates only; this message has none`,
        true,
      );
    }
    return this.sendTemplate(to, template, extras.reference);
  }

  protected abstract sendTemplate(
    to: string,
    template: SmsTemplateCall,
    reference: string | undefined,
  ): Promise<SmsSendResult>;

  /** The provider's receipt push format → receipts; throws on a body that is not one. */
  abstract parseReports(body: unknown): SmsDeliveryReceipt[];

  /** The body the provider expects back once a push is recorded. */
  abstract reportAnswer(): unknown;

  /** POSTs and reads a JSON answer; no answer, a 5xx or a 429 is a transient failure. */
  protected async post(
    url: string,
    headers: Record<string, string>,
    body: string,
  ): Promise<{ status: number; json: unknown }> {
    let res: Response;
    try {
      res = await fetch(url, {
        method: 'POST',
        headers,
        body,
        signal: AbortSignal.timeout(this.timeoutMs),
        redirect: 'error',
      });
    } catch (e) {
      const reason =
        e instanceof Error ? (e.cause instanceof Error ? e.cause.message : e.message) : String(e);
      throw new DeliveryFailure(`${this.provider} SendSms: no answer (${reason})`, false);
    }
    const text = await res.text().catch(() => '');
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    if (json === undefined) {
      const permanent = res.status >= 400 && res.status < 500 && res.status !== 429 && res.status !== 408;
      throw new DeliveryFailure(
        `${this.provider} SendSms: HTTP ${res.status} without a JSON answer`,
        permanent,
      );
    }
    return { status: res.status, json };
  }
}

/** Reads a field of an unknown JSON object as a string ('' when absent). */
export function field(obj: unknown, name: string): string {
  if (!obj || typeof obj !== 'object') return '';
  const v = (obj as Record<string, unknown>)[name];
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? String(v) : '';
}

export function reportArray(body: unknown, provider: string): unknown[] {
  const list = Array.isArray(body) ? body : body && typeof body === 'object' ? [body] : null;
  if (!list) throw new Error(`${provider} receipt push must be a JSON array`);
  return list as unknown[];
}
