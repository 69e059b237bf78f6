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
        JWT_SECRET: 'x'.repeat(40),
        STUDENT_KEY_SECRET: 'y'.repeat(40),
      }),
    ).toThrow(/SMPP_URL must be set in production[\s\S]*SMTP_URL must be set in production/);
  });
});
