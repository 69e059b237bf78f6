import { DomainError } from '@edu/contracts';
import type { NoticeTemplate } from './notice-template.js';
import { NotificationErrorCode } from './notification.errors.js';
import { renderTemplate, type NoticeValues } from './render-notice.js';

const values: NoticeValues = {
  cityName: '巴彦淖尔市',
  countyName: '五原县',
  frontName: '学生资助',
  itemCount: 3,
  amount: '625.00',
  escalationId: '4b0e8a43-4c1f-4e8b-9d3e-3f4b8f2c1a77',
  recipientName: '王明',
  recipientTitle: '五原县教育局局长',
  signName: '配置的签名',
};

const sms: NoticeTemplate = {
  id: 't1',
  kind: 'interview_notice',
  channel: 'sms',
  version: 2,
  effectiveFrom: new Date('2020-01-01Z'),
  subject: null,
  body: '【{signName}】{recipientTitle}{recipientName}同志：{countyName}{itemCount}项问题{amountClause}，{countyName}约谈。',
  providerTemplateCode: 'SMS_154950909',
  signName: '巴彦淖尔市教育局',
  note: null,
  createdBy: 'admin',
  createdAt: new Date('2020-01-01Z'),
};

describe('renderTemplate', () => {
  it('signs an SMS with the template’s signature and lists the provider parameters in order', () => {
    const r = renderTemplate(sms, values);
    expect(r.subject).toBeNull();
    expect(r.text).toBe(
      '【巴彦淖尔市教育局】五原县教育局局长王明同志：五原县3项问题，涉及资金625.00元，五原县约谈。',
    );
    expect(r.sms).toEqual({
      code: 'SMS_154950909',
      signName: '巴彦淖尔市教育局',
      params: [
        { name: 'recipientTitle', value: '五原县教育局局长' },
        { name: 'recipientName', value: '王明' },
        { name: 'countyName', value: '五原县' },
        { name: 'itemCount', value: '3' },
        { name: 'amountClause', value: '，涉及资金625.00元' },
      ],
    });
  });

  it('passes an empty clause when its value is absent', () => {
    const r = renderTemplate(sms, { ...values, amount: undefined });
    expect(r.sms?.params.find((p) => p.name === 'amountClause')).toEqual({ name: 'amountClause', value: '' });
    expect(r.text).not.toContain('涉及资金');
  });

  it('renders an email subject and body, with no SMS call', () => {
    const r = renderTemplate(
      {
        ...sms,
        channel: 'email',
        subject: '【约谈通知】{countyName}',
        body: '{recipientName}同志：\n\n{cityName}{signName}',
        signName: null,
      },
      values,
    );
    expect(r).toEqual({
      subject: '【约谈通知】五原县',
      text: '王明同志：\n\n巴彦淖尔市配置的签名',
      sms: null,
    });
  });

  it('fails loudly on a missing parameter, naming the template version', () => {
    let error: unknown;
    try {
      renderTemplate(sms, { ...values, recipientName: ' ' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe(NotificationErrorCode.MissingTemplateParameter);
    expect((error as DomainError).message).toContain(
      'interview_notice/sms v2 needs parameter(s): recipientName',
    );
  });

  it('refuses a resident ID number, in the text or in a provider parameter', () => {
    let error: unknown;
    try {
      renderTemplate(sms, { ...values, countyName: '15082120120315456X' });
    } catch (e) {
      error = e;
    }
    expect((error as DomainError).code).toBe(NotificationErrorCode.ResidentIdInText);
  });
});
