import { randomUUID } from 'node:crypto';
import { signToken, type Principal } from '@edu/auth';
import { createEnvelope } from '@edu/contracts';
import { ERROR_HEADER, topologyNames } from '@edu/messaging';
import { openProbe, waitFor } from '@edu/testing';
import { LocalSmppSink } from '../src/notification/channels/local/local-smpp-sink.js';
import { LocalSmtpSink } from '../src/notification/channels/local/local-smtp-sink.js';
import { parseMail } from './mime.js';
import {
  noticeRequest,
  outboxOf,
  rowsOf,
  SERVICE,
  startService,
  type NotificationRow,
  type RunningService,
} from './notifications-fixture.js';

const HEAD = { officialId: 'WY-HEAD', name: '王明', title: '五原县教育局局长' };
const ESME_RTHROTTLED = 0x58;
const ESME_RINVDSTADR = 0x0b;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('notifications against real Postgres, RabbitMQ, an SMPP centre and an SMTP server', () => {
  let smsc: LocalSmppSink;
  let mail: LocalSmtpSink;
  let svc: RunningService;
  const tries = new Map<string, number>();
  const tried = (key: string) => {
    const n = (tries.get(key) ?? 0) + 1;
    tries.set(key, n);
    return n;
  };

  beforeAll(async () => {
    smsc = await LocalSmppSink.start({
      systemId: 'edu-test',
      password: 's3cret',
      autoReceipts: false,
      respond: (part) => {
        if (part.to === '13800000009') return tried(part.to) === 1 ? ESME_RTHROTTLED : 0;
        if (part.to === '13800000404') return ESME_RINVDSTADR;
        return 0;
      },
    });
    mail = await LocalSmtpSink.start({
      rcptReply: (address) => {
        if (address === 'greylist@bureau.test') return tried(address) === 1 ? 451 : undefined;
        if (address === 'nobody@bureau.test') return 550;
        return undefined;
      },
    });
    svc = await startService({
      SMPP_URL: smsc.url,
      SMTP_URL: mail.url,
      EMAIL_FROM: '巴彦淖尔市教育局 <edu-supervision@bureau.test>',
      SMS_SIGN_NAME: '巴彦淖尔市教育局',
    });
  });

  afterAll(async () => {
    await svc?.close();
    await smsc?.close();
    await mail?.close();
  });

  const rows = (requestId: string) => rowsOf(svc.db, requestId);
  const settled =
    (n: number, status = 'sent') =>
    (r: NotificationRow[]) =>
      r.length === n && r.every((x) => x.status === status);

  it('sends an interview notice as UCS-2 SMS and as email, then records the delivery receipt', async () => {
    const event = noticeRequest({
      recipient: { ...HEAD, phone: '13800000001', email: 'head.wuyuan@bureau.test' },
    });
    await svc.publish(event);
    const [email, sms] = await waitFor(() => rows(event.data.requestId), settled(2), { what: 'both sent' });

    const texts = smsc.messages().filter((m) => m.to === '13800000001');
    expect(texts).toHaveLength(1);
    const [text] = texts;
    expect(text.text).toContain('约谈');
    expect(text.text).toContain('五原县');
    expect(text.text.startsWith('【巴彦淖尔市教育局】')).toBe(true);
    expect(text.parts.length).toBeGreaterThan(1);
    for (const part of text.parts) {
      expect(part.dataCoding).toBe(8);
      expect(part.esmClass & 0x40).toBe(0x40);
      expect(part.registeredDelivery).toBe(1);
      expect(part.text.length).toBeLessThanOrEqual(67);
    }
    expect(sms.provider_message_id).toBe(text.partIds[0]);
    expect(sms.provider_part_ids).toEqual(text.partIds);
    expect(smsc.binds).toBeGreaterThanOrEqual(1);

    const mails = mail.received.filter((m) => m.to.includes('head.wuyuan@bureau.test'));
    expect(mails).toHaveLength(1);
    const parsed = parseMail(mails[0].raw);
    expect(parsed.subject).toContain('约谈');
    expect(parsed.subject).toContain('五原县');
    expect(parsed.messageId).toBe(`<${email.id}@edu-supervision>`);
    expect(email.provider_message_id).toBe(`<${email.id}@edu-supervision>`);
    expect(parsed.from).toContain('edu-supervision@bureau.test');
    expect(parsed.text).toContain(`督办编号：${event.data.escalationId}`);
    expect(parsed.html).toContain('<p>五原县教育局局长王明同志：</p>');

    for (const id of text.partIds) await expect(smsc.sendReceipt(id, 'DELIVRD')).resolves.toBe(0);
    await waitFor(
      () => rows(event.data.requestId),
      (r) => r.find((x) => x.channel === 'sms')?.status === 'delivered',
      { what: 'SMS delivered' },
    );

    const smsEvents = await outboxOf(svc.db, sms.id);
    expect(smsEvents.map((e) => e.routing_key)).toEqual([
      'notification.sent.v1',
      'notification.delivered.v1',
    ]);
    expect(smsEvents[0].envelope).toMatchObject({
      correlationId: event.correlationId,
      causationId: event.id,
      county: '150821',
      data: { notificationId: sms.id, requestId: event.data.requestId, channel: 'sms', attempt: 1 },
    });
    const emailEvents = await outboxOf(svc.db, email.id);
    expect(emailEvents.map((e) => e.routing_key)).toEqual(['notification.sent.v1']);
  });

  it('sends one SMS and one email when the same request arrives twice', async () => {
    const event = noticeRequest({
      kind: 'supervision_notice',
      recipient: { ...HEAD, phone: '13800000002', email: 'twice@bureau.test' },
    });
    // The same event redelivered, and a second event for the same request.
    const again = createEnvelope('notification.requested.v1', event.data, {
      producer: 'supervision',
      subject: event.subject,
      county: event.county,
    });
    await svc.publish(event);
    await svc.publish(event);
    await svc.publish(again);
    await waitFor(() => rows(event.data.requestId), settled(2), { what: 'both sent' });
    await waitFor(
      () =>
        svc.db.dataSource.query<{ n: number }[]>(
          'SELECT count(*)::int AS n FROM inbox WHERE event_id = ANY($1::uuid[])',
          [[event.id, again.id]],
        ),
      (r) => r[0].n === 2,
      { what: 'both events handled' },
    );
    // Anything still in flight has had time to go out.
    const marker = noticeRequest({ recipient: { ...HEAD, phone: '13800000003' }, channels: ['sms'] });
    await svc.publish(marker);
    await waitFor(() => rows(marker.data.requestId), settled(1), { what: 'marker sent' });
    await sleep(300);

    const texts = smsc.messages().filter((m) => m.to === '13800000002');
    expect(texts).toHaveLength(1);
    expect(texts[0].text).toContain('督办');
    expect(texts[0].text).toContain('五原县');
    const mails = mail.received.filter((m) => m.to.includes('twice@bureau.test'));
    expect(mails).toHaveLength(1);
    expect(parseMail(mails[0].raw).subject).toContain('督办');
    await expect(rows(event.data.requestId)).resolves.toHaveLength(2);
  });

  it('retries an email the server deferred with 451 and sends it on the next attempt', async () => {
    const event = noticeRequest({
      recipient: { ...HEAD, email: 'greylist@bureau.test' },
      channels: ['email'],
    });
    await svc.publish(event);
    const [row] = await waitFor(() => rows(event.data.requestId), settled(1), { what: 'sent after retry' });
    expect(row.attempts).toBe(2);
    expect(row.last_error).toContain('451');
    expect(mail.recipientsTried.filter((a) => a === 'greylist@bureau.test')).toHaveLength(2);
    expect(mail.received.filter((m) => m.to.includes('greylist@bureau.test'))).toHaveLength(1);
    const events = await outboxOf(svc.db, row.id);
    expect(events.map((e) => e.routing_key)).toEqual(['notification.sent.v1']);
    expect(events[0].envelope.data).toMatchObject({ attempt: 2 });
  });

  it('fails an email the server refuses with 550, once, and says so in a notification.failed event', async () => {
    const event = noticeRequest({ recipient: { ...HEAD, email: 'nobody@bureau.test' }, channels: ['email'] });
    await svc.publish(event);
    const [row] = await waitFor(() => rows(event.data.requestId), settled(1, 'failed'), { what: 'failed' });
    expect(row.attempts).toBe(1);
    expect(row.last_error).toContain('550');
    const events = await waitFor(
      () => outboxOf(svc.db, row.id),
      (e) => e.length === 1,
    );
    expect(events[0].routing_key).toBe('notification.failed.v1');
    const data = events[0].envelope.data as { reason: string; attempt: number; officialId: string };
    expect(data).toMatchObject({ attempt: 1, officialId: 'WY-HEAD' });
    expect(data.reason).toContain('SMTP 550');
    expect(JSON.stringify(events[0].envelope)).not.toContain('nobody@bureau.test');
    expect(mail.recipientsTried.filter((a) => a === 'nobody@bureau.test')).toHaveLength(1);
  });

  it('retries an SMS the centre throttled, and fails one to an invalid destination', async () => {
    const throttled = noticeRequest({ recipient: { ...HEAD, phone: '13800000009' }, channels: ['sms'] });
    const invalid = noticeRequest({ recipient: { ...HEAD, phone: '13800000404' }, channels: ['sms'] });
    await svc.publish(throttled);
    await svc.publish(invalid);
    const [ok] = await waitFor(() => rows(throttled.data.requestId), settled(1), { what: 'throttled sent' });
    expect(ok.attempts).toBe(2);
    expect(ok.last_error).toContain('ESME_RTHROTTLED');
    const [bad] = await waitFor(() => rows(invalid.data.requestId), settled(1, 'failed'), { what: 'failed' });
    expect(bad.attempts).toBe(1);
    expect(bad.last_error).toContain('ESME_RINVDSTADR');
    const events = await outboxOf(svc.db, bad.id);
    expect(events.map((e) => e.routing_key)).toEqual(['notification.failed.v1']);
  });

  it('binds again after the SMS centre drops the connection', async () => {
    const before = smsc.binds;
    smsc.dropSessions();
    const event = noticeRequest({ recipient: { ...HEAD, phone: '13800000005' }, channels: ['sms'] });
    await svc.publish(event);
    await waitFor(() => rows(event.data.requestId), settled(1), { what: 'sent after rebind' });
    expect(smsc.binds).toBeGreaterThan(before);
    expect(smsc.messages().filter((m) => m.to === '13800000005')).toHaveLength(1);
  });

  it('dead-letters a request its template cannot be rendered for, sending nothing', async () => {
    const event = noticeRequest({
      recipient: { ...HEAD, phone: '13800000006', email: 'broken@bureau.test' },
      params: { cityName: '巴彦淖尔市', frontName: '控辍保学', itemCount: 1 },
    });
    const probe = await openProbe();
    try {
      await svc.publish(event);
      const { dlq } = topologyNames(svc.config.messaging.namespace, SERVICE);
      const dead = await waitFor(
        () => probe.channel.get(dlq, { noAck: true }),
        (m) => m !== false,
        { what: 'dead letter' },
      );
      if (dead === false) throw new Error('unreachable');
      expect(dead.properties.messageId).toBe(event.id);
      expect(String(dead.properties.headers?.[ERROR_HEADER])).toContain('countyName');
    } finally {
      await probe.connection.close();
    }
    await expect(rows(event.data.requestId)).resolves.toEqual([]);
    expect(smsc.submissions.filter((s) => s.to === '13800000006')).toEqual([]);
  });

  describe('GET /api/notifications', () => {
    const get = async (path: string, who?: Principal) => {
      const headers: Record<string, string> = {};
      if (who) headers.authorization = `Bearer ${await signToken(who, svc.config.auth)}`;
      const res = await fetch(`${svc.baseUrl}${path}`, { headers });
      return { status: res.status, body: await res.json() };
    };

    it('lists what went to a phone number, with status, attempts and provider id', async () => {
      const { status, body } = await get('/api/notifications?recipient=13800000001', {
        sub: 'admin',
        role: 'city_admin',
      });
      expect(status).toBe(200);
      expect(body).toEqual([
        expect.objectContaining({
          channel: 'sms',
          kind: 'interview_notice',
          status: 'delivered',
          attempts: 1,
          countyCode: '150821',
          recipient: '13800000001',
          providerMessageId: expect.any(String),
          lastError: null,
          deliveredAt: expect.any(String),
        }),
      ]);
      const failed = await get('/api/notifications?recipient=nobody@bureau.test&status=failed', {
        sub: 'admin',
        role: 'viewer',
      });
      expect(failed.body).toEqual([
        expect.objectContaining({ status: 'failed', lastError: expect.stringContaining('550') }),
      ]);
    });

    it('shows a county operator its own county only', async () => {
      const own = await get('/api/notifications?recipient=13800000001', {
        sub: 'op',
        role: 'county_operator',
        county: '150821',
      });
      expect(own.body).toHaveLength(1);
      const other = await get('/api/notifications?recipient=13800000001', {
        sub: 'op',
        role: 'county_operator',
        county: '150802',
      });
      expect(other).toEqual({ status: 200, body: [] });
      const asked = await get('/api/notifications?county=150821', {
        sub: 'op',
        role: 'county_operator',
        county: '150802',
      });
      expect(asked.status).toBe(403);
    });

    it('needs a token and valid filters', async () => {
      expect((await get('/api/notifications?recipient=13800000001')).status).toBe(401);
      const bad = await get('/api/notifications?status=lost', { sub: 'admin', role: 'city_admin' });
      expect(bad.status).toBe(400);
    });
  });
});

describe('notifications with no SMPP_URL or SMTP_URL (local sinks)', () => {
  let svc: RunningService;

  beforeAll(async () => {
    svc = await startService({});
  });

  afterAll(async () => {
    await svc?.close();
  });

  it('starts local sinks on 127.0.0.1 and delivers to them, receipts included', async () => {
    const event = noticeRequest({
      requestId: randomUUID(),
      recipient: { ...HEAD, phone: '13800000007', email: 'local@bureau.test' },
    });
    await svc.publish(event);
    const done = await waitFor(
      () => rowsOf(svc.db, event.data.requestId),
      (r) =>
        r.length === 2 &&
        r.find((x) => x.channel === 'sms')?.status === 'delivered' &&
        r.find((x) => x.channel === 'email')?.status === 'sent',
      { what: 'SMS delivered and email sent via the local sinks' },
    );
    expect(done.map((r) => r.attempts)).toEqual([1, 1]);
  });
});
