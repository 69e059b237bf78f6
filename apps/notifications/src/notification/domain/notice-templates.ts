import type { NoticeKind } from '@edu/contracts';

/*
 * The first version of every notice's wording, by kind and channel. The service reads its
 * templates from the `notice_template` table (versioned rows with effective dates, added by
 * the operations team through the API); these are seeded into it as version 1 on first
 * start, so rendering reads nothing but those records.
 *
 * `{name}` is a required value: a missing one fails rendering. `{clause}` names an entry of
 * NOTICE_CLAUSES, rendered only when the value it requires is present.
 *
 * Values: cityName, countyName, frontName, itemCount (required, from the request's params),
 * amount (optional, yuan), escalationId (from the request), recipientName and recipientTitle
 * (from the request's recipient), signName (SMS_SIGN_NAME). Never a student's name or ID.
 */

export interface SmsTemplate {
  text: string;
  /**
   * The code of the template as registered with the HTTP SMS provider (Aliyun `TemplateCode`,
   * Tencent `TemplateId`). These seed values are placeholders: once the provider approves the
   * bureau's templates, the operations team posts a new version carrying the real code.
   */
  providerTemplateCode: string;
}

export interface EmailTemplate {
  subject: string;
  /** Plain text; the HTML part is made from it, a paragraph per blank-line-separated block. */
  text: string;
}

export interface NoticeClause {
  requires: string;
  text: string;
}

/**
 * The values every request carries, usable as `{name}` in any template; `signName` is the
 * SMS template's signature in SMS, SMS_SIGN_NAME in email. A value only some requests carry
 * (amount) is used through a clause.
 */
export const TEMPLATE_VALUES = [
  'cityName',
  'countyName',
  'frontName',
  'itemCount',
  'level',
  'escalationId',
  'recipientName',
  'recipientTitle',
  'signName',
] as const;

export const NOTICE_CLAUSES: Record<string, NoticeClause> = {
  amountClause: { requires: 'amount', text: '，涉及资金{amount}元' },
};

const FOOTER = '督办编号：{escalationId}\n\n{cityName}{signName}';

export const NOTICE_TEMPLATES: Record<NoticeKind, { sms: SmsTemplate; email: EmailTemplate }> = {
  supervision_notice: {
    sms: {
      providerTemplateCode: 'SMS_EDU_SUPERVISION_NOTICE',
      text:
        '【{signName}】督办提醒：{recipientTitle}{recipientName}同志，{countyName}{frontName}工作有' +
        '{itemCount}项问题逾期未整改{amountClause}，请于规定时限内整改到位并报{cityName}教育局。',
    },
    email: {
      subject: '【督办提醒】{countyName}{frontName}工作{itemCount}项问题逾期未整改',
      text: [
        '{recipientTitle}{recipientName}同志：',
        '{cityName}教育局在教育脱贫攻坚挂牌督战中发现，{countyName}{frontName}工作有{itemCount}项问题' +
          '逾期未整改{amountClause}。',
        '请按照“一项一项清零、一户一户对账”的要求，于规定时限内完成整改，并将整改措施、完成情况和' +
          '佐证材料报{cityName}教育局。逾期仍未整改的，将按督战工作程序升级督办。',
        FOOTER,
      ].join('\n\n'),
    },
  },
  interview_notice: {
    sms: {
      providerTemplateCode: 'SMS_EDU_INTERVIEW_NOTICE',
      text:
        '【{signName}】约谈通知：{recipientTitle}{recipientName}同志，{countyName}{frontName}工作' +
        '{itemCount}项问题经督办仍整改不力{amountClause}，{cityName}教育局决定对您进行约谈，时间地点另行通知。',
    },
    email: {
      subject: '【约谈通知】关于{countyName}{frontName}工作整改不力的约谈通知',
      text: [
        '{recipientTitle}{recipientName}同志：',
        '{cityName}教育局在教育脱贫攻坚挂牌督战中发现，{countyName}{frontName}工作存在{itemCount}项问题' +
          '{amountClause}，经督办提醒后整改不力，问题仍未解决。',
        '根据督战工作安排，{cityName}教育局决定对您进行约谈。约谈时间、地点另行通知。请提前准备整改' +
          '情况汇报，对照问题清单逐项说明整改措施、完成时限和责任人。',
        FOOTER,
      ].join('\n\n'),
    },
  },
  accountability_recommendation: {
    sms: {
      providerTemplateCode: 'SMS_EDU_ACCOUNTABILITY_RECOMMENDATION',
      text:
        '【{signName}】追责问责建议：{recipientTitle}{recipientName}同志，{countyName}{frontName}工作' +
        '{itemCount}项问题经督办、约谈仍未整改到位{amountClause}，{cityName}教育局已向{countyName}党委' +
        '提出追责问责建议。',
    },
    email: {
      subject: '【追责问责建议】{countyName}{frontName}工作问题整改不到位',
      text: [
        '{recipientTitle}{recipientName}同志：',
        '{countyName}{frontName}工作存在{itemCount}项问题{amountClause}，经督办提醒和约谈后仍拒不整改' +
          '或整改不到位。',
        '根据督战工作安排，{cityName}教育局已向{countyName}党委提出追责问责建议。请督促相关单位和责任人' +
          '立即整改，并将整改及处理情况报{cityName}教育局。',
        FOOTER,
      ].join('\n\n'),
    },
  },
};
