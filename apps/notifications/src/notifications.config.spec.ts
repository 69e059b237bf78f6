import { readNotificationsConfig } from './notifications.config.js';

describe('readNotificationsConfig', () => {
  it('defaults to local sinks and the documented settings', () => {
    const c = readNotificationsConfig({});
    expect(c).toMatchObject({
      service: 'notifications',
      port: 3005,
      emailFrom: 'edu-supervision@localhost',
      smsSignName: '教育局',
      dispatchIntervalMs: 500,
      maxAttempts: 8,
    });
    expect(c.smppUrl).toBeUndefined();
    expect(c.smtpUrl).toBeUndefined();
  });

  it('reads the channel URLs and sender', () => {
    const c = readNotificationsConfig({
      SMPP_URL: 'smpp://edu:secret@smsc.example:2775',
      SMTP_URL: 'smtp://mail.example:587',
      EMAIL_FROM: '教育督导 <noreply@edu.example>',
      NOTIFY_MAX_ATTEMPTS: '3',
    });
    expect(c).toMatchObject({ smppUrl: 'smpp://edu:secret@smsc.example:2775', maxAttempts: 3 });
  });

  it('names every bad variable without echoing URLs (they may hold passwords)', () => {
    let message = '';
    try {
      readNotificationsConfig({
        SMPP_URL: 'http://edu:topsecret@smsc:2775',
        SMTP_URL: 'not a url',
        EMAIL_FROM: 'nobody',
        DISPATCH_INTERVAL_MS: '-1',
      });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain('SMPP_URL must be a URL starting with smpp:// or ssmpp://');
    expect(message).toContain('SMTP_URL must be a URL starting with smtp:// or smtps://');
    expect(message).toContain('EMAIL_FROM must be an email address');
    expect(message).toContain('DISPATCH_INTERVAL_MS must be a whole number');
    expect(message).not.toContain('topsecret');
  });

  it('refuses local sinks in production', () => {
    expect(() =>
      readNotificationsConfig({
        NODE_ENV: 'production',
        JWT_JWKS_URL: 'https://id.example/certs',
        STUDENT_KEY_SECRET: 'y'.repeat(40),
      }),
    ).toThrow(/SMPP_URL must be set in production[\s\S]*SMTP_URL must be set in production/);
  });

  it('has no quiet hours outside production, office hours in it, and the issue-7 defaults', () => {
    expect(readNotificationsConfig({})).toMatchObject({
      smsProvider: 'smpp',
      smsSendWindow: 'always',
      smsSendTimeZone: 'Asia/Shanghai',
      smsReceiptTimeoutMs: 3_600_000,
      smsRatePerSecond: 20,
      emailRatePerSecond: 10,
    });
    const prod = readNotificationsConfig({
      NODE_ENV: 'production',
      JWT_JWKS_URL: 'https://id.example/certs',
      STUDENT_KEY_SECRET: 'y'.repeat(40),
      SMPP_URL: 'smpp://a:b@smsc.example:2775',
      SMTP_URL: 'smtp://mail.example:25',
    });
    expect(prod.smsSendWindow).toBe('08:30-17:30');
  });

  it('reads an HTTP SMS provider with its defaults', () => {
    const c = readNotificationsConfig({
      SMS_PROVIDER: 'tencent',
      SMS_ACCESS_KEY_ID: 'AKIDexample',
      SMS_ACCESS_KEY_SECRET: 'secret',
      SMS_SDK_APP_ID: '1400000000',
      SMS_RECEIPT_TOKEN: 'a-long-random-receipt-token',
    });
    expect(c).toMatchObject({
      smsProvider: 'tencent',
      smsApiUrl: 'https://sms.tencentcloudapi.com',
      smsRegion: 'ap-guangzhou',
      smsSdkAppId: '1400000000',
    });
    expect(
      readNotificationsConfig({
        SMS_PROVIDER: 'aliyun',
        SMS_ACCESS_KEY_ID: 'LTAIexample',
        SMS_ACCESS_KEY_SECRET: 'secret',
        SMS_RECEIPT_TIMEOUT_MS: '0',
      }),
    ).toMatchObject({ smsApiUrl: 'https://dysmsapi.aliyuncs.com', smsRegion: 'cn-hangzhou' });
  });

  it('names what an HTTP provider, the window and the limits are missing', () => {
    let message = '';
    try {
      readNotificationsConfig({
        SMS_PROVIDER: 'tencent',
        SMS_SEND_WINDOW: '8-17',
        SMS_SEND_TIME_ZONE: 'Asia/Shanghai',
        SMS_RATE_PER_SECOND: '-1',
        SMS_RECEIPT_TOKEN: 'short',
      });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain(
      'SMS_ACCESS_KEY_ID and SMS_ACCESS_KEY_SECRET must be set when SMS_PROVIDER is tencent',
    );
    expect(message).toContain('SMS_SDK_APP_ID must be set');
    expect(message).toContain('SMS_SEND_WINDOW must be HH:MM-HH:MM');
    expect(message).toContain('SMS_RATE_PER_SECOND must be a whole number');
    expect(message).toContain('SMS_RECEIPT_TOKEN must be at least 16 characters');
    expect(() =>
      readNotificationsConfig({ SMS_PROVIDER: 'aliyun', SMS_ACCESS_KEY_ID: 'a', SMS_ACCESS_KEY_SECRET: 'b' }),
    ).toThrow(/SMS_RECEIPT_TOKEN must be set when SMS_PROVIDER is aliyun/);
    expect(() => readNotificationsConfig({ SMS_SEND_TIME_ZONE: 'Mars/Olympus' })).toThrow(
      /SMS_SEND_TIME_ZONE/,
    );
  });
});
