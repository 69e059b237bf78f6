import { DomainError, NOTICE_KINDS, type NoticeKind } from '@edu/contracts';
import { placeholdersOf } from './notice-template.js';
import { NOTICE_TEMPLATES, templateValues } from './notice-templates.js';
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

/** What supervision sends with the minutes and the follow-up reminder of an interview. */
const interviewValues: NoticeValues = {
  cityName: '巴彦淖尔市',
  countyName: '五原县',
  frontName: '学生资助',
  escalationId: '4b0e8a43-4c1f-4e8b-9d3e-3f4b8f2c1a77',
  recipientName: '王明',
  recipientTitle: '五原县教育局局长',
  signName: '教育局',
  interviewNo: '约谈〔2020〕3号',
  interviewDate: '2020年11月5日',
  commitmentCount: 2,
  followUpDueOn: '2020年11月20日',
  workingDaysLeft: 3,
};

const valuesOf = (kind: NoticeKind) =>
  kind === 'interview_minutes' || kind === 'follow_up_reminder' ? interviewValues : values;

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
        const r = renderNotice(kind, channel, valuesOf(kind));
        expect(`${r.subject ?? ''}${r.text}`).not.toMatch(/[{}]/);
      }
    }
  });

  it('sends the minutes with the interview, its commitments and the follow-up date', () => {
    const sms = renderNotice('interview_minutes', 'sms', interviewValues);
    expect(sms.text).toBe(
      '【教育局】约谈纪要：五原县教育局局长王明同志，巴彦淖尔市教育局2020年11月5日就五原县学生资助工作进行约谈' +
        '（约谈〔2020〕3号），形成整改承诺2项。请于2020年11月20日前将整改落实情况书面报巴彦淖尔市教育局。',
    );
    // The registered template's call: its code, signature and parameters in order.
    expect(sms.sms).toMatchObject({ code: 'SMS_EDU_INTERVIEW_MINUTES', signName: '教育局' });
    expect(sms.sms?.params.map((p) => p.name)).toEqual([
      'recipientTitle',
      'recipientName',
      'cityName',
      'interviewDate',
      'countyName',
      'frontName',
      'interviewNo',
      'commitmentCount',
      'followUpDueOn',
    ]);
    const email = renderNotice('interview_minutes', 'email', interviewValues);
    expect(email.subject).toBe('【约谈纪要】五原县学生资助工作约谈纪要（约谈〔2020〕3号）');
    expect(email.text).toContain('约谈纪要见附件');
    expect(email.text).toContain('于2020年11月20日前将整改落实情况');
    expect(email.text).toContain('约谈编号：约谈〔2020〕3号\n\n巴彦淖尔市教育局');
  });

  it('reminds of the follow-up report with the date and the working days left', () => {
    const sms = renderNotice('follow_up_reminder', 'sms', interviewValues);
    expect(sms.text).toContain('整改报送提醒');
    expect(sms.text).toContain('须于2020年11月20日前书面报巴彦淖尔市教育局，距期限还有3个工作日');
    expect(sms.sms).toMatchObject({ code: 'SMS_EDU_FOLLOW_UP_REMINDER', signName: '教育局' });
    const email = renderNotice('follow_up_reminder', 'email', interviewValues);
    expect(email.subject).toBe('【整改报送提醒】五原县学生资助工作整改落实情况须于2020年11月20日前报送');
    expect(email.text).toContain('约谈纪要（约谈〔2020〕3号）');
    // Without the date there is nothing to remind of: refused, not sent half-filled.
    const e = failure(() =>
      renderNotice('follow_up_reminder', 'sms', { ...interviewValues, followUpDueOn: undefined }),
    );
    expect(e.code).toBe(NotificationErrorCode.MissingTemplateParameter);
    expect(e.message).toContain('followUpDueOn');
  });

  it('refuses a resident ID number in any value of the new kinds, on either channel', () => {
    for (const kind of ['interview_minutes', 'follow_up_reminder'] as const) {
      for (const channel of ['sms', 'email'] as const) {
        for (const name of ['interviewNo', 'countyName', 'recipientName']) {
          const e = failure(() =>
            renderNotice(kind, channel, { ...interviewValues, [name]: '约谈15082120120315456X' }),
          );
          expect(e.code).toBe(NotificationErrorCode.ResidentIdInText);
          expect(e.message).not.toContain('15082120120315456X');
        }
      }
    }
  });

  it('has no template of any kind that asks for a child: only places, officials, counts and dates', () => {
    for (const kind of NOTICE_KINDS) {
      const allowed = templateValues(kind);
      expect(allowed.filter((v) => /student|child|pupil|idNumber|resident/i.test(v))).toEqual([]);
      for (const t of [
        NOTICE_TEMPLATES[kind].sms.text,
        NOTICE_TEMPLATES[kind].email.subject,
        NOTICE_TEMPLATES[kind].email.text,
      ])
        expect(placeholdersOf(t).filter((p) => !allowed.includes(p))).toEqual([]);
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
