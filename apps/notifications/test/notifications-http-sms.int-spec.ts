import { waitFor } from '@edu/testing';
import { LocalSmtpSink } from '../src/notification/channels/local/local-smtp-sink.js';
import { noticeRequest, rowsOf, startService, type RunningService } from './notifications-fixture.js';
import { SmsApiStub, type StubProvider } from './sms-api-stub.js';

/*
 * The service with SMS_PROVIDER=aliyun or tencent, sending through a stub of the provider's
 * SendSms API on 127.0.0.1 and taking the provider's receipt pushes on its own API.
 */

const HEAD = { officialId: 'WY-HEAD', name: '王明', title: '五原县教育局局长' };
const TOKEN = 'receipt-token-0123456789abcdef';

const cases: {
  provider: StubProvider;
  phoneAsSent: (phone: string) => string;
  illegal: string;
  receipt: (id: string, ok: boolean) => unknown;
  answer: unknown;
}[] = [
  {
    provider: 'aliyun',
    phoneAsSent: (p) => p,
    illegal: 'isv.MOBILE_NUMBER_ILLEGAL',
    receipt: (id, ok) => ({
      phone_number: '13800000501',
      send_time: '2020-06-01 10:00:00',
      report_time: '2020-06-01 10:00:05',
      success: ok,
      err_code: ok ? 'DELIVERED' : 'MK:0001',
      err_msg: ok ? '用户接收成功' : '失败',
      sms_size: '1',
      biz_id: id,
      out_id: '',
    }),
    answer: { code: 0, msg: '成功' },
  },
  {
    provider: 'tencent',
    phoneAsSent: (p) => `+86${p}`,
    illegal: 'FailedOperation.PhoneNumberInBlacklist',
    receipt: (id, ok) => ({
      user_receive_time: '2020-06-01 10:00:05',
      nationcode: '86',
      mobile: '13800000501',
      report_status: ok ? 'SUCCESS' : 'FAIL',
      errmsg: ok ? 'DELIVRD' : 'MI:0013',
      description: ok ? '用户短信送达成功' : '失败',
      sid: id,
    }),
    answer: { result: 0, errmsg: 'OK' },
  },
];

describe.each(cases)(
  'notifications with SMS_PROVIDER=$provider',
  ({ provider, phoneAsSent, illegal, receipt, answer }) => {
    let stub: SmsApiStub;
    let mail: LocalSmtpSink;
    let svc: RunningService;

    beforeAll(async () => {
      stub = await SmsApiStub.start({
        provider,
        accessKeyId: `${provider}-key-id`,
        accessKeySecret: `${provider}-key-secret`,
        appId: '1400787878',
        respond: (sms) => (sms.phone.endsWith('13800000404') ? illegal : undefined),
      });
      mail = await LocalSmtpSink.start();
      svc = await startService({
        SMS_PROVIDER: provider,
        SMS_API_URL: stub.url,
        SMS_ACCESS_KEY_ID: `${provider}-key-id`,
        SMS_ACCESS_KEY_SECRET: `${provider}-key-secret`,
        SMS_SDK_APP_ID: '1400787878',
        SMS_RECEIPT_TOKEN: TOKEN,
        SMS_SIGN_NAME: '巴彦淖尔市教育局',
        SMTP_URL: mail.url,
      });
    });

    afterAll(async () => {
      await svc?.close();
      await stub?.close();
      await mail?.close();
    });

    const push = (body: unknown, token = TOKEN, as = provider) =>
      fetch(`${svc.baseUrl}/api/sms-receipts/${as}?token=${encodeURIComponent(token)}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });

    it('sends the registered template with its parameters, and a pushed receipt marks it delivered', async () => {
      const event = noticeRequest({ recipient: { ...HEAD, phone: '13800000501' }, channels: ['sms'] });
      await svc.publish(event);
      const [sent] = await waitFor(
        () => rowsOf(svc.db, event.data.requestId),
        (r) => r[0]?.status === 'sent',
        { what: 'SMS sent' },
      );
      expect(stub.badSignatures).toEqual([]);
      const [sms] = stub.sent.filter((s) => s.phone === phoneAsSent('13800000501'));
      expect(sms).toMatchObject({
        signName: '巴彦淖尔市教育局',
        templateCode: 'SMS_EDU_INTERVIEW_NOTICE',
        reference: sent.id,
      });
      const values = Array.isArray(sms.params) ? sms.params : Object.values(sms.params);
      expect(values).toEqual(expect.arrayContaining(['五原县教育局局长', '王明', '五原县', '学生资助', '3']));
      if (!Array.isArray(sms.params)) expect(sms.params.countyName).toBe('五原县');
      expect(sent).toMatchObject({
        provider,
        provider_message_id: sms.messageId,
        provider_part_ids: [sms.messageId],
      });

      const wrong = await push([receipt(sms.messageId, true)], 'not-the-token-at-all');
      expect(wrong.status).toBe(404);
      const other = await push(
        [receipt(sms.messageId, true)],
        TOKEN,
        provider === 'aliyun' ? 'tencent' : 'aliyun',
      );
      expect(other.status).toBe(404);
      expect((await push('not a list')).status).toBe(400);

      const ok = await push([receipt(sms.messageId, true)]);
      expect(ok.status).toBe(200);
      await expect(ok.json()).resolves.toEqual(answer);
      await waitFor(
        () => rowsOf(svc.db, event.data.requestId),
        (r) => r[0]?.status === 'delivered',
        { what: 'delivered' },
      );
    });

    it('falls back to email when the provider refuses the number for good', async () => {
      const event = noticeRequest({
        recipient: { ...HEAD, phone: '13800000404', email: `${provider}.fallback@bureau.test` },
        channels: ['sms'],
      });
      await svc.publish(event);
      const done = await waitFor(
        () => rowsOf(svc.db, event.data.requestId),
        (r) =>
          r.length === 2 && r.every((x) => ['failed', 'sent'].includes(x.status)) && r[0].status === 'sent',
        { what: 'SMS failed, email sent' },
      );
      expect(done.map((r) => [r.channel, r.status])).toEqual([
        ['email', 'sent'],
        ['sms', 'failed'],
      ]);
      expect(done[1].last_error).toContain(illegal);
      expect(done[1].attempts).toBe(1);
      expect(mail.received.filter((m) => m.to.includes(`${provider}.fallback@bureau.test`))).toHaveLength(1);
    });

    it('fails the SMS, and falls back, on an undeliverable receipt', async () => {
      const event = noticeRequest({
        recipient: { ...HEAD, phone: '13800000502', email: `${provider}.undeliv@bureau.test` },
        channels: ['sms'],
      });
      await svc.publish(event);
      const [sent] = await waitFor(
        () => rowsOf(svc.db, event.data.requestId),
        (r) => r[0]?.status === 'sent',
        { what: 'SMS sent' },
      );
      expect((await push([receipt(sent.provider_message_id ?? '', false)])).status).toBe(200);
      const done = await waitFor(
        () => rowsOf(svc.db, event.data.requestId),
        (r) => r.length === 2 && r[0].status === 'sent',
        { what: 'email fallback sent' },
      );
      expect(done[1]).toMatchObject({ channel: 'sms', status: 'failed' });
      expect(done[1].last_error).toContain('delivery receipt');
    });
  },
);
