/**
 * The fronts under listed supervision (挂牌督战) and the two tasks supervised beside them:
 * each has, per county, a lead department and officials responsible for it.
 */
export const SUPERVISED_FRONTS = ['dropout', 'aid', 'construction', 'rectification', 'work_team'] as const;
export type SupervisedFront = (typeof SUPERVISED_FRONTS)[number];

export const FRONT_NAMES: Record<SupervisedFront, string> = {
  dropout: '控辍保学',
  aid: '学生资助',
  construction: '学校建设',
  rectification: '问题整改',
  work_team: '驻村工作队',
};

export function isSupervisedFront(value: string): value is SupervisedFront {
  return (SUPERVISED_FRONTS as readonly string[]).includes(value);
}
