import { readServiceConfig, type ServiceConfig } from '@edu/service';
import { ALIYUN_SMS_URL } from './notification/channels/http/aliyun-sms-gateway.js';
import { TENCENT_SMS_URL } from './notification/channels/http/tencent-sms-gateway.js';
import { SMS_PROVIDERS, type SmsProvider } from './notification/channels/sms-gateway.js';
import { SendWindow } from './notification/domain/send-window.js';

export interface NotificationsSettings {
  /** Which SMS gateway sends: SMPP 3.4, or Aliyun's or Tencent Cloud's `SendSms` over HTTPS. */
  smsProvider: SmsProvider;
  /** `smpp://system_id:password@host:port[?source_addr=...]`; unset: a local sink in-process (development). */
  smppUrl?: string;
  /** The HTTP provider's endpoint (defaults to the provider's public one). */
  smsApiUrl: string;
  /** Aliyun AccessKey ID and secret, or Tencent SecretId and SecretKey. */
  smsAccessKeyId?: string;
  smsAccessKeySecret?: string;
  /** Tencent SmsSdkAppId. */
  smsSdkAppId?: string;
  /** Aliyun RegionId / Tencent region. */
  smsRegion: string;
  /** Shared secret the HTTP providers' receipt pushes carry (`?token=`); unset: pushes refused. */
  smsReceiptToken?: string;
  /** An SMS with no final receipt this long after it was sent counts as failed (0: wait forever). */
  smsReceiptTimeoutMs: number;
  /** Messages per second handed to the SMS provider, and to the mail server, across all replicas (0: no limit). */
  smsRatePerSecond: number;
  emailRatePerSecond: number;
  /** When SMS may go out, e.g. `08:30-17:30`, in `smsSendTimeZone`; `always`: no quiet hours. */
  smsSendWindow: string;
  smsSendTimeZone: string;
  /** `smtp://[user:pass@]host:port` (or smtps://); unset: a local sink in-process (development). */
  smtpUrl?: string;
  emailFrom: string;
  /** The SMS signature seeded into the SMS templates on first start (templates carry their own after). */
  smsSignName: string;
  /** How often the dispatcher looks for due messages; 0 turns dispatching off in this process. */
  dispatchIntervalMs: number;
  /** Sends tried per message before it is marked failed. */
  maxAttempts: number;
  /** First retry delay; it doubles per attempt (with jitter) up to `retryMaxMs`. */
  retryBaseMs: number;
  retryMaxMs: number;
  /** How long a claimed message is reserved for its sender; longer than any send can take. */
  leaseMs: number;
}

export type NotificationsConfig = ServiceConfig & NotificationsSettings;

export const NOTIFICATIONS_CONFIG = Symbol('NOTIFICATIONS_CONFIG');

const EMAIL_FROM = /^(?:[^<>]*<[^\s@<>]+@[^\s@<>]+>|[^\s@<>]+@[^\s@<>]+)$/;

/** Officials are texted in office hours only, unless a deployment says otherwise. */
export const PRODUCTION_SEND_WINDOW = '08:30-17:30';

const PROVIDER_DEFAULTS: Record<Exclude<SmsProvider, 'smpp'>, { url: string; region: string }> = {
  aliyun: { url: ALIYUN_SMS_URL, region: 'cn-hangzhou' },
  tencent: { url: TENCENT_SMS_URL, region: 'ap-guangzhou' },
};

export function readNotificationsConfig(
  env: Record<string, string | undefined> = process.env,
): NotificationsConfig {
  const production = env.NODE_ENV === 'production';
  return readServiceConfig('notifications', 3005, env, (r) => {
    const smsProvider = r.oneOf('SMS_PROVIDER', SMS_PROVIDERS, 'smpp');
    const http = smsProvider === 'smpp' ? undefined : PROVIDER_DEFAULTS[smsProvider];
    const settings: NotificationsSettings = {
      smsProvider,
      smppUrl: r.url('SMPP_URL', undefined, ['smpp', 'ssmpp']),
      smsApiUrl: r.url('SMS_API_URL', http?.url ?? ALIYUN_SMS_URL, ['https', 'http']) ?? '',
      smsAccessKeyId: r.optional('SMS_ACCESS_KEY_ID'),
      smsAccessKeySecret: r.optional('SMS_ACCESS_KEY_SECRET'),
      smsSdkAppId: r.optional('SMS_SDK_APP_ID'),
      smsRegion: r.str('SMS_REGION', http?.region ?? ''),
      smsReceiptToken: r.optional('SMS_RECEIPT_TOKEN'),
      smsReceiptTimeoutMs: r.int('SMS_RECEIPT_TIMEOUT_MS', 3_600_000, 0, 7 * 24 * 3_600_000),
      smsRatePerSecond: r.int('SMS_RATE_PER_SECOND', 20, 0, 100_000),
      emailRatePerSecond: r.int('EMAIL_RATE_PER_SECOND', 10, 0, 100_000),
      smsSendWindow: r.str('SMS_SEND_WINDOW', production ? PRODUCTION_SEND_WINDOW : SendWindow.ALWAYS_TEXT),
      smsSendTimeZone: r.str('SMS_SEND_TIME_ZONE', 'Asia/Shanghai'),
      smtpUrl: r.url('SMTP_URL', undefined, ['smtp', 'smtps']),
      emailFrom: r.str('EMAIL_FROM', 'edu-supervision@localhost'),
      smsSignName: r.str('SMS_SIGN_NAME', '教育局'),
      dispatchIntervalMs: r.int('DISPATCH_INTERVAL_MS', 500, 0, 3_600_000),
      maxAttempts: r.int('NOTIFY_MAX_ATTEMPTS', 8, 1, 100),
      retryBaseMs: r.int('NOTIFY_RETRY_BASE_MS', 10_000, 10, 3_600_000),
      retryMaxMs: 3_600_000,
      leaseMs: r.int('NOTIFY_LEASE_MS', 120_000, 5_000, 3_600_000),
    };
    if (!EMAIL_FROM.test(settings.emailFrom)) {
      r.fail('EMAIL_FROM must be an email address, e.g. edu-supervision@example.gov.cn or "Name <a@b>"');
    }
    if (/[【】]/.test(settings.smsSignName)) r.fail('SMS_SIGN_NAME must not include the 【】 brackets');
    if (!SendWindow.knowsZone(settings.smsSendTimeZone)) {
      r.fail('SMS_SEND_TIME_ZONE must be an IANA time zone, e.g. Asia/Shanghai');
    } else if (!SendWindow.parse(settings.smsSendWindow, settings.smsSendTimeZone)) {
      r.fail('SMS_SEND_WINDOW must be HH:MM-HH:MM (e.g. 08:30-17:30) or "always"');
    }
    if (settings.smsProvider !== 'smpp') {
      const name = settings.smsProvider;
      if (!settings.smsAccessKeyId || !settings.smsAccessKeySecret) {
        r.fail(`SMS_ACCESS_KEY_ID and SMS_ACCESS_KEY_SECRET must be set when SMS_PROVIDER is ${name}`);
      }
      if (name === 'tencent' && !settings.smsSdkAppId) {
        r.fail('SMS_SDK_APP_ID must be set when SMS_PROVIDER is tencent');
      }
      if (!settings.smsRegion) r.fail('SMS_REGION must not be empty');
      // Receipts come back only as pushes to /api/sms-receipts: without them every SMS would time out.
      if (settings.smsReceiptTimeoutMs > 0 && !settings.smsReceiptToken) {
        r.fail(
          `SMS_RECEIPT_TOKEN must be set when SMS_PROVIDER is ${name} (its receipts are pushed to ` +
            `/api/sms-receipts/${name}?token=...), or SMS_RECEIPT_TIMEOUT_MS=0`,
        );
      }
      if (production && !settings.smsApiUrl.startsWith('https:')) {
        r.fail('SMS_API_URL must be an https:// URL in production');
      }
    }
    if (settings.smsReceiptToken !== undefined && settings.smsReceiptToken.length < 16) {
      r.fail('SMS_RECEIPT_TOKEN must be at least 16 characters');
    }
    // Local sinks swallow every message: never acceptable where officials expect notices.
    if (production) {
      if (settings.smsProvider === 'smpp' && !settings.smppUrl) {
        r.fail('SMPP_URL must be set in production (local sinks are for development)');
      }
      if (!settings.smtpUrl) r.fail('SMTP_URL must be set in production (local sinks are for development)');
    }
    return settings;
  });
}
