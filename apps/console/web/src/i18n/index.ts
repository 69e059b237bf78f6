import { zhCN, type Messages } from './zh-CN.js';

/**
 * Every string the console shows comes from one catalogue. Another language is one more
 * file with the same keys (`Messages` makes the compiler list any it misses).
 */
const CATALOGUES: Record<string, Messages> = { 'zh-CN': zhCN };

let current: Messages = zhCN;

export type MessageKey = keyof Messages;

export function setLocale(locale: string): void {
  current = CATALOGUES[locale] ?? zhCN;
}

/** The message for `key`, with `{name}` placeholders filled from `params`. */
export function t(key: MessageKey, params: Record<string, string | number> = {}): string {
  return current[key].replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  );
}

/** An enum value's label (`<prefix>.<value>`), or the value itself when the catalogue has none. */
export function label(prefix: string, value: string | null | undefined): string {
  if (value === null || value === undefined || value === '') return '—';
  const key = `${prefix}.${value}`;
  return key in current ? current[key as MessageKey] : value;
}

export { type Messages } from './zh-CN.js';

/** A text with a note after it: 孙强（五原县教育局局长）. */
export const withNote = (text: string | number, note: string | number) =>
  t('common.withNote', { text, note });
/** A label and its value: 约谈通知书：…. */
export const labelled = (label: string, value: string | number) => t('common.labelled', { label, value });
