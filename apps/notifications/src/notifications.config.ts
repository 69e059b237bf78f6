import { readServiceConfig, type ServiceConfig } from '@edu/service';

export interface NotificationsSettings {
  /** `smpp://system_id:password@host:port[?source_addr=...]`; unset: a local sink in-process (development). */
  smppUrl?: string;
  /** `smtp://[user:pass@]host:port` (or smtps://); unset: a local sink in-process (development). */
  smtpUrl?: string;
  emailFrom: string;
  /** The SMS signature, sent as 【教育局】 at the start of every text. */
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

export function readNotificationsConfig(
  env: Record<string, string | undefined> = process.env,
): NotificationsConfig {
  return readServiceConfig('notifications', 3005, env, (r) => {
    const settings: NotificationsSettings = {
      smppUrl: r.url('SMPP_URL', undefined, ['smpp', 'ssmpp']),
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
    // Local sinks swallow every message: never acceptable where officials expect notices.
    if (env.NODE_ENV === 'production') {
      if (!settings.smppUrl) r.fail('SMPP_URL must be set in production (local sinks are for development)');
      if (!settings.smtpUrl) r.fail('SMTP_URL must be set in production (local sinks are for development)');
    }
    return settings;
  });
}
