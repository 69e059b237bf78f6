/**
 * An official document (公文) as data: what the HTML and the PDF renderers both draw, so the
 * two always say the same thing. Text only; no personal data of students belongs here.
 */
export type DocumentBlock =
  | { kind: 'heading'; text: string }
  /** A body paragraph; indented by two characters as Chinese official documents are. */
  | { kind: 'paragraph'; text: string }
  /** Label and value lines, e.g. 时间：… 地点：… */
  | { kind: 'fields'; rows: [label: string, value: string][] }
  | { kind: 'table'; columns: string[]; rows: string[][]; align?: ('left' | 'right' | 'center')[] }
  | { kind: 'list'; items: string[] };

export interface OfficialDocument {
  /** 约谈通知书, 约谈纪要, 追责问责建议书 … */
  title: string;
  /** The document number, e.g. 巴教督〔2020〕3号. */
  documentNo?: string;
  /** The salutation line, e.g. 孙强同志： */
  addressee?: string;
  blocks: DocumentBlock[];
  /** The issuing authority, printed above the date at the end. */
  issuer?: string;
  /** The date as printed, e.g. 2020年11月2日. */
  date?: string;
  /** 抄送 line. */
  copyTo?: string;
}

/** `2020-11-02` → `2020年11月2日`. */
export function chineseDate(isoDate: string): string {
  const [y, m, d] = isoDate.slice(0, 10).split('-').map(Number);
  return `${y}年${m}月${d}日`;
}
