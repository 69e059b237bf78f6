import { parseDeliveryReceipt, receiptText } from './delivery-receipt.js';
import { smppFailure, smppStatusName } from './smpp-status.js';

describe('parseDeliveryReceipt', () => {
  it('reads the id and state from the TLVs', () => {
    expect(
      parseDeliveryReceipt({
        esm_class: 0x04,
        short_message: { message: 'whatever' },
        receipted_message_id: 'abc123',
        message_state: 2,
      }),
    ).toEqual({ messageId: 'abc123', state: 'DELIVRD', delivered: true });
  });

  it('falls back to the receipt text', () => {
    expect(
      parseDeliveryReceipt({ esm_class: 0x04, short_message: { message: receiptText('9f0e', 'UNDELIV') } }),
    ).toEqual({ messageId: '9f0e', state: 'UNDELIV', delivered: false });
  });

  it('ignores mobile-originated messages and intermediate states', () => {
    expect(
      parseDeliveryReceipt({ esm_class: 0, short_message: { message: 'id:1 stat:DELIVRD' } }),
    ).toBeNull();
    expect(parseDeliveryReceipt({ esm_class: 0x04, receipted_message_id: 'x', message_state: 1 })).toBeNull();
  });
});

describe('SMPP status classification', () => {
  it('retries throttling and a full queue', () => {
    expect(smppFailure(0x58)).toMatchObject({
      permanent: false,
      message: expect.stringContaining('ESME_RTHROTTLED'),
    });
    expect(smppFailure(0x14)).toMatchObject({
      permanent: false,
      message: expect.stringContaining('ESME_RMSGQFUL'),
    });
  });

  it('gives up on an invalid destination', () => {
    expect(smppFailure(0x0b)).toMatchObject({
      permanent: true,
      message: expect.stringContaining('ESME_RINVDSTADR'),
    });
  });

  it('retries unknown vendor codes', () => {
    expect(smppStatusName(0x4f3)).toBe('status 0x4f3');
    expect(smppFailure(0x4f3).permanent).toBe(false);
  });
});
