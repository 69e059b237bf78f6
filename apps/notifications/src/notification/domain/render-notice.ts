import { RESIDENT_ID_PATTERN, type Channel, type NoticeKind } from '@edu/contracts';
import { notificationError } from './notification.errors.js';
import { NOTICE_CLAUSES, NOTICE_TEMPLATES, type NoticeClause } from './notice-templates.js';

/** The values a template may use; see notice-templates.ts for the names. */
export type NoticeValues = Record<string, string | number | null | undefined>;

export interface RenderedNotice {
  /** Email only. */
  subject: string | null;
  text: string;
}

const PLACEHOLDER = /\{([A-Za-z][A-Za-z0-9]*)\}/g;

function present(value: string | number | null | undefined): value is string | number {
  return value !== undefined && value !== null && String(value).trim() !== '';
}

/** Values go in on one line: a value never adds paragraphs or placeholders of its own. */
function clean(value: string | number): string {
  return String(value).replace(/\s+/g, ' ').trim();
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
  return expanded.replace(PLACEHOLDER, (_, name: string) => {
    const value = values[name];
    if (!present(value)) {
      missing.add(name);
      return '';
    }
    return clean(value);
  });
}

/**
 * Renders one notice for one channel. Fails loudly: a missing value names every missing
 * parameter, and text shaped like a resident ID number is refused rather than sent.
 */
export function renderNotice(
  kind: NoticeKind,
  channel: Channel,
  values: NoticeValues,
  templates = NOTICE_TEMPLATES,
  clauses = NOTICE_CLAUSES,
): RenderedNotice {
  const name = `${kind}/${channel}`;
  const forKind = templates[kind] as (typeof templates)[NoticeKind] | undefined;
  if (!forKind) throw notificationError.unknownTemplate(name);
  const missing = new Set<string>();
  let rendered: RenderedNotice;
  switch (channel) {
    case 'sms':
      rendered = { subject: null, text: fill(forKind.sms.text, values, clauses, missing) };
      break;
    case 'email':
      rendered = {
        subject: fill(forKind.email.subject, values, clauses, missing),
        text: fill(forKind.email.text, values, clauses, missing),
      };
      break;
  }
  if (missing.size > 0) throw notificationError.missingParameters(name, [...missing].sort());
  if (RESIDENT_ID_PATTERN.test(`${rendered.subject ?? ''}\n${rendered.text}`)) {
    throw notificationError.residentIdInText(name);
  }
  return rendered;
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
