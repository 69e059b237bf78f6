import { randomUUID } from 'node:crypto';
import { simpleParser } from 'mailparser';
import { createEnvelope, type NotificationFailedV1 } from '@edu/contracts';
import { FixedClock } from '@edu/service';
import { waitFor } from '@edu/testing';
import { DispatchNotificationsHandler } from '../src/notification/application/dispatch-notifications.handler.js';
import { ExpireUnreceiptedSmsHandler } from '../src/notification/application/expire-unreceipted-sms.handler.js';
import { LocalSmppSink } from '../src/notification/channels/local/local-smpp-sink.js';
import { LocalSmtpSink } from '../src/notification/channels/local/local-smtp-sink.js';
import {
  ADMIN,
  apiGet,
  noticeRequest,
  outboxOf,
  rowsOf,
  startService,
  type NotificationRow,
  type RunningService,
} from './notifications-fixture.js';

/*
 * Quiet hours, rate limits, the receipt deadline, cancellation, and a notice asked for on both
 * channels failing on one, with the service's clock in the test's hands and no background
 * dispatcher (DISPATCH_INTERVAL_MS=0): the test runs each dispatch pass itself, so what goes
 * out when is decided, not timed.
 */

const HEAD = { officialId: 'WY-HEAD', name: '王明', title: '五原县教育局局长' };
const ESME_RINVDSTADR = 0x0b;
const shanghai = (local: string) => new Date(`${local}+08:00`);

describe('notifications: quiet hours, rate limits, receipt deadline, cancellation, one channel failing', () => {
  /** Numbers the SMS centre refuses for good, and the mail server's reply per address (default 250). */
  const refusedNumbers = new Set<string>();
  const mailReplies = new Map<string, number>();
  let smsc: LocalSmppSink;
  let mail: LocalSmtpSink;
  let svc: RunningService;
  const clock = new FixedClock(shanghai('2020-06-01T20:00:00'));

  beforeAll(async () => {
    smsc = await LocalSmppSink.start({
      autoReceipts: false,
      respond: (part) => (refusedNumbers.has(part.to) ? ESME_RINVDSTADR : 0),
    });
    mail = await LocalSmtpSink.start({ rcptReply: (address) => mailReplies.get(address) });
    svc = await startService(
      {
        SMPP_URL: smsc.url,
        SMTP_URL: mail.url,
        DISPATCH_INTERVAL_MS: '0',
        SMS_SEND_WINDOW: '08:30-17:30',
        SMS_SEND_TIME_ZONE: 'Asia/Shanghai',
        SMS_RECEIPT_TIMEOUT_MS: '600000',
        SMS_RATE_PER_SECOND: '2',
        EMAIL_RATE_PER_SECOND: '0',
      },
      { clock },
    );
  });

  afterAll(async () => {
    await svc?.close();
    await smsc?.close();
    await mail?.close();
  });

  const dispatch = () => svc.app.get(DispatchNotificationsHandler).execute();
  const expire = () => svc.app.get(ExpireUnreceiptedSmsHandler).execute();
  const rows = (requestId: string) => rowsOf(svc.db, requestId);
  const smsTo = (phone: string) => smsc.messages().filter((m) => m.to === phone);
  /** Publishes and waits until the request's messages are recorded. */
  const request = async (over: Parameters<typeof noticeRequest>[0], count = 1) => {
    const event = noticeRequest(over);
    await svc.publish(event);
    await waitFor(
      () => rows(event.data.requestId),
      (r) => r.length === count,
      { what: 'messages recorded' },
    );
    return event;
  };

  it('holds SMS outside 08:30-17:30 Shanghai time, except an urgent interview notice', async () => {
    clock.set(shanghai('2020-06-01T20:00:00'));
    const held = await request(
      {
        recipient: { ...HEAD, phone: '13800000101', email: 'quiet@bureau.test' },
        channels: ['sms', 'email'],
      },
      2,
    );
    const urgent = await request({
      recipient: { ...HEAD, phone: '13800000102' },
      channels: ['sms'],
      params: {
        cityName: '巴彦淖尔市',
        countyName: '五原县',
        frontName: '控辍保学',
        itemCount: 1,
        urgent: 'true',
      },
    });
    const notInterview = await request({
      kind: 'supervision_notice',
      recipient: { ...HEAD, phone: '13800000103' },
      channels: ['sms'],
      params: {
        cityName: '巴彦淖尔市',
        countyName: '五原县',
        frontName: '控辍保学',
        itemCount: 1,
        urgent: 'true',
      },
    });

    await dispatch();
    expect(smsTo('13800000102')).toHaveLength(1);
    expect(smsTo('13800000101')).toHaveLength(0);
    expect(smsTo('13800000103')).toHaveLength(0);
    expect(mail.received.filter((m) => m.to.includes('quiet@bureau.test'))).toHaveLength(1);
    const [heldSms] = (await rows(held.data.requestId)).filter((r) => r.channel === 'sms');
    expect(heldSms).toMatchObject({ status: 'pending', attempts: 0, urgent: false });
    expect(heldSms.next_attempt_at).toEqual(shanghai('2020-06-02T08:30:00'));
    const api = await apiGet(svc, `/api/notifications/${heldSms.id}`, ADMIN);
    expect(api.body.nextAttemptAt).toBe(shanghai('2020-06-02T08:30:00').toISOString());
    await expect(rows(urgent.data.requestId)).resolves.toEqual([
      expect.objectContaining({ status: 'sent', urgent: true }),
    ]);

    clock.set(shanghai('2020-06-02T08:29:00'));
    await dispatch();
    expect(smsTo('13800000101')).toHaveLength(0);
    clock.set(shanghai('2020-06-02T08:31:00'));
    await dispatch();
    expect(smsTo('13800000101')).toHaveLength(1);
    expect(smsTo('13800000103')).toHaveLength(1);
    await expect(rows(notInterview.data.requestId)).resolves.toEqual([
      expect.objectContaining({ status: 'sent' }),
    ]);
  });

  it('hands the SMS provider no more than its rate per second, across dispatch passes', async () => {
    clock.set(shanghai('2020-06-03T10:00:00.100'));
    const phones = ['13800000201', '13800000202', '13800000203', '13800000204', '13800000205'];
    for (const phone of phones) await request({ recipient: { ...HEAD, phone }, channels: ['sms'] });
    const sentCount = () => phones.filter((p) => smsTo(p).length > 0).length;

    await dispatch();
    expect(sentCount()).toBe(2);
    await dispatch();
    expect(sentCount()).toBe(2);
    clock.set(shanghai('2020-06-03T10:00:00.900'));
    await dispatch();
    expect(sentCount()).toBe(2);
    clock.set(shanghai('2020-06-03T10:00:01.000'));
    await dispatch();
    expect(sentCount()).toBe(4);
    clock.set(shanghai('2020-06-03T10:00:02.500'));
    await dispatch();
    expect(sentCount()).toBe(5);
    for (const p of phones) expect(smsTo(p)).toHaveLength(1);
  });

  it('fails an SMS with no receipt within SMS_RECEIPT_TIMEOUT_MS and falls back to email', async () => {
    clock.set(shanghai('2020-06-04T10:00:00'));
    const silent = await request({
      recipient: { ...HEAD, phone: '13800000301', email: 'noreceipt@bureau.test' },
      channels: ['sms'],
    });
    const answered = await request({ recipient: { ...HEAD, phone: '13800000302' }, channels: ['sms'] });
    await dispatch();
    const [answeredRow] = await rows(answered.data.requestId);
    for (const id of answeredRow.provider_part_ids)
      await expect(smsc.sendReceipt(id, 'DELIVRD')).resolves.toBe(0);
    await waitFor(
      () => rows(answered.data.requestId),
      (r) => r[0].status === 'delivered',
      { what: 'delivered' },
    );

    clock.set(shanghai('2020-06-04T10:09:00'));
    // The SMS the earlier tests sent never got receipts either: they expire now.
    await expire();
    await expect(rows(silent.data.requestId)).resolves.toEqual([expect.objectContaining({ status: 'sent' })]);
    clock.set(shanghai('2020-06-04T10:11:00'));
    await expect(expire()).resolves.toBe(1);
    const after = await rows(silent.data.requestId);
    const sms = after.find((r) => r.channel === 'sms') as NotificationRow;
    const email = after.find((r) => r.channel === 'email') as NotificationRow;
    expect(sms).toMatchObject({ status: 'failed', last_error: 'no delivery receipt within 10 min' });
    expect(email).toMatchObject({ status: 'pending', fallback_of: sms.id });
    const [failed] = await outboxOf(svc.db, sms.id).then((e) =>
      e.filter((x) => x.routing_key === 'notification.failed.v1'),
    );
    expect(failed.envelope.data).toMatchObject({
      fallbackNotificationId: email.id,
      kind: 'interview_notice',
    });

    await dispatch();
    expect(mail.received.filter((m) => m.to.includes('noreceipt@bureau.test'))).toHaveLength(1);
    await expect(rows(answered.data.requestId)).resolves.toEqual([
      expect.objectContaining({ status: 'delivered' }),
    ]);
  });

  it('cancels what is still waiting when the escalation resolves, and a late request for it', async () => {
    clock.set(shanghai('2020-06-05T20:00:00'));
    const escalationId = randomUUID();
    const held = await request({
      escalationId,
      recipient: { ...HEAD, phone: '13800000401' },
      channels: ['sms'],
    });
    await dispatch();
    expect(smsTo('13800000401')).toHaveLength(0);

    const resolved = createEnvelope(
      'supervision.escalation.resolved.v1',
      { escalationId, front: 'aid', countyCode: '150821', resolvedAt: clock.now().toISOString() },
      { producer: 'supervision', subject: escalationId, county: '150821' },
    );
    await svc.publish(resolved);
    const [cancelled] = await waitFor(
      () => rows(held.data.requestId),
      (r) => r[0]?.status === 'cancelled',
      { what: 'cancelled' },
    );
    expect(cancelled.next_attempt_at).toBeDefined();

    const late = await request(
      {
        escalationId,
        recipient: { ...HEAD, phone: '13800000402', email: 'late@bureau.test' },
        channels: ['sms', 'email'],
      },
      2,
    );
    await expect(rows(late.data.requestId)).resolves.toEqual([
      expect.objectContaining({ channel: 'email', status: 'cancelled' }),
      expect.objectContaining({ channel: 'sms', status: 'cancelled' }),
    ]);

    clock.set(shanghai('2020-06-06T09:00:00'));
    await dispatch();
    expect(smsTo('13800000401')).toHaveLength(0);
    expect(smsTo('13800000402')).toHaveLength(0);
    expect(mail.received.filter((m) => m.to.includes('late@bureau.test'))).toHaveLength(0);
    const listed = await apiGet(
      svc,
      `/api/notifications?escalationId=${escalationId}&status=cancelled`,
      ADMIN,
    );
    expect(listed.body).toHaveLength(3);
    expect(listed.body[0].cancelledAt).toEqual(expect.any(String));
  });

  it('still sends the minutes and the follow-up reminder of an interview whose escalation resolved', async () => {
    clock.set(shanghai('2020-06-08T20:00:00'));
    const escalationId = randomUUID();
    const interview = {
      interviewNo: '约谈〔2020〕7号',
      interviewDate: '2020年6月5日',
      commitmentCount: 2,
      followUpDueOn: '2020年6月19日',
    };
    const notice = await request({
      escalationId,
      recipient: { ...HEAD, phone: '13800000501' },
      channels: ['sms'],
    });
    // Held for the night, like the notice beside it …
    const minutes = await request(
      {
        escalationId,
        kind: 'interview_minutes',
        recipient: { ...HEAD, phone: '13800000502', email: 'minutes@bureau.test' },
        channels: ['sms', 'email'],
        params: { cityName: '巴彦淖尔市', countyName: '五原县', frontName: '学生资助', ...interview },
        attachments: [
          {
            filename: '约谈纪要-五原县-7.html',
            contentType: 'text/html',
            contentBase64: Buffer.from('<h1>约谈纪要</h1>').toString('base64'),
          },
        ],
      },
      2,
    );
    await svc.publish(
      createEnvelope(
        'supervision.escalation.resolved.v1',
        { escalationId, front: 'aid', countyCode: '150821', resolvedAt: clock.now().toISOString() },
        { producer: 'supervision', subject: escalationId, county: '150821' },
      ),
    );
    await waitFor(
      () => rows(notice.data.requestId),
      (r) => r[0]?.status === 'cancelled',
      { what: 'the notice cancelled' },
    );
    // … but the minutes are not the escalation's to cancel, nor a reminder asked for later.
    const reminder = await request({
      escalationId,
      kind: 'follow_up_reminder',
      recipient: { ...HEAD, phone: '13800000503' },
      channels: ['sms'],
      params: {
        cityName: '巴彦淖尔市',
        countyName: '五原县',
        frontName: '学生资助',
        ...interview,
        workingDaysLeft: 3,
      },
    });
    await expect(rows(minutes.data.requestId)).resolves.toEqual([
      expect.objectContaining({ channel: 'email', status: 'pending' }),
      expect.objectContaining({ channel: 'sms', status: 'pending' }),
    ]);

    clock.set(shanghai('2020-06-09T09:00:00'));
    await dispatch();
    expect(smsTo('13800000501')).toHaveLength(0);
    const [minutesSms] = smsTo('13800000502');
    expect(minutesSms.text).toContain('约谈纪要');
    expect(minutesSms.text).toContain('请于2020年6月19日前将整改落实情况书面报巴彦淖尔市教育局');
    const [reminderSms] = smsTo('13800000503');
    expect(reminderSms.text).toContain('整改报送提醒');
    expect(reminderSms.text).toContain('距期限还有3个工作日');
    const [mailed] = mail.received.filter((m) => m.to.includes('minutes@bureau.test'));
    const parsed = await simpleParser(mailed.raw);
    expect(parsed.subject).toBe('【约谈纪要】五原县学生资助工作约谈纪要（约谈〔2020〕7号）');
    expect(parsed.attachments.map((a) => a.filename)).toEqual(['约谈纪要-五原县-7.html']);
    await expect(rows(reminder.data.requestId)).resolves.toEqual([
      expect.objectContaining({ channel: 'sms', status: 'sent' }),
    ]);
  });

  describe('a notice asked for on both SMS and email', () => {
    // Two messages from the start: one failing for good is not the notice's failure while the
    // other may still reach the official. Its failed event names the other; supervision
    // escalates a failure that names none.
    const byChannel = (r: NotificationRow[], channel: 'sms' | 'email') => {
      const row = r.find((x) => x.channel === channel);
      if (!row) throw new Error(`no ${channel} message in ${JSON.stringify(r)}`);
      return row;
    };
    const statuses = async (requestId: string) =>
      (await rows(requestId)).map((r) => `${r.channel} ${r.status}`);
    /** The data of the one failed event of message `id`. */
    const failedEvent = async (id: string) => {
      const events = (await outboxOf(svc.db, id)).filter((e) => e.routing_key === 'notification.failed.v1');
      expect(events).toHaveLength(1);
      return events[0].envelope.data as NotificationFailedV1;
    };
    const both = (phone: string, email: string) =>
      request({ recipient: { ...HEAD, phone, email }, channels: ['sms', 'email'] }, 2);

    it('names the email still to be sent when the SMS fails for good, and none when the email fails too', async () => {
      clock.set(shanghai('2020-06-08T10:00:00'));
      refusedNumbers.add('13800000501');
      mailReplies.set('busy@bureau.test', 451);
      const { requestId } = (await both('13800000501', 'busy@bureau.test')).data;

      await dispatch();
      await expect(statuses(requestId)).resolves.toEqual(['email pending', 'sms failed']);
      const first = await rows(requestId);
      const email = byChannel(first, 'email');
      await expect(failedEvent(byChannel(first, 'sms').id)).resolves.toMatchObject({
        kind: 'interview_notice',
        fallbackNotificationId: email.id,
      });

      // The email was the last message that could still arrive: its failure is the notice's.
      mailReplies.set('busy@bureau.test', 550);
      clock.set(shanghai('2020-06-08T10:30:00'));
      await dispatch();
      await expect(statuses(requestId)).resolves.toEqual(['email failed', 'sms failed']);
      await expect(failedEvent(email.id)).resolves.not.toHaveProperty('fallbackNotificationId');
    });

    it('names the email already sent when the SMS centre reports the SMS undeliverable', async () => {
      clock.set(shanghai('2020-06-09T10:00:00'));
      const { requestId } = (await both('13800000502', 'sent@bureau.test')).data;
      await dispatch();
      await expect(statuses(requestId)).resolves.toEqual(['email sent', 'sms sent']);
      const sent = await rows(requestId);
      const sms = byChannel(sent, 'sms');
      for (const id of sms.provider_part_ids) await expect(smsc.sendReceipt(id, 'UNDELIV')).resolves.toBe(0);
      await waitFor(
        () => rows(requestId),
        (r) => byChannel(r, 'sms').status === 'failed',
        { what: 'the SMS failed by its receipt' },
      );
      await expect(failedEvent(sms.id)).resolves.toMatchObject({
        fallbackNotificationId: byChannel(sent, 'email').id,
      });
    });

    it('names nothing when the email fails for good after the SMS was delivered', async () => {
      clock.set(shanghai('2020-06-10T10:00:00'));
      mailReplies.set('late@bureau.test', 451);
      const { requestId } = (await both('13800000503', 'late@bureau.test')).data;
      await dispatch();
      const sms = byChannel(await rows(requestId), 'sms');
      for (const id of sms.provider_part_ids) await expect(smsc.sendReceipt(id, 'DELIVRD')).resolves.toBe(0);
      await waitFor(
        () => rows(requestId),
        (r) => byChannel(r, 'sms').status === 'delivered',
        { what: 'the SMS delivered' },
      );

      mailReplies.set('late@bureau.test', 550);
      clock.set(shanghai('2020-06-10T10:30:00'));
      await dispatch();
      await expect(statuses(requestId)).resolves.toEqual(['email failed', 'sms delivered']);
      // Nothing more is tried and the notice was delivered: supervision, which has the
      // delivery, records the failure and escalates nothing.
      const email = byChannel(await rows(requestId), 'email');
      await expect(failedEvent(email.id)).resolves.not.toHaveProperty('fallbackNotificationId');
      expect((await outboxOf(svc.db, sms.id)).map((e) => e.routing_key)).toEqual([
        'notification.sent.v1',
        'notification.delivered.v1',
      ]);
    });
  });
});
