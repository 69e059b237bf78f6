import { DomainError } from '@edu/contracts';
import { checkProblemInput, RectificationProblem, type ProblemInput } from './rectification-problem.js';

const known = (c: string) => c === '150821';
const input: ProblemInput = {
  ref: 'XS-2020-013',
  source: 'central_inspection_review',
  description: '部分建档立卡学生生活补助未及时发放',
  countyCode: '150821',
  front: 'aid',
  measures: '逐人核对，补发到位',
  foundOn: '2020-03-10',
  leadDepartment: '学生资助管理中心',
  responsibleLeader: '赵敏',
};
const now = new Date('2020-04-01T02:00:00Z');
const register = (i: Partial<ProblemInput> = {}) =>
  RectificationProblem.register('p1', { ...input, ...i }, 'maker', '2020-04-01', now, known);

const code = (f: () => void) => {
  try {
    f();
  } catch (e) {
    return (e as DomainError).code;
  }
  return null;
};

describe('RectificationProblem', () => {
  it('is due by 30 June of the year it was found, and construction has no default deadline', () => {
    expect(register().state).toMatchObject({ deadline: '2020-06-30', status: 'open' });
    expect(register({ front: 'construction' }).state.deadline).toBeNull();
    expect(register({ deadline: '2020-05-15' }).state.deadline).toBe('2020-05-15');
  });

  it('needs a real deadline when 30 June had passed when it was found', () => {
    const r = checkProblemInput({ ...input, foundOn: '2020-08-01' }, '2020-09-01', known);
    expect('problems' in r && r.problems.map((p) => p.field)).toEqual(['deadline']);
  });

  it('reports every bad field, and refuses resident ID numbers in the text', () => {
    const r = checkProblemInput(
      {
        ...input,
        source: 'rumour',
        countyCode: '999999',
        description: '学生 150821200903151235 未资助',
        measures: '',
      },
      '2020-04-01',
      known,
    );
    expect('problems' in r && r.problems.map((p) => p.field)).toEqual([
      'source',
      'description',
      'countyCode',
      'measures',
    ]);
  });

  it('is overdue after its deadline until closed, and escalates once', () => {
    const p = register();
    expect(p.isOverdue('2020-06-30')).toBe(false);
    expect(p.markOverdue('2020-06-30', now)).toBeNull();
    expect(p.markOverdue('2020-07-01', now)).toMatchObject({
      breachType: 'rectification',
      front: 'rectification',
      itemKey: 'rectification.problem:p1',
      overdue: true,
    });
    expect(p.markOverdue('2020-07-02', now)).toBeNull();
  });

  it('closes only against evidence and only by a second person', () => {
    const p = register();
    expect(code(() => p.requestClosure('maker', now))).toBe('RECTIFICATION_EVIDENCE_REQUIRED');
    p.addEvidence([{ reference: '五教发〔2020〕12号', description: '补发花名册' }], 'maker', now);
    p.requestClosure('maker', now);
    expect(code(() => p.approveClosure('maker', now))).toBe('RECTIFICATION_SECOND_PERSON_REQUIRED');
    p.approveClosure('checker', now);
    expect(p.state).toMatchObject({ status: 'closed', closedBy: 'checker', closureRequestedBy: 'maker' });
    expect(p.isOverdue('2021-01-01')).toBe(false);
    expect(code(() => p.addEvidence([{ reference: 'x' }], 'maker', now))).toBe(
      'RECTIFICATION_ILLEGAL_TRANSITION',
    );
  });

  it('goes back to work when the checker rejects the closure', () => {
    const p = register();
    p.addEvidence([{ reference: '档案 2020-17' }], 'maker', now);
    p.requestClosure('maker', now);
    p.rejectClosure('checker', '佐证材料不全', now);
    expect(p.state).toMatchObject({ status: 'open', closureRejectedReason: '佐证材料不全' });
  });
});
