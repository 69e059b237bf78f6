/**
 * What an escalation policy is written for, and what groups breaches: one open escalation
 * per breach type, front and county. The three fronts' breaches keep the front's name; an
 * item's own kind (unpaid subsidy, short payment …) is finer and only counted in digests.
 */
export const BREACH_TYPES = [
  'dropout',
  'aid',
  'construction',
  'rectification',
  'work_team',
  'notice_failure',
] as const;
export type BreachType = (typeof BREACH_TYPES)[number];

export const BREACH_TYPE_NAMES: Record<BreachType, string> = {
  dropout: '控辍保学问题',
  aid: '学生资助问题',
  construction: '学校建设问题',
  rectification: '问题整改逾期',
  work_team: '驻村工作队履职问题',
  notice_failure: '约谈通知未能送达',
};

export function isBreachType(value: string): value is BreachType {
  return (BREACH_TYPES as readonly string[]).includes(value);
}

/** How each kind of item reads in a notice, an interview record or a recommendation. */
export const ITEM_KIND_NAMES: Record<string, string> = {
  unpaid_subsidy: '资助资金逾期未发放',
  short_payment: '资助资金未足额发放',
  irregular_payment: '资助资金违规发放',
  coverage_gap: '应助未助',
  dropout: '建档立卡家庭学生失学辍学',
  dropout_case_overdue: '控辍保学台账逾期未办结',
  milestone_overdue: '建设节点逾期',
  capacity_shortfall: '安置点配套学校学位不足',
  dropout_reopened: '劝返复学学生再次失学',
  budget_overrun: '建设项目资金超预算',
  progress_stalled: '建设项目进度停滞',
  rectification_overdue: '整改事项逾期未销号',
  work_team_month_shortfall: '驻村工作队员当月驻村不足20天',
  work_team_year_shortfall: '驻村工作队员全年驻村不足200天',
  work_team_report_missing: '驻村工作队员未按期半年述职',
  interview_notice_undelivered: '约谈通知未能送达',
};

export function itemKindName(kind: string): string {
  return ITEM_KIND_NAMES[kind] ?? kind;
}
