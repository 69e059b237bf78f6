import { DomainError, NOTICE_KINDS } from '@edu/contracts';
import { NotificationErrorCode } from './notification.errors.js';
import { emailHtml, renderNotice, type NoticeValues } from './render-notice.js';

const values: NoticeValues = {
  cityName: '巴彦淖尔市',
  countyName: '五原县',
  frontName: '学生资助',
  itemCount: 3,
  amount: '12500.00',
  escalationId: '4b0e8a43-4c1f-4e8b-9d3e-3f4b8f2c1a77',
  recipientName: '王明',
  recipientTitle: '五原县教育局局长',
  signName: '教育局',
};

function failure(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error('expected a DomainError');
}

describe('renderNotice', () => {
  it('puts 约谈 and the county into an interview notice SMS and email subject', () => {
    const sms = renderNotice('interview_notice', 'sms', values);
    expect(sms.subject).toBeNull();
    expect(sms.text).toContain('约谈');
    expect(sms.text).toContain('五原县');
    expect(sms.text.startsWith('【教育局】')).toBe(true);
    const email = renderNotice('interview_notice', 'email', values);
    expect(email.subject).toContain('约谈');
    expect(email.subject).toContain('五原县');
    expect(email.text).toContain('巴彦淖尔市教育局');
    expect(email.text).toContain(`督办编号：${String(values.escalationId)}`);
  });

  it('puts 督办 and the county into a supervision notice SMS and email subject', () => {
    const sms = renderNotice('supervision_notice', 'sms', values);
    const email = renderNotice('supervision_notice', 'email', values);
    for (const text of [sms.text, email.subject ?? '']) {
      expect(text).toContain('督办');
      expect(text).toContain('五原县');
    }
    expect(sms.text).toContain('学生资助工作有3项问题逾期未整改，涉及资金12500.00元');
  });

  it('renders every kind on every channel with nothing left unfilled', () => {
    for (const kind of NOTICE_KINDS) {
      for (const channel of ['sms', 'email'] as const) {
        const r = renderNotice(kind, channel, values);
        expect(`${r.subject ?? ''}${r.text}`).not.toMatch(/[{}]/);
      }
    }
  });

  it('leaves out the amount clause when there is no amount', () => {
    const { text } = renderNotice('supervision_notice', 'sms', { ...values, amount: undefined });
    expect(text).not.toContain('涉及资金');
    expect(text).toContain('有3项问题逾期未整改，请于');
  });

  it('fails loudly, naming every missing parameter', () => {
    const e = failure(() =>
      renderNotice('interview_notice', 'email', { ...values, countyName: undefined, frontName: '  ' }),
    );
    expect(e.code).toBe(NotificationErrorCode.MissingTemplateParameter);
    expect(e.message).toContain('interview_notice/email');
    expect(e.message).toContain('countyName, frontName');
  });

  it('refuses text containing something shaped like a resident ID number', () => {
    const e = failure(() =>
      renderNotice('supervision_notice', 'sms', { ...values, frontName: '15082120120315456X' }),
    );
    expect(e.code).toBe(NotificationErrorCode.ResidentIdInText);
    expect(e.message).not.toContain('15082120120315456X');
    // An 11-digit phone number or a count is fine.
    expect(() =>
      renderNotice('supervision_notice', 'sms', { ...values, itemCount: 13800000001 }),
    ).not.toThrow();
  });

  it('keeps a value from adding placeholders or paragraphs', () => {
    const { text } = renderNotice('supervision_notice', 'sms', {
      ...values,
      frontName: '{cityName}\n\n控辍保学',
    });
    expect(text).toContain('{cityName} 控辍保学');
  });
});

describe('emailHtml', () => {
  it('escapes the text and makes a paragraph per block', () => {
    const html = emailHtml('约谈 <通知>', '第一段\n\n第二段 <b>&</b>');
    expect(html).toContain('<title>约谈 &lt;通知&gt;</title>');
    expect(html).toContain('<p>第一段</p>\n<p>第二段 &lt;b&gt;&amp;&lt;/b&gt;</p>');
  });
});
