import { applicableVersions, dueDateIn, judge, validatePolicy, type PolicyVersion } from './policy.js';
import {
  explain,
  termAmountFen,
  validateAmountRule,
  validateCondition,
  type StudentAttributes,
} from './rules.js';
import { parseTerm } from './term.js';

const student = (over: Partial<StudentAttributes> = {}): StudentAttributes => ({
  stage: 'junior',
  grade: 8,
  countyCode: '150821',
  schoolCode: 'S1',
  termFeeFen: null,
  boarder: true,
  bilingual: false,
  registered_poor: true,
  low_income: false,
  extreme_poverty: false,
  orphan: false,
  special_education: false,
  mongolian_kindergarten: false,
  new_entrant: false,
  out_of_province: false,
  disability_level: 0,
  ...over,
});

const BOARDER_LIVING = {
  name: 'boarder living subsidy',
  stage: 'compulsory',
  eligibility: {
    all: [
      { attr: 'stage', in: ['primary', 'junior'] },
      { attr: 'boarder', is: true },
      {
        any: [
          { attr: 'registered_poor', is: true },
          { attr: 'disability_level', min: 1 },
        ],
      },
    ],
  },
  amount: { kind: 'per_year', amount: '1000.00', byStage: { junior: '1250.00' } },
  terms: ['spring', 'autumn'],
  dueBy: { spring: '04-30', autumn: '10-31' },
  effectiveFrom: '2020-01-01',
  basis: 'national',
};

const version = (over: Partial<PolicyVersion> = {}): PolicyVersion => ({
  ...validatePolicy(BOARDER_LIVING),
  code: 'COMPULSORY_BOARDER_LIVING',
  version: 1,
  createdBy: 'seed',
  createdAt: '2020-01-01T00:00:00.000Z',
  ...over,
});

describe('eligibility rules', () => {
  it('explains every condition it looked at', () => {
    const rule = validateCondition(BOARDER_LIVING.eligibility);
    expect(explain(rule, student()).met).toBe(true);
    const no = explain(rule, student({ boarder: false, registered_poor: false }));
    expect(no.met).toBe(false);
    expect(no.reasons).toEqual([
      { rule: 'stage is primary or junior', actual: 'stage junior', met: true },
      { rule: 'boarder is yes', actual: 'boarder no', met: false },
      {
        rule: 'any of: registered_poor is yes; disability_level at least 1',
        actual: 'registered_poor no; disability_level 0',
        met: false,
      },
    ]);
  });

  it('refuses unknown attributes and values, naming the path', () => {
    expect(() => validateCondition({ attr: 'id_number', is: true })).toThrow(
      /eligibility.attr must be one of/,
    );
    expect(() => validateCondition({ all: [{ attr: 'stage', in: ['college'] }] })).toThrow(
      /eligibility.all\[0\].in/,
    );
    expect(() => validateCondition({ attr: 'grade', min: -1 })).toThrow(/min/);
    expect(() => validateAmountRule({ kind: 'per_year', amount: '-5' })).toThrow(/amount.amount/);
    expect(() => validateAmountRule({ kind: 'percent_of_fee', percent: 150 })).toThrow(/percent/);
  });
});

describe('amounts', () => {
  it('splits a yearly amount over the terms (odd fen to autumn), by stage, and takes a percent of the fee', () => {
    const rule = validateAmountRule({ kind: 'per_year', amount: '1000.01', byStage: { junior: '1250.00' } });
    expect(termAmountFen(rule, ['spring', 'autumn'], 'spring', student({ stage: 'primary' }))).toBe(50000);
    expect(termAmountFen(rule, ['spring', 'autumn'], 'autumn', student({ stage: 'primary' }))).toBe(50001);
    expect(termAmountFen(rule, ['spring', 'autumn'], 'autumn', student())).toBe(62500);
    expect(termAmountFen(rule, ['autumn'], 'autumn', student())).toBe(125000);
    const fee = validateAmountRule({ kind: 'percent_of_fee', percent: 50 });
    expect(termAmountFen(fee, ['autumn'], 'autumn', student({ termFeeFen: 120001 }))).toBe(60001);
    expect(termAmountFen(fee, ['autumn'], 'autumn', student())).toBeNull();
    expect(termAmountFen({ kind: 'in_kind' }, ['autumn'], 'autumn', student())).toBeNull();
  });
});

describe('policy versions', () => {
  it('applies, per code, the latest version whose effective dates cover the term; a retired one applies to nothing', () => {
    const v1 = version();
    const v2 = version({
      version: 2,
      amount: { kind: 'per_year', amount: '1100.00' },
      effectiveFrom: '2021-01-01',
    });
    expect(applicableVersions([v1, v2], parseTerm('2020-autumn')).map((v) => v.version)).toEqual([1]);
    expect(applicableVersions([v1, v2], parseTerm('2021-spring')).map((v) => v.version)).toEqual([2]);
    const retired = version({ version: 3, retired: true, effectiveFrom: '2022-01-01' });
    expect(applicableVersions([v1, v2, retired], parseTerm('2022-spring'))).toEqual([]);
    expect(
      applicableVersions([v1, version({ version: 2, terms: ['autumn'] })], parseTerm('2020-spring')),
    ).toEqual([]);
  });

  it('dates the term and judges a student with reasons and amount', () => {
    const t = parseTerm('2020-autumn');
    expect(t.opensOn).toBe('2020-09-01');
    expect(dueDateIn(version(), t)).toBe('2020-10-31');
    expect(dueDateIn({ dueBy: { spring: '02-29' } }, parseTerm('2021-spring'))).toBe('2021-02-28');
    expect(judge(version(), t, student())).toMatchObject({
      eligible: true,
      amountFen: 62500,
      dueDate: '2020-10-31',
    });
    expect(judge(version(), t, student({ stage: 'senior' }))).toMatchObject({
      eligible: false,
      amountFen: null,
    });
    expect(() => parseTerm('2020-summer')).toThrow(/term must look like/);
  });

  it('refuses a definition with a missing due date for one of its terms', () => {
    expect(() => validatePolicy({ ...BOARDER_LIVING, dueBy: { autumn: '10-31' } })).toThrow(/dueBy.spring/);
    expect(() => validatePolicy({ ...BOARDER_LIVING, effectiveTo: '2019-01-01' })).toThrow(/effectiveTo/);
  });
});
