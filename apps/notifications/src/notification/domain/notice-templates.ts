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
 * Values: the common ones (place names and the front from the request's params, escalationId
 * from the request, recipientName and recipientTitle from its recipient, signName) and those
 * of the kind (KIND_VALUES); amount (optional, yuan) through its clause. Counts, dates and
 * names of places and officials only: never a student's name or ID.
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
 * The values every request carries, whatever its kind; `signName` is the SMS template's
 * signature in SMS, SMS_SIGN_NAME in email.
 */
export const COMMON_VALUES = [
  'cityName',
  'countyName',
  'frontName',
  'escalationId',
  'recipientName',
  'recipientTitle',
  'signName',
] as const;

/**
 * The digest a ladder step's notice carries: open items as of the step (`itemCount`), all
 * items so far (`totalItemCount`), those reported for the first time (`newItemCount`), and
 * the rung (`level`, `levelName`).
 */
const STEP_VALUES = ['itemCount', 'totalItemCount', 'newItemCount', 'level', 'levelName', 'breachTypeName'];

/**
 * What a request of each kind carries besides the common values, usable as `{name}` in that
 * kind's templates only (a template may not ask for what its requests never carry).
 * Interview kinds: the interview's number (约谈〔2020〕3号), the day it was held, the number of
 * commitments in its minutes, the date the written follow-up report is due, and (reminder)
 * the working days left until then. Dates are written out in Chinese (2020年11月20日).
 */
export const KIND_VALUES: Record<NoticeKind, readonly string[]> = {
  supervision_notice: STEP_VALUES,
  interview_notice: STEP_VALUES,
  accountability_recommendation: STEP_VALUES,
  interview_minutes: ['interviewNo', 'interviewDate', 'commitmentCount', 'followUpDueOn'],
  follow_up_reminder: ['interviewNo', 'interviewDate', 'followUpDueOn', 'workingDaysLeft'],
};

export const NOTICE_CLAUSES: Record<string, NoticeClause> = {
  amountClause: { requires: 'amount', text: '，涉及资金{amount}元' },
};

/** The clauses each kind's templates may use (a clause's value is one only some requests carry). */
export const KIND_CLAUSES: Record<NoticeKind, readonly string[]> = {
  supervision_notice: ['amountClause'],
  interview_notice: ['amountClause'],
  accountability_recommendation: ['amountClause'],
  interview_minutes: [],
  follow_up_reminder: [],
};

/** Every `{name}` a template of `kind` may use. */
export function templateValues(kind: NoticeKind): string[] {
  return [...COMMON_VALUES, ...KIND_VALUES[kind], ...KIND_CLAUSES[kind]];
}

const FOOTER = '督办编号：{escalationId}\n\n{cityName}{signName}';
const INTERVIEW_FOOTER = '约谈编号：{interviewNo}\n\n{cityName}{signName}';

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
  // The digests above are the ladder's: one per official per step. These two follow an interview.
  interview_minutes: {
    sms: {
      providerTemplateCode: 'SMS_EDU_INTERVIEW_MINUTES',
      text:
        '【{signName}】约谈纪要：{recipientTitle}{recipientName}同志，{cityName}教育局{interviewDate}就' +
        '{countyName}{frontName}工作进行约谈（{interviewNo}），形成整改承诺{commitmentCount}项。请于' +
        '{followUpDueOn}前将整改落实情况书面报{cityName}教育局。',
    },
    email: {
      subject: '【约谈纪要】{countyName}{frontName}工作约谈纪要（{interviewNo}）',
      text: [
        '{recipientTitle}{recipientName}同志：',
        '{cityName}教育局于{interviewDate}就{countyName}{frontName}工作整改不力问题进行了约谈（{interviewNo}），' +
          '约谈形成整改承诺{commitmentCount}项，约谈纪要见附件。',
        '请对照约谈纪要逐项落实整改承诺，于{followUpDueOn}前将整改落实情况和佐证材料书面报{cityName}教育局。' +
          '逾期未报或整改不到位的，将按督战工作程序向{countyName}党委提出追责问责建议。',
        INTERVIEW_FOOTER,
      ].join('\n\n'),
    },
  },
  follow_up_reminder: {
    sms: {
      providerTemplateCode: 'SMS_EDU_FOLLOW_UP_REMINDER',
      text:
        '【{signName}】整改报送提醒：{recipientTitle}{recipientName}同志，按{interviewNo}约谈纪要要求，' +
        '{countyName}{frontName}工作整改落实情况须于{followUpDueOn}前书面报{cityName}教育局，' +
        '距期限还有{workingDaysLeft}个工作日，请按时报送。',
    },
    email: {
      subject: '【整改报送提醒】{countyName}{frontName}工作整改落实情况须于{followUpDueOn}前报送',
      text: [
        '{recipientTitle}{recipientName}同志：',
        '根据{cityName}教育局{interviewDate}约谈形成的约谈纪要（{interviewNo}），{countyName}{frontName}工作' +
          '整改落实情况须于{followUpDueOn}前书面报{cityName}教育局，距期限还有{workingDaysLeft}个工作日。',
        '请对照约谈纪要所列整改承诺逐项说明落实情况，并附佐证材料。逾期未报或整改不到位的，将按督战工作程序' +
          '向{countyName}党委提出追责问责建议。',
        INTERVIEW_FOOTER,
      ].join('\n\n'),
    },
  },
};
