import {
  PROBLEM_FRONT_NAMES,
  PROBLEM_SOURCES,
  PROBLEM_FRONTS,
  SOURCE_NAMES,
  STATUS_NAMES,
  type RectificationProblemProps,
} from './rectification-problem.js';

/**
 * The ledger's columns: the import's field names and the export's Chinese headings. An
 * exported ledger imports again unchanged (headings and values are recognised either way).
 */
export const LEDGER_COLUMNS = [
  { field: 'ref', heading: '问题编号' },
  { field: 'source', heading: '问题来源' },
  { field: 'description', heading: '问题描述' },
  { field: 'county_code', heading: '旗县区代码' },
  { field: 'county_name', heading: '旗县区', exportOnly: true },
  { field: 'front', heading: '类别' },
  { field: 'measures', heading: '整改措施' },
  { field: 'found_on', heading: '发现日期' },
  { field: 'deadline', heading: '整改时限' },
  { field: 'lead_department', heading: '责任部门' },
  { field: 'responsible_leader', heading: '责任领导' },
  { field: 'status', heading: '整改状态', exportOnly: true },
  { field: 'overdue', heading: '是否逾期', exportOnly: true },
  { field: 'evidence', heading: '佐证材料', exportOnly: true },
  { field: 'closed_by', heading: '销号人', exportOnly: true },
  { field: 'closed_at', heading: '销号时间', exportOnly: true },
] as const;

export const IMPORT_FIELDS = LEDGER_COLUMNS.filter((c) => !('exportOnly' in c)).map((c) => c.field);
export const REQUIRED_IMPORT_FIELDS = IMPORT_FIELDS.filter((f) => f !== 'found_on' && f !== 'deadline');

/** A header as written (English field name or Chinese heading) → the field name. */
export function ledgerField(header: string): string {
  const h = header.trim();
  const byHeading = LEDGER_COLUMNS.find((c) => c.heading === h);
  return byHeading ? byHeading.field : h.toLowerCase();
}

const sourceByName = new Map(PROBLEM_SOURCES.map((s) => [SOURCE_NAMES[s], s]));
const frontByName = new Map(PROBLEM_FRONTS.map((f) => [PROBLEM_FRONT_NAMES[f], f]));

/** A source or front given by its Chinese name, as the export writes it. */
export const sourceCode = (v: string) => sourceByName.get(v.trim()) ?? v.trim();
export const frontCode = (v: string) => frontByName.get(v.trim()) ?? v.trim();

/** Which column a domain field's problem belongs to, for row-level reports. */
export const FIELD_COLUMN: Record<string, string> = {
  ref: 'ref',
  source: 'source',
  description: 'description',
  countyCode: 'county_code',
  front: 'front',
  measures: 'measures',
  foundOn: 'found_on',
  deadline: 'deadline',
  leadDepartment: 'lead_department',
  responsibleLeader: 'responsible_leader',
};

/** One ledger line as exported. */
export function ledgerRow(
  p: RectificationProblemProps,
  countyName: string,
  today: string,
): Record<(typeof LEDGER_COLUMNS)[number]['field'], string> {
  const overdue = p.status !== 'closed' && p.deadline !== null && p.deadline < today;
  return {
    ref: p.ref,
    source: SOURCE_NAMES[p.source],
    description: p.description,
    county_code: p.countyCode,
    county_name: countyName,
    front: PROBLEM_FRONT_NAMES[p.front],
    measures: p.measures,
    found_on: p.foundOn,
    deadline: p.deadline ?? '',
    lead_department: p.leadDepartment,
    responsible_leader: p.responsibleLeader,
    status: STATUS_NAMES[p.status],
    overdue: overdue ? '是' : '否',
    evidence: p.evidence
      .map((e) => (e.description ? `${e.reference}（${e.description}）` : e.reference))
      .join('；'),
    closed_by: p.closedBy ?? '',
    closed_at: p.closedAt ? p.closedAt.slice(0, 10) : '',
  };
}
