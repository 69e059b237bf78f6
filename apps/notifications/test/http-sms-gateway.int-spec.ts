import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { AliyunSmsGateway } from '../src/notification/channels/http/aliyun-sms-gateway.js';
import { TencentSmsGateway } from '../src/notification/channels/http/tencent-sms-gateway.js';
import { DeliveryFailure } from '../src/notification/domain/delivery-failure.js';
import type { SmsTemplateCall } from '../src/notification/domain/render-notice.js';
import { SmsApiStub } from './sms-api-stub.js';

/** The HTTP SMS adapters on their own, against a stub of each provider's API on 127.0.0.1. */

const template: SmsTemplateCall = {
  code: 'SMS_154950909',
  signName: '巴彦淖尔市教育局',
  params: [
    { name: 'recipientName', value: '王明' },
    { name: 'countyName', value: '五原县' },
    { name: 'amountClause', value: '，涉及资金625.00元' },
  ],
};

/** A 127.0.0.1 URL nobody listens on: a port the system gave us, closed again. */
async function closedPort(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

const KEY = { accessKeyId: 'LTAI5tExampleKey', accessKeySecret: 'example-secret/+=*~' };

async function failureOf(p: Promise<unknown>): Promise<DeliveryFailure> {
  const e = await p.then(
    () => undefined,
    (error: unknown) => error,
  );
  if (!(e instanceof DeliveryFailure)) throw new Error(`expected a DeliveryFailure, got ${String(e)}`);
  return e;
}

describe('AliyunSmsGateway against a SendSms stub', () => {
  let stub: SmsApiStub;
  let broken = false;

  beforeAll(async () => {
    stub = await SmsApiStub.start({
      provider: 'aliyun',
      ...KEY,
      respond: (sms) => {
        if (sms.phone === '13800000429') return 'isv.BUSINESS_LIMIT_CONTROL';
        if (sms.phone === '13800000404') return 'isv.MOBILE_NUMBER_ILLEGAL';
        return undefined;
      },
      brokenStatus: () => (broken ? 502 : undefined),
    });
  });

  afterAll(async () => {
    await stub?.close();
  });

  const gateway = (over: Partial<typeof KEY> = {}) =>
    new AliyunSmsGateway({ url: stub.url, region: 'cn-hangzhou', ...KEY, ...over });

  it('sends the registered template, signed, and answers with the BizId receipts will carry', async () => {
    const sent = await gateway().send('+8613800000001', '【巴彦淖尔市教育局】…', {
      template,
      reference: 'n-1',
    });
    expect(stub.badSignatures).toEqual([]);
    const [sms] = stub.sent;
    expect(sms).toEqual({
      provider: 'aliyun',
      phone: '13800000001',
      signName: '巴彦淖尔市教育局',
      templateCode: 'SMS_154950909',
      params: { recipientName: '王明', countyName: '五原县', amountClause: '，涉及资金625.00元' },
      reference: 'n-1',
      messageId: sent.messageId,
      code: 'OK',
    });
    expect(sent).toEqual({ messageId: expect.stringMatching(/\^0$/), partIds: [sent.messageId] });
  });

  it('retries flow control and gives up on an illegal number', async () => {
    const throttled = await failureOf(gateway().send('13800000429', 'x', { template }));
    expect(throttled).toMatchObject({ permanent: false });
    expect(throttled.message).toContain('isv.BUSINESS_LIMIT_CONTROL');
    const illegal = await failureOf(gateway().send('13800000404', 'x', { template }));
    expect(illegal).toMatchObject({ permanent: true });
    expect(illegal.message).toContain('isv.MOBILE_NUMBER_ILLEGAL');
    expect(illegal.message).not.toContain('13800000404');
  });

  it('is refused for good when its signature does not match', async () => {
    const before = stub.badSignatures.length;
    const refused = await failureOf(
      gateway({ accessKeySecret: 'wrong' }).send('13800000001', 'x', { template }),
    );
    expect(refused).toMatchObject({ permanent: true });
    expect(refused.message).toContain('SignatureDoesNotMatch');
    expect(stub.badSignatures.slice(before)).toEqual(['signature']);
  });

  it('retries a gateway answering 502 without JSON, and one that is not there', async () => {
    broken = true;
    try {
      const bad = await failureOf(gateway().send('13800000001', 'x', { template }));
      expect(bad).toMatchObject({ permanent: false });
      expect(bad.message).toContain('HTTP 502');
    } finally {
      broken = false;
    }
    const down = new AliyunSmsGateway({ url: await closedPort(), region: 'cn-hangzhou', ...KEY });
    await expect(failureOf(down.send('13800000001', 'x', { template }))).resolves.toMatchObject({
      permanent: false,
    });
  });
});

describe('TencentSmsGateway against a SendSms stub', () => {
  let stub: SmsApiStub;

  beforeAll(async () => {
    stub = await SmsApiStub.start({
      provider: 'tencent',
      ...KEY,
      appId: '1400787878',
      respond: (sms) => {
        if (sms.phone === '+8613800000429') return 'LimitExceeded.PhoneNumberThirtySecondLimit';
        if (sms.phone === '+8613800000404') return 'FailedOperation.PhoneNumberInBlacklist';
        return undefined;
      },
    });
  });

  afterAll(async () => {
    await stub?.close();
  });

  const gateway = (over: Partial<typeof KEY> = {}) =>
    new TencentSmsGateway({ url: stub.url, region: 'ap-guangzhou', appId: '1400787878', ...KEY, ...over });

  it('sends the template with positional parameters, signed TC3, and answers with the SerialNo', async () => {
    const sent = await gateway().send('13800000001', 'x', { template, reference: 'n-2' });
    expect(stub.badSignatures).toEqual([]);
    expect(stub.sent[0]).toEqual({
      provider: 'tencent',
      phone: '+8613800000001',
      signName: '巴彦淖尔市教育局',
      templateCode: 'SMS_154950909',
      params: ['王明', '五原县', '，涉及资金625.00元'],
      reference: 'n-2',
      messageId: sent.messageId,
      code: 'Ok',
    });
    expect(sent.partIds).toEqual([sent.messageId]);
  });

  it('maps the per-number status: limits are retried, a blacklisted number is not', async () => {
    const limited = await failureOf(gateway().send('13800000429', 'x', { template }));
    expect(limited).toMatchObject({ permanent: false });
    expect(limited.message).toContain('LimitExceeded.PhoneNumberThirtySecondLimit');
    const blocked = await failureOf(gateway().send('13800000404', 'x', { template }));
    expect(blocked).toMatchObject({ permanent: true });
    expect(blocked.message).toContain('FailedOperation.PhoneNumberInBlacklist');
  });

  it('is refused for good when its signature does not match', async () => {
    const refused = await failureOf(
      gateway({ accessKeySecret: 'wrong' }).send('13800000001', 'x', { template }),
    );
    expect(refused).toMatchObject({ permanent: true });
    expect(refused.message).toContain('AuthFailure.SignatureFailure');
    expect(stub.badSignatures).toEqual(['signature']);
  });
});
