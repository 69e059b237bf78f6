import { RESIDENT_ID_PATTERN, type Channel, type NoticeKind } from '@edu/contracts';
import { notificationError } from './notification.errors.js';
import { placeholdersOf, SEED_AUTHOR, SEED_EFFECTIVE_FROM, type NoticeTemplate } from './notice-template.js';
import { NOTICE_CLAUSES, NOTICE_TEMPLATES, type NoticeClause } from './notice-templates.js';

/** The values a template may use; see notice-templates.ts for the names. */
export type NoticeValues = Record<string, string | number | boolean | null | undefined>;

/** What an HTTP SMS provider needs to send a registered template. */
export interface SmsTemplateCall {
  /** Aliyun TemplateCode / Tencent TemplateId. */
  code: string;
  signName: string;
  /** The template's parameters in order of first appearance (the signature excluded). */
  params: { name: string; value: string }[];
}

export interface RenderedNotice {
  /** Email only. */
  subject: string | null;
  text: string;
  /** SMS only. */
  sms: SmsTemplateCall | null;
}

const PLACEHOLDER = /\{([A-Za-z][A-Za-z0-9]*)\}/g;

function present(value: NoticeValues[string]): value is string | number | boolean {
  return value !== undefined && value !== null && String(value).trim() !== '';
}

/** Values go in on one line: a value never adds paragraphs or placeholders of its own. */
function clean(value: string | number | boolean): string {
  return String(value).replace(/\s+/g, ' ').trim();
}

function fillValues(text: string, values: NoticeValues, missing: Set<string>): string {
  return text.replace(PLACEHOLDER, (_, name: string) => {
    const value = values[name];
    if (!present(value)) {
      missing.add(name);
      return '';
    }
    return clean(value);
  });
}

function fill(
  template: string,
  values: NoticeValues,
  clauses: Record<string, NoticeClause>,
  missing: Set<string>,
): string {
  const expanded = template.replace(PLACEHOLDER, (whole, name: string) => {
    const clause = clauses[name];
    if (!clause) return whole;
    return present(values[clause.requires]) ? clause.text : '';
  });
  return fillValues(expanded, values, missing);
}

/**
 * Renders one template version. Fails loudly: a missing value names every missing parameter,
 * and text shaped like a resident ID number is refused rather than sent. An SMS template's
 * signature comes from the template row, not from the values.
 */
export function renderTemplate(
  template: NoticeTemplate,
  values: NoticeValues,
  clauses: Record<string, NoticeClause> = NOTICE_CLAUSES,
): RenderedNotice {
  const name = `${template.kind}/${template.channel} v${template.version}`;
  const missing = new Set<string>();
  let rendered: RenderedNotice;
  switch (template.channel) {
    case 'sms': {
      const signName = template.signName ?? '';
      const all: NoticeValues = { ...values, signName };
      const params = placeholdersOf(template.body)
        .filter((p) => p !== 'signName')
        .map((p) => {
          const clause = clauses[p];
          if (clause) {
            const value = present(all[clause.requires]) ? fillValues(clause.text, all, missing) : '';
            return { name: p, value };
          }
          const value = all[p];
          return { name: p, value: present(value) ? clean(value) : '' };
        });
      rendered = {
        subject: null,
        text: fill(template.body, all, clauses, missing),
        sms: { code: template.providerTemplateCode ?? '', signName, params },
      };
      break;
    }
    case 'email':
      rendered = {
        subject: fill(template.subject ?? '', values, clauses, missing),
        text: fill(template.body, values, clauses, missing),
        sms: null,
      };
      break;
  }
  if (missing.size > 0) throw notificationError.missingParameters(name, [...missing].sort());
  const everything = [
    rendered.subject ?? '',
    rendered.text,
    ...(rendered.sms?.params.map((p) => p.value) ?? []),
  ].join('\n');
  if (RESIDENT_ID_PATTERN.test(everything)) throw notificationError.residentIdInText(name);
  return rendered;
}

/**
 * Renders the seed wording (notice-templates.ts) of one notice: the SMS signature is
 * `values.signName`. The service itself renders the versions stored in the database.
 */
export function renderNotice(
  kind: NoticeKind,
  channel: Channel,
  values: NoticeValues,
  templates = NOTICE_TEMPLATES,
  clauses = NOTICE_CLAUSES,
): RenderedNotice {
  const forKind = templates[kind] as (typeof templates)[NoticeKind] | undefined;
  if (!forKind) throw notificationError.unknownTemplate(`${kind}/${channel}`);
  const signName = present(values.signName) ? clean(values.signName) : '';
  const base = {
    id: `seed:${kind}/${channel}`,
    kind,
    channel,
    version: 1,
    effectiveFrom: SEED_EFFECTIVE_FROM,
    note: null,
    createdBy: SEED_AUTHOR,
    createdAt: SEED_EFFECTIVE_FROM,
  };
  const template: NoticeTemplate =
    channel === 'sms'
      ? {
          ...base,
          subject: null,
          body: forKind.sms.text,
          providerTemplateCode: forKind.sms.providerTemplateCode,
          signName,
        }
      : {
          ...base,
          subject: forKind.email.subject,
          body: forKind.email.text,
          providerTemplateCode: null,
          signName: null,
        };
  return renderTemplate(template, values, clauses);
}

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]);
}

/** The HTML part of an email: its text, escaped, a paragraph per block. */
export function emailHtml(subject: string, text: string): string {
  const paragraphs = text
    .split(/\n{2,}/)
    .map((p) => `<p>${escapeHtml(p).replace(/\n/g, '<br>')}</p>`)
    .join('\n');
  return (
    `<!doctype html>\n<html lang="zh-CN"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head>\n` +
    `<body>\n${paragraphs}\n</body></html>\n`
  );
}
