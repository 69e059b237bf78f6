import { DomainError, NOTICE_KINDS } from '@edu/contracts';
import {
  defineTemplate,
  effectiveTemplate,
  placeholdersOf,
  seedTemplates,
  type NoticeTemplate,
  type TemplateDraft,
} from './notice-template.js';
import { NotificationErrorCode } from './notification.errors.js';

const meta = { id: 'new-id', createdBy: 'admin', now: new Date('2020-06-01T00:00:00Z') };

function version(v: number, effectiveFrom: string, over: Partial<NoticeTemplate> = {}): NoticeTemplate {
  return {
    id: `v${v}`,
    kind: 'interview_notice',
    channel: 'sms',
    version: v,
    effectiveFrom: new Date(effectiveFrom),
    subject: null,
    body: `约谈 v${v}`,
    providerTemplateCode: 'SMS_1',
    signName: '教育局',
    note: null,
    createdBy: 'x',
    createdAt: new Date(effectiveFrom),
    ...over,
  };
}

function refusal(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error('expected a DomainError');
}

const smsDraft: TemplateDraft = {
  kind: 'interview_notice',
  channel: 'sms',
  effectiveFrom: new Date('2020-07-01T00:00:00+08:00'),
  body: '【{signName}】约谈通知：{recipientTitle}{recipientName}同志，{countyName}{frontName}{amountClause}。',
  providerTemplateCode: 'SMS_154950909',
  signName: '巴彦淖尔市教育局',
};

describe('effectiveTemplate', () => {
  const versions = [
    version(1, '2020-01-01T00:00:00Z'),
    version(2, '2020-06-01T00:00:00Z'),
    version(3, '2020-06-01T00:00:00Z'),
    version(4, '2020-09-01T00:00:00Z'),
    version(5, '2020-01-01T00:00:00Z', { channel: 'email', subject: 's' }),
  ];

  it('takes the latest version in effect at the moment, the higher version on a tie', () => {
    expect(effectiveTemplate(versions, 'interview_notice', 'sms', new Date('2020-03-01Z'))?.version).toBe(1);
    expect(effectiveTemplate(versions, 'interview_notice', 'sms', new Date('2020-06-01Z'))?.version).toBe(3);
    expect(effectiveTemplate(versions, 'interview_notice', 'sms', new Date('2020-12-01Z'))?.version).toBe(4);
    expect(effectiveTemplate(versions, 'interview_notice', 'email', new Date('2020-12-01Z'))?.version).toBe(
      5,
    );
  });

  it('finds nothing before the first version, or for another kind', () => {
    expect(effectiveTemplate(versions, 'interview_notice', 'sms', new Date('2019-12-31Z'))).toBeUndefined();
    expect(effectiveTemplate(versions, 'supervision_notice', 'sms', new Date('2020-12-01Z'))).toBeUndefined();
  });
});

describe('defineTemplate', () => {
  it('numbers the new version after the latest and keeps what the SMS provider needs', () => {
    const t = defineTemplate(smsDraft, 3, meta);
    expect(t).toMatchObject({
      id: 'new-id',
      version: 4,
      channel: 'sms',
      subject: null,
      providerTemplateCode: 'SMS_154950909',
      signName: '巴彦淖尔市教育局',
      createdBy: 'admin',
    });
  });

  it('refuses an SMS template without a provider code or signature', () => {
    expect(
      refusal(() => defineTemplate({ ...smsDraft, providerTemplateCode: '' }, 0, meta)).message,
    ).toContain('providerTemplateCode');
    expect(refusal(() => defineTemplate({ ...smsDraft, signName: '【教育局】' }, 0, meta)).message).toContain(
      'signName',
    );
  });

  it('refuses an email template without a subject, and drops SMS fields from it', () => {
    const draft: TemplateDraft = { ...smsDraft, channel: 'email', subject: undefined };
    expect(refusal(() => defineTemplate(draft, 0, meta)).code).toBe(NotificationErrorCode.InvalidTemplate);
    const t = defineTemplate({ ...draft, subject: '【约谈通知】{countyName}' }, 0, meta);
    expect(t).toMatchObject({
      version: 1,
      subject: '【约谈通知】{countyName}',
      providerTemplateCode: null,
      signName: null,
    });
  });

  it('refuses a placeholder no request fills, naming it', () => {
    const e = refusal(() =>
      defineTemplate({ ...smsDraft, body: '{countyName}{studentName}{amount}' }, 0, meta),
    );
    expect(e.message).toContain('{studentName}, {amount}');
    expect(e.message).toContain('{amountClause}');
  });

  it('refuses stray braces, unknown kinds and resident ID numbers in the wording', () => {
    expect(
      refusal(() => defineTemplate({ ...smsDraft, body: '约谈 {countyName' }, 0, meta)).message,
    ).toContain('brace');
    expect(refusal(() => defineTemplate({ ...smsDraft, kind: 'digest' }, 0, meta)).message).toContain('kind');
    const e = refusal(() => defineTemplate({ ...smsDraft, body: '约谈 15082120120315456X' }, 0, meta));
    expect(e.message).toContain('resident ID');
    expect(e.message).not.toContain('15082120120315456X');
  });
});

describe('template values by kind', () => {
  it("lets a kind's template use only what that kind's requests carry", () => {
    // The follow-up date belongs to the interview kinds; the item count to the ladder's notices.
    const reminder: TemplateDraft = {
      ...smsDraft,
      kind: 'follow_up_reminder',
      body: '【{signName}】{countyName}整改情况须于{followUpDueOn}前报送，还有{workingDaysLeft}个工作日。',
    };
    expect(defineTemplate(reminder, 1, meta)).toMatchObject({ kind: 'follow_up_reminder', version: 2 });
    const e = refusal(() =>
      defineTemplate({ ...reminder, body: '{countyName}{itemCount}项{amountClause}' }, 0, meta),
    );
    expect(e.message).toContain('uses {itemCount}, {amountClause}');
    expect(e.message).toContain('follow_up_reminder sms template may use');
    expect(
      refusal(() => defineTemplate({ ...smsDraft, body: '{countyName}须于{followUpDueOn}前报送' }, 0, meta))
        .message,
    ).toContain('{followUpDueOn}');
  });
});

describe('seedTemplates', () => {
  it('gives version 1 of every kind on both channels, SMS signed with the configured name', () => {
    let n = 0;
    const seed = seedTemplates('巴彦淖尔市教育局', () => `id-${n++}`);
    expect(seed).toHaveLength(2 * NOTICE_KINDS.length);
    expect(new Set(seed.map((t) => `${t.kind}/${t.channel}`)).size).toBe(2 * NOTICE_KINDS.length);
    for (const t of seed) {
      expect(t.version).toBe(1);
      if (t.channel === 'sms') {
        expect(t.signName).toBe('巴彦淖尔市教育局');
        expect(t.providerTemplateCode).toMatch(/^SMS_/);
      } else {
        expect(t.subject).toEqual(expect.any(String));
      }
      // The seed passes the checks an operator's version must pass.
      expect(() => defineTemplate(t, 0, meta)).not.toThrow();
    }
  });
});

describe('placeholdersOf', () => {
  it('lists each placeholder once, in order of first appearance', () => {
    expect(placeholdersOf('{a}{b} {a} {c1}')).toEqual(['a', 'b', 'c1']);
  });
});
