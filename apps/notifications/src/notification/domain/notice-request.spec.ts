import { decodeAttachments, NoticeRequest } from './notice-request.js';

function request(
  phone: string | null,
  email: string | null,
  params: Record<string, string | number | boolean> = {},
) {
  return NoticeRequest.accept({
    requestId: 'r1',
    kind: 'interview_notice',
    escalationId: 'e1',
    countyCode: '150821',
    officialId: 'WY-HEAD',
    recipientName: '王明',
    recipientTitle: '局长',
    phone,
    email,
    channels: ['sms'],
    params,
    correlationId: 'c1',
    causeEventId: 'ev1',
    createdAt: new Date('2020-06-01Z'),
  });
}

describe('NoticeRequest', () => {
  it('falls back to the other channel when the official has an address there and nothing is on it yet', () => {
    const r = request('13800000001', 'wang@bureau.test');
    expect(r.fallbackFor('sms', ['sms'])).toEqual({ channel: 'email', address: 'wang@bureau.test' });
    expect(r.fallbackFor('email', ['email'])).toEqual({ channel: 'sms', address: '13800000001' });
    expect(r.fallbackFor('sms', ['sms', 'email'])).toBeNull();
    expect(request('13800000001', null).fallbackFor('sms', ['sms'])).toBeNull();
  });

  it('is urgent only as an interview notice marked urgent, and renders with the signature given', () => {
    expect(request('1', null, { urgent: true }).props.urgent).toBe(true);
    expect(request('1', null).props.urgent).toBe(false);
    expect(request('1', null, { countyName: '五原县' }).values('教育局')).toMatchObject({
      countyName: '五原县',
      escalationId: 'e1',
      recipientName: '王明',
      recipientTitle: '局长',
      signName: '教育局',
    });
  });
});

describe('decodeAttachments', () => {
  const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

  it('decodes each document', () => {
    const [pdf] = decodeAttachments([
      { filename: '约谈通知书.pdf', contentType: 'application/pdf', contentBase64: b64('%PDF-1.4') },
    ]);
    expect(pdf.filename).toBe('约谈通知书.pdf');
    expect(pdf.content.toString('utf8')).toBe('%PDF-1.4');
  });

  it('refuses an HTML document with something shaped like a resident ID number', () => {
    expect(() =>
      decodeAttachments([
        {
          filename: 'minutes.html',
          contentType: 'text/html',
          contentBase64: b64('<p>15082120120315456X</p>'),
        },
      ]),
    ).toThrow(/attachment minutes.html rendered text shaped like a resident ID number/);
  });
});
