import { DeliveryFailure } from './delivery-failure.js';
import { Notification, withFallback } from './notification.js';
import type { RetryPolicy } from './retry-policy.js';

const policy: RetryPolicy = { maxAttempts: 3, baseDelayMs: 1000, maxDelayMs: 60_000 };
const t0 = new Date('2020-06-01T08:00:00Z');
const at = (ms: number) => new Date(t0.getTime() + ms);

function sms() {
  return Notification.request({
    id: '0b6f3f6e-8a4e-4c1e-9d0a-2f1c3b4a5d6e',
    requestId: '7d1e6c2a-3b4f-4a5e-8c9d-0e1f2a3b4c5d',
    channel: 'sms',
    kind: 'interview_notice',
    escalationId: '4b0e8a43-4c1f-4e8b-9d3e-3f4b8f2c1a77',
    countyCode: '150821',
    officialId: 'official-1',
    address: '13800000001',
    subject: null,
    text: '【教育局】约谈通知',
    correlationId: 'c1',
    causeEventId: 'e1',
    now: t0,
  });
}

describe('Notification', () => {
  it('is due at once, and claiming it leases it for one attempt', () => {
    const n = sms();
    expect(n.isDue(t0)).toBe(true);
    expect(n.claim('lease-1', t0, 60_000, policy)).toEqual({ send: true, events: [] });
    expect(n.state).toMatchObject({
      status: 'sending',
      attempts: 1,
      leaseId: 'lease-1',
      lockedUntil: at(60_000),
    });
    expect(n.isDue(at(30_000))).toBe(false);
    expect(n.claim('lease-2', at(30_000), 60_000, policy).send).toBe(false);
  });

  it('records a send with the provider ids and raises notification.sent', () => {
    const n = sms();
    n.claim('lease-1', t0, 60_000, policy);
    const events = n.recordSent('lease-1', { messageId: 'm1', partIds: ['m1', 'm2'] }, at(1000));
    expect(events).toEqual([
      {
        key: 'notification.sent.v1',
        data: {
          notificationId: n.state.id,
          requestId: n.state.requestId,
          channel: 'sms',
          officialId: 'official-1',
          providerMessageId: 'm1',
          attempt: 1,
        },
      },
    ]);
    expect(n.state).toMatchObject({ status: 'sent', sentAt: at(1000), leaseId: null, lockedUntil: null });
  });

  it('schedules a transient failure for a retry with backoff, then fails after the last attempt', () => {
    const n = sms();
    n.claim('l1', t0, 60_000, policy);
    expect(n.recordFailure('l1', new DeliveryFailure('throttled', false), t0, policy, () => 0)).toEqual([]);
    expect(n.state).toMatchObject({ status: 'pending', lastError: 'throttled', nextAttemptAt: at(500) });
    expect(n.isDue(at(499))).toBe(false);
    n.claim('l2', at(500), 60_000, policy);
    n.recordFailure('l2', new DeliveryFailure('throttled', false), at(500), policy, () => 0);
    expect(n.state.nextAttemptAt).toEqual(at(1500));
    n.claim('l3', at(1500), 60_000, policy);
    const events = n.recordFailure('l3', new DeliveryFailure('throttled', false), at(1500), policy);
    expect(events.map((e) => e.key)).toEqual(['notification.failed.v1']);
    expect(events[0].data).toMatchObject({ attempt: 3, reason: 'throttled (after 3 attempts)' });
    expect(n.state.status).toBe('failed');
  });

  it('fails a permanent failure at once, without personal data in the reason', () => {
    const n = sms();
    n.claim('l1', t0, 60_000, policy);
    const [event] = n.recordFailure(
      'l1',
      new DeliveryFailure('550 5.1.1 <wang.ming@example.org>: no such user, call 13800000001', true),
      t0,
      policy,
    );
    expect(event.key).toBe('notification.failed.v1');
    const reason = (event.data as { reason: string }).reason;
    expect(reason).toBe('550 5.1.1 <[address]>: no such user, call [number]');
  });

  it('ignores the outcome of a sender whose lease was taken over', () => {
    const n = sms();
    n.claim('old', t0, 60_000, policy);
    expect(n.isDue(at(60_001))).toBe(true);
    n.claim('new', at(60_001), 60_000, policy);
    expect(n.recordSent('old', { messageId: 'late' }, at(60_002))).toEqual([]);
    expect(n.state).toMatchObject({ status: 'sending', attempts: 2, leaseId: 'new' });
  });

  it('fails a message whose last attempt never reported back', () => {
    const n = sms();
    for (let i = 0; i < 3; i++) {
      n.claim(`l${i}`, at(i * 100_000), 60_000, policy);
      if (i < 2)
        n.recordFailure(`l${i}`, new DeliveryFailure('timeout', false), at(i * 100_000), policy, () => 0);
    }
    const { send, events } = n.claim('l9', at(400_000), 60_000, policy);
    expect(send).toBe(false);
    expect(events.map((e) => e.key)).toEqual(['notification.failed.v1']);
    expect(n.state.status).toBe('failed');
  });

  it('is delivered once every part has its receipt', () => {
    const n = sms();
    n.claim('l1', t0, 60_000, policy);
    n.recordSent('l1', { messageId: 'a', partIds: ['a', 'b'] }, t0);
    expect(n.recordReceipts([{ messageId: 'a', state: 'DELIVRD', delivered: true }], at(1))).toEqual([]);
    expect(n.recordReceipts([{ messageId: 'zzz', state: 'DELIVRD', delivered: true }], at(2))).toEqual([]);
    const events = n.recordReceipts([{ messageId: 'b', state: 'DELIVRD', delivered: true }], at(3));
    expect(events).toEqual([
      {
        key: 'notification.delivered.v1',
        data: expect.objectContaining({ notificationId: n.state.id, deliveredAt: at(3).toISOString() }),
      },
    ]);
    expect(n.state.status).toBe('delivered');
    expect(n.recordReceipts([{ messageId: 'b', state: 'DELIVRD', delivered: true }], at(4))).toEqual([]);
  });

  it('fails when the SMS centre reports a part undeliverable', () => {
    const n = sms();
    n.claim('l1', t0, 60_000, policy);
    n.recordSent('l1', { messageId: 'a', partIds: ['a'] }, t0);
    const events = n.recordReceipts([{ messageId: 'a', state: 'UNDELIV', delivered: false }], at(1));
    expect(events[0]).toMatchObject({
      key: 'notification.failed.v1',
      data: { reason: 'delivery receipt: UNDELIV' },
    });
  });
});

describe('Notification, issue 7', () => {
  it('names its kind, escalation and county when it fails, for supervision to act on', () => {
    const n = sms();
    n.claim('l1', t0, 60_000, policy, 'aliyun');
    const [event] = n.recordFailure('l1', new DeliveryFailure('isv.MOBILE_NUMBER_ILLEGAL', true), t0, policy);
    expect(event.data).toMatchObject({
      kind: 'interview_notice',
      escalationId: '4b0e8a43-4c1f-4e8b-9d3e-3f4b8f2c1a77',
      countyCode: '150821',
    });
    expect(n.state.provider).toBe('aliyun');
    const [named] = withFallback([event], 'f-1');
    expect(named.data).toMatchObject({ fallbackNotificationId: 'f-1', reason: 'isv.MOBILE_NUMBER_ILLEGAL' });
  });

  it('is cancelled while it waits, not while a sender has it, and again once its sender’s lease ran out', () => {
    const waiting = sms();
    expect(waiting.cancel(at(1))).toBe(true);
    expect(waiting.state).toMatchObject({ status: 'cancelled', cancelledAt: at(1) });
    expect(waiting.isDue(at(2))).toBe(false);
    const sending = sms();
    sending.claim('l1', t0, 60_000, policy);
    expect(sending.cancel(at(1))).toBe(false);
    expect(sending.cancel(at(60_000))).toBe(false);
    expect(sending.state.status).toBe('sending');
    // The sender is gone: cancelled rather than claimed again, and its late outcome is ignored.
    expect(sending.cancel(at(60_001))).toBe(true);
    expect(sending.state).toMatchObject({ status: 'cancelled', cancelledAt: at(60_001), lockedUntil: null });
    expect(sending.holds('l1')).toBe(false);
    const sent = sms();
    sent.claim('l1', t0, 60_000, policy);
    sent.recordSent('l1', { messageId: 'a', partIds: ['a'] }, at(1));
    expect(sent.cancel(at(120_000))).toBe(false);
    expect(sent.state.status).toBe('sent');
  });

  it('fails an SMS whose receipt never came within the time allowed', () => {
    const n = sms();
    n.claim('l1', t0, 60_000, policy);
    n.recordSent('l1', { messageId: 'a', partIds: ['a'] }, t0);
    expect(n.expireReceipt(at(599_999), 600_000)).toEqual([]);
    expect(n.expireReceipt(at(600_000), 0)).toEqual([]);
    const [event] = n.expireReceipt(at(600_000), 600_000);
    expect(event).toMatchObject({
      key: 'notification.failed.v1',
      data: { reason: 'no delivery receipt within 10 min' },
    });
    expect(n.state.status).toBe('failed');
  });

  it('makes a fallback on the other channel for the same request', () => {
    const n = sms();
    const f = n.fallback({
      id: 'f-1',
      channel: 'email',
      address: 'wang@bureau.test',
      subject: '约谈通知',
      text: '正文',
      templateId: 't-9',
      smsTemplate: null,
      now: at(5),
    });
    expect(f.state).toMatchObject({
      id: 'f-1',
      requestId: n.state.requestId,
      channel: 'email',
      kind: 'interview_notice',
      escalationId: n.state.escalationId,
      fallbackOf: n.state.id,
      status: 'pending',
      nextAttemptAt: at(5),
      attempts: 0,
    });
  });

  it('waits until it is due when held for quiet hours', () => {
    const n = Notification.request({ ...sms().state, now: t0, dueAt: at(3_600_000) });
    expect(n.isDue(at(3_599_999))).toBe(false);
    expect(n.isDue(at(3_600_000))).toBe(true);
  });
});

describe('Notification sent through Aliyun', () => {
  it('keeps a BizId shaped like a resident ID number out of notification.sent', () => {
    const n = sms();
    n.claim('l1', t0, 60_000, policy, 'aliyun');
    const [event] = n.recordSent(
      'l1',
      { messageId: '900619746936498440^0', partIds: ['900619746936498440^0'] },
      t0,
    );
    expect(event.data).not.toHaveProperty('providerMessageId');
    expect(n.state.providerMessageId).toBe('900619746936498440^0');
  });
});
