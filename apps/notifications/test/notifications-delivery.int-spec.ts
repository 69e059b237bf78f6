import { randomUUID } from 'node:crypto';
import { simpleParser } from 'mailparser';
import { waitFor } from '@edu/testing';
import { LocalSmppSink } from '../src/notification/channels/local/local-smpp-sink.js';
import { LocalSmtpSink } from '../src/notification/channels/local/local-smtp-sink.js';
import {
  ADMIN,
  apiGet,
  apiPost,
  noticeRequest,
  outboxOf,
  rowsOf,
  startService,
  type NotificationRow,
  type RunningService,
} from './notifications-fixture.js';

/*
 * Issue 7 against real Postgres, RabbitMQ, an SMPP centre and an SMTP server: attachments,
 * fallback between channels, templates as versioned rows, and the notification API.
 */

const HEAD = { officialId: 'WY-HEAD', name: '王明', title: '五原县教育局局长' };
const ESME_RINVDSTADR = 0x0b;
// Enough of a PDF for a mail client to call it one; the bytes must arrive unchanged.
const PDF = Buffer.concat([
  Buffer.from('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n', 'latin1'),
  Buffer.from([0, 1, 2, 254, 255]),
]);

describe('notifications: attachments, fallback, templates and the API', () => {
  let smsc: LocalSmppSink;
  let mail: LocalSmtpSink;
  let svc: RunningService;

  beforeAll(async () => {
    smsc = await LocalSmppSink.start({
      autoReceipts: false,
      respond: (part) => (part.to === '13800000404' ? ESME_RINVDSTADR : 0),
    });
    mail = await LocalSmtpSink.start({
      rcptReply: (address) => (address.startsWith('refused') ? 550 : undefined),
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
  const byChannel = (r: NotificationRow[], channel: 'sms' | 'email') => r.find((x) => x.channel === channel);

  it('attaches the interview notice PDF to the email', async () => {
    const event = noticeRequest({
      recipient: { ...HEAD, email: 'pdf@bureau.test' },
      channels: ['email'],
      attachments: [
        { filename: '约谈通知书.pdf', contentType: 'application/pdf', contentBase64: PDF.toString('base64') },
      ],
    });
    await svc.publish(event);
    const [row] = await waitFor(
      () => rows(event.data.requestId),
      (r) => r[0]?.status === 'sent',
      { what: 'email sent' },
    );
    const received = mail.received.filter((m) => m.to.includes('pdf@bureau.test'));
    expect(received).toHaveLength(1);
    const parsed = await simpleParser(received[0].raw);
    expect(parsed.attachments).toHaveLength(1);
    const [att] = parsed.attachments;
    expect(att.filename).toBe('约谈通知书.pdf');
    expect(att.contentType).toBe('application/pdf');
    expect(Buffer.compare(att.content, PDF)).toBe(0);
    expect(parsed.text).toContain('约谈');

    const detail = await apiGet(svc, `/api/notifications/${row.id}`, ADMIN);
    expect(detail.body.attachments).toEqual([
      { filename: '约谈通知书.pdf', contentType: 'application/pdf', size: PDF.length },
    ]);
  });

  it('falls back to email when the SMS centre refuses the number for good', async () => {
    const event = noticeRequest({
      recipient: { ...HEAD, phone: '13800000404', email: 'fallback@bureau.test' },
      channels: ['sms'],
    });
    await svc.publish(event);
    const done = await waitFor(
      () => rows(event.data.requestId),
      (r) => byChannel(r, 'sms')?.status === 'failed' && byChannel(r, 'email')?.status === 'sent',
      { what: 'SMS failed, email sent' },
    );
    const sms = byChannel(done, 'sms');
    const email = byChannel(done, 'email');
    expect(email?.fallback_of).toBe(sms?.id);
    expect(sms?.last_error).toContain('ESME_RINVDSTADR');
    const failed = await outboxOf(svc.db, sms?.id ?? '');
    expect(failed.map((e) => e.routing_key)).toEqual(['notification.failed.v1']);
    expect(failed[0].envelope.data).toEqual(
      expect.objectContaining({
        kind: 'interview_notice',
        escalationId: event.data.escalationId,
        countyCode: '150821',
        fallbackNotificationId: email?.id,
      }),
    );
    const mails = mail.received.filter((m) => m.to.includes('fallback@bureau.test'));
    expect(mails).toHaveLength(1);
    expect((await simpleParser(mails[0].raw)).subject).toContain('约谈');

    const detail = await apiGet(svc, `/api/notifications/${sms?.id}`, ADMIN);
    expect(detail.body).toMatchObject({
      status: 'failed',
      provider: 'smpp',
      fallbacks: [email?.id],
      attemptLog: [
        {
          attempt: 1,
          provider: 'smpp',
          outcome: 'failed',
          error: expect.stringContaining('ESME_RINVDSTADR'),
          finishedAt: expect.any(String),
        },
      ],
    });
  });

  it('falls back to SMS when the mail server refuses the mailbox for good, and says nothing more', async () => {
    const event = noticeRequest({
      recipient: { ...HEAD, phone: '13800000011', email: 'refused@bureau.test' },
      channels: ['email'],
    });
    await svc.publish(event);
    const done = await waitFor(
      () => rows(event.data.requestId),
      (r) => byChannel(r, 'email')?.status === 'failed' && byChannel(r, 'sms')?.status === 'sent',
      { what: 'email failed, SMS sent' },
    );
    expect(byChannel(done, 'sms')?.fallback_of).toBe(byChannel(done, 'email')?.id);
    expect(smsc.messages().filter((m) => m.to === '13800000011')).toHaveLength(1);
    // The SMS failing too would end there: no channel is tried twice for one request.
    expect(done).toHaveLength(2);
  });

  it('sends by the other channel when the official has no address on the one requested', async () => {
    const event = noticeRequest({ recipient: { ...HEAD, email: 'nophone@bureau.test' }, channels: ['sms'] });
    await svc.publish(event);
    const [row] = await waitFor(
      () => rows(event.data.requestId),
      (r) => r[0]?.status === 'sent',
      { what: 'email sent' },
    );
    expect(row).toMatchObject({ channel: 'email', address: 'nophone@bureau.test', fallback_of: null });
  });

  it('records the SMS receipt against its attempt, and shows both', async () => {
    const event = noticeRequest({ recipient: { ...HEAD, phone: '13800000021' }, channels: ['sms'] });
    await svc.publish(event);
    const [sent] = await waitFor(
      () => rows(event.data.requestId),
      (r) => r[0]?.status === 'sent',
      { what: 'SMS sent' },
    );
    for (const id of sent.provider_part_ids) await expect(smsc.sendReceipt(id, 'DELIVRD')).resolves.toBe(0);
    await waitFor(
      () => rows(event.data.requestId),
      (r) => r[0]?.status === 'delivered',
      { what: 'delivered' },
    );
    const detail = await apiGet(svc, `/api/notifications/${sent.id}`, ADMIN);
    expect(detail.status).toBe(200);
    expect(detail.body).toMatchObject({
      id: sent.id,
      status: 'delivered',
      provider: 'smpp',
      providerMessageId: sent.provider_message_id,
      templateId: expect.any(String),
      attemptLog: [{ attempt: 1, outcome: 'sent', providerMessageId: sent.provider_message_id }],
      fallbacks: [],
      attachments: [],
    });
    expect(detail.body.receipts).toEqual(
      sent.provider_part_ids.map((messageId) =>
        expect.objectContaining({ messageId, state: 'DELIVRD', delivered: true }),
      ),
    );

    const other = await apiGet(svc, `/api/notifications/${sent.id}`, {
      sub: 'op',
      role: 'county_operator',
      county: '150802',
    });
    expect(other.status).toBe(404);
    expect((await apiGet(svc, '/api/notifications/not-a-uuid', ADMIN)).status).toBe(400);
    expect((await apiGet(svc, `/api/notifications/${randomUUID()}`, ADMIN)).status).toBe(404);
  });

  it('lists by channel, escalation and time, a page at a time with the total in X-Total-Count', async () => {
    const escalationId = randomUUID();
    const events = [1, 2, 3].map((i) =>
      noticeRequest({
        escalationId,
        recipient: { ...HEAD, officialId: `P-${i}`, phone: `1380000010${i}`, email: `page${i}@bureau.test` },
        channels: ['sms', 'email'],
      }),
    );
    for (const e of events) await svc.publish(e);
    await waitFor(
      () =>
        svc.db.dataSource.query<{ n: number }[]>(
          `SELECT count(*)::int AS n FROM notification WHERE escalation_id = $1 AND status IN ('sent', 'delivered')`,
          [escalationId],
        ),
      (r) => r[0].n === 6,
      { what: 'all six sent' },
    );
    const page = await apiGet(
      svc,
      `/api/notifications?escalationId=${escalationId}&channel=email&limit=2`,
      ADMIN,
    );
    expect(page.status).toBe(200);
    expect(page.headers.get('x-total-count')).toBe('3');
    expect(page.body).toHaveLength(2);
    expect(page.body.every((n: { channel: string }) => n.channel === 'email')).toBe(true);
    const rest = await apiGet(
      svc,
      `/api/notifications?escalationId=${escalationId}&channel=email&limit=2&offset=2`,
      ADMIN,
    );
    expect(rest.body).toHaveLength(1);
    const ids = new Set([...page.body, ...rest.body].map((n: { id: string }) => n.id));
    expect(ids.size).toBe(3);

    const future = encodeURIComponent(new Date(Date.now() + 3_600_000).toISOString());
    const none = await apiGet(svc, `/api/notifications?escalationId=${escalationId}&from=${future}`, ADMIN);
    expect(none).toMatchObject({ status: 200, body: [] });
    expect(none.headers.get('x-total-count')).toBe('0');
    const before = await apiGet(svc, `/api/notifications?escalationId=${escalationId}&to=${future}`, ADMIN);
    expect(before.body).toHaveLength(6);
    expect((await apiGet(svc, '/api/notifications?from=yesterday', ADMIN)).status).toBe(400);
    expect((await apiGet(svc, '/api/notifications?channel=fax', ADMIN)).status).toBe(400);
  });

  describe('notice templates as versioned rows', () => {
    it('seeds version 1 of every kind and channel, in effect now', async () => {
      const { status, body } = await apiGet(svc, '/api/notice-templates', { sub: 'v', role: 'viewer' });
      expect(status).toBe(200);
      expect(body).toHaveLength(10);
      expect(new Set(body.map((t: { kind: string }) => t.kind))).toEqual(
        new Set([
          'supervision_notice',
          'interview_notice',
          'accountability_recommendation',
          'interview_minutes',
          'follow_up_reminder',
        ]),
      );
      for (const t of body) expect(t).toMatchObject({ version: 1, inEffect: true, createdBy: 'seed' });
      const sms = body.find(
        (t: { kind: string; channel: string }) => t.kind === 'interview_notice' && t.channel === 'sms',
      );
      expect(sms).toMatchObject({
        signName: '巴彦淖尔市教育局',
        providerTemplateCode: 'SMS_EDU_INTERVIEW_NOTICE',
      });
    });

    it('lets only a city admin add a version, refusing placeholders no request fills', async () => {
      const version = {
        kind: 'accountability_recommendation',
        channel: 'sms',
        body: '【{signName}】问责建议（修订）：{countyName}{frontName}{itemCount}项问题仍未整改{amountClause}。',
        providerTemplateCode: 'SMS_260000001',
        signName: '巴彦淖尔市教育局',
        note: '按短信服务商审核通过的模板修订',
      };
      expect(
        (await apiPost(svc, '/api/notice-templates', version, { sub: 'v', role: 'viewer' })).status,
      ).toBe(403);
      const bad = await apiPost(svc, '/api/notice-templates', { ...version, body: '{studentName}' }, ADMIN);
      expect(bad.status).toBe(400);
      expect(JSON.stringify(bad.body)).toContain('studentName');

      const added = await apiPost(svc, '/api/notice-templates', version, ADMIN);
      expect(added.status).toBe(201);
      expect(added.body).toMatchObject({
        version: 2,
        inEffect: true,
        createdBy: 'admin',
        providerTemplateCode: 'SMS_260000001',
      });

      const listed = await apiGet(
        svc,
        '/api/notice-templates?kind=accountability_recommendation&channel=sms',
        ADMIN,
      );
      expect(listed.body.map((t: { version: number; inEffect: boolean }) => [t.version, t.inEffect])).toEqual(
        [
          [1, false],
          [2, true],
        ],
      );

      const event = noticeRequest({
        kind: 'accountability_recommendation',
        recipient: { ...HEAD, phone: '13800000031' },
        channels: ['sms'],
      });
      await svc.publish(event);
      const [row] = await waitFor(
        () => rows(event.data.requestId),
        (r) => r[0]?.status === 'sent',
        { what: 'SMS sent' },
      );
      expect(row.template_id).toBe(added.body.id);
      const [text] = smsc.messages().filter((m) => m.to === '13800000031');
      expect(
        text.text.startsWith(
          '【巴彦淖尔市教育局】问责建议（修订）：五原县学生资助3项问题仍未整改，涉及资金625.00元。',
        ),
      ).toBe(true);
    });
  });
});
