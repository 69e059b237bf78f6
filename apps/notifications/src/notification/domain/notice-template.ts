import { NOTICE_KINDS, RESIDENT_ID_PATTERN, type Channel, type NoticeKind } from '@edu/contracts';
import { notificationError } from './notification.errors.js';
import { NOTICE_TEMPLATES, templateValues } from './notice-templates.js';

/**
 * One version of the wording of one notice kind on one channel. The version in effect at a
 * moment is the one with the latest `effectiveFrom` not after it (the higher version on a
 * tie). Versions are never edited: a change is a new version.
 */
export interface NoticeTemplate {
  id: string;
  kind: NoticeKind;
  channel: Channel;
  version: number;
  effectiveFrom: Date;
  /** Email only. */
  subject: string | null;
  body: string;
  /** SMS only: the provider's registered template (Aliyun TemplateCode, Tencent TemplateId). */
  providerTemplateCode: string | null;
  /** SMS only: the registered signature, without the 【】 brackets. */
  signName: string | null;
  note: string | null;
  createdBy: string;
  createdAt: Date;
}

/** When the seeded first versions take effect: before any notice this system will send. */
export const SEED_EFFECTIVE_FROM = new Date('2020-01-01T00:00:00+08:00');
export const SEED_AUTHOR = 'seed';

const PLACEHOLDER_SYNTAX = /\{[A-Za-z][A-Za-z0-9]*\}/g;
const TEMPLATE_CODE = /^[A-Za-z0-9_.-]{1,64}$/;

/** The version of `kind`/`channel` in effect at `at`, if any. */
export function effectiveTemplate(
  templates: readonly NoticeTemplate[],
  kind: string,
  channel: Channel,
  at: Date,
): NoticeTemplate | undefined {
  let best: NoticeTemplate | undefined;
  for (const t of templates) {
    if (t.kind !== kind || t.channel !== channel || t.effectiveFrom > at) continue;
    if (
      !best ||
      t.effectiveFrom > best.effectiveFrom ||
      (t.effectiveFrom.getTime() === best.effectiveFrom.getTime() && t.version > best.version)
    ) {
      best = t;
    }
  }
  return best;
}

/** Every placeholder name in a template text, in order of first appearance. */
export function placeholdersOf(text: string): string[] {
  const names: string[] = [];
  for (const m of text.matchAll(PLACEHOLDER_SYNTAX)) {
    const name = m[0].slice(1, -1);
    if (!names.includes(name)) names.push(name);
  }
  return names;
}

function checkText(field: string, text: string, kind: NoticeKind, channel: Channel): void {
  if (text.trim() === '') throw notificationError.invalidTemplate(`${field} must not be empty`);
  const allowed = templateValues(kind);
  const unknown = placeholdersOf(text).filter((p) => !allowed.includes(p));
  if (unknown.length > 0) {
    // A placeholder no request of the kind fills would fail every notice of this kind.
    throw notificationError.invalidTemplate(
      `${field} uses {${unknown.join('}, {')}}; a ${kind} ${channel} template may use ${allowed.map((a) => `{${a}}`).join(' ')}`,
    );
  }
  const stray = text.replace(PLACEHOLDER_SYNTAX, '');
  if (/[{}]/.test(stray)) {
    throw notificationError.invalidTemplate(`${field} has a brace that is not part of a {placeholder}`);
  }
  if (RESIDENT_ID_PATTERN.test(text)) {
    throw notificationError.invalidTemplate(`${field} contains something shaped like a resident ID number`);
  }
}

export interface TemplateDraft {
  kind: string;
  channel: Channel;
  effectiveFrom: Date;
  subject?: string | null;
  body: string;
  providerTemplateCode?: string | null;
  signName?: string | null;
  note?: string | null;
}

/**
 * A new version of a template: checked (kind known, the channel's fields present, only
 * well-formed placeholders, no resident ID number), numbered after the latest version.
 */
export function defineTemplate(
  draft: TemplateDraft,
  latestVersion: number,
  meta: { id: string; createdBy: string; now: Date },
): NoticeTemplate {
  if (!(NOTICE_KINDS as readonly string[]).includes(draft.kind)) {
    throw notificationError.invalidTemplate(`kind must be one of ${NOTICE_KINDS.join(', ')}`);
  }
  const kind = draft.kind as NoticeKind;
  checkText('body', draft.body, kind, draft.channel);
  let subject: string | null = null;
  let providerTemplateCode: string | null = null;
  let signName: string | null = null;
  switch (draft.channel) {
    case 'email':
      if (!draft.subject) throw notificationError.invalidTemplate('an email template needs a subject');
      checkText('subject', draft.subject, kind, 'email');
      subject = draft.subject;
      break;
    case 'sms':
      if (!draft.providerTemplateCode || !TEMPLATE_CODE.test(draft.providerTemplateCode)) {
        throw notificationError.invalidTemplate(
          'an SMS template needs providerTemplateCode: the code the SMS provider registered it under',
        );
      }
      if (!draft.signName || draft.signName.trim() === '' || /[【】{}]/.test(draft.signName)) {
        throw notificationError.invalidTemplate(
          'an SMS template needs signName: the registered signature, without 【】',
        );
      }
      providerTemplateCode = draft.providerTemplateCode;
      signName = draft.signName.trim();
      break;
  }
  return {
    id: meta.id,
    kind,
    channel: draft.channel,
    version: latestVersion + 1,
    effectiveFrom: draft.effectiveFrom,
    subject,
    body: draft.body,
    providerTemplateCode,
    signName,
    note: draft.note ?? null,
    createdBy: meta.createdBy,
    createdAt: meta.now,
  };
}

/** Version 1 of every kind and channel, from the seed module (SMS signed with `signName`). */
export function seedTemplates(signName: string, ids: () => string): NoticeTemplate[] {
  return (Object.keys(NOTICE_TEMPLATES) as NoticeKind[]).flatMap((kind) => {
    const { sms, email } = NOTICE_TEMPLATES[kind];
    const common = {
      kind,
      version: 1,
      effectiveFrom: SEED_EFFECTIVE_FROM,
      note: 'seeded from notice-templates.ts',
      createdBy: SEED_AUTHOR,
      createdAt: SEED_EFFECTIVE_FROM,
    };
    return [
      {
        ...common,
        id: ids(),
        channel: 'sms' as const,
        subject: null,
        body: sms.text,
        providerTemplateCode: sms.providerTemplateCode,
        signName,
      },
      {
        ...common,
        id: ids(),
        channel: 'email' as const,
        subject: email.subject,
        body: email.text,
        providerTemplateCode: null,
        signName: null,
      },
    ];
  });
}
