import { Logger } from '@nestjs/common';
import { waitFor } from '@edu/testing';
import { LocalSmppSink } from '../src/notification/channels/local/local-smpp-sink.js';
import type { SmsDeliveryReceipt } from '../src/notification/channels/sms-gateway.js';
import { SmppSmsGateway } from '../src/notification/channels/smpp/smpp-sms-gateway.js';
import { DeliveryFailure } from '../src/notification/domain/delivery-failure.js';

const ESME_RX_T_APPN = 0x64;

/** The SMPP adapter on its own against a real SMPP server on 127.0.0.1. */
describe('SmppSmsGateway', () => {
  const open: { close(): Promise<void> }[] = [];
  const track = <T extends { close(): Promise<void> }>(x: T): T => {
    open.push(x);
    return x;
  };

  beforeAll(() => {
    if (!process.env.TEST_LOGS) Logger.overrideLogger(false);
  });

  afterEach(async () => {
    for (const x of open.reverse()) await x.close();
    open.length = 0;
  });

  it('binds with the credentials in the URL and keeps the link alive with enquire_link', async () => {
    const sink = track(
      await LocalSmppSink.start({ systemId: 'bureau', password: 'pw', autoReceipts: false }),
    );
    const gateway = track(new SmppSmsGateway({ url: sink.url, enquireLinkMs: 50 }));
    gateway.start();
    await waitFor(
      async () => sink.enquireLinks,
      (n) => n >= 3,
      { what: 'enquire_link keepalives' },
    );
    expect(sink.binds).toBe(1);
    const sent = await gateway.send('+8613800000001', '约谈通知：五原县');
    expect(sent.partIds).toEqual([sent.messageId]);
    expect(sink.submissions[0]).toMatchObject({
      to: '8613800000001',
      dataCoding: 8,
      esmClass: 0,
      text: '约谈通知：五原县',
    });
  });

  it('fails sends transiently while a bind is refused', async () => {
    const sink = track(await LocalSmppSink.start({ systemId: 'bureau', password: 'right' }));
    const url = sink.url.replace(':right@', ':wrong@');
    const gateway = track(new SmppSmsGateway({ url, bindWaitMs: 200, reconnectMinMs: 50 }));
    const error = await gateway.send('13800000001', '督办').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeliveryFailure);
    expect(error).toMatchObject({ permanent: false, message: 'not bound to the SMSC' });
    expect(sink.binds).toBe(0);
  });

  it('drops a link whose enquire_link goes unanswered and binds again', async () => {
    const sink = track(await LocalSmppSink.start({ ignoreEnquireLink: true }));
    const gateway = track(
      new SmppSmsGateway({ url: sink.url, enquireLinkMs: 50, responseTimeoutMs: 100, reconnectMinMs: 20 }),
    );
    gateway.start();
    await waitFor(
      async () => sink.binds,
      (n) => n >= 2,
      { what: 'a second bind after the hung link' },
    );
  });

  it('acknowledges a receipt only once the listener recorded it', async () => {
    const sink = track(await LocalSmppSink.start({ autoReceipts: false }));
    const gateway = track(new SmppSmsGateway({ url: sink.url }));
    const seen: SmsDeliveryReceipt[] = [];
    let failNext = true;
    gateway.onReceipt(async (r) => {
      if (failNext) {
        failNext = false;
        throw new Error('database unavailable');
      }
      seen.push(r);
    });
    const { messageId } = await gateway.send('13800000001', '督办提醒');
    await expect(sink.sendReceipt(messageId, 'DELIVRD')).resolves.toBe(ESME_RX_T_APPN);
    await expect(sink.sendReceipt(messageId, 'DELIVRD')).resolves.toBe(0);
    expect(seen).toEqual([{ messageId, state: 'DELIVRD', delivered: true }]);
  });
});
