import { HouseholdPlan } from './household-plan.js';

describe('HouseholdPlan', () => {
  it('records measures and the person responsible, with who and when', () => {
    const plan = HouseholdPlan.restore({
      householdId: 'H-1',
      countyCode: '150821',
      township: '镇',
      village: '村',
      measures: null,
      responsible: null,
      updatedBy: null,
      updatedAt: null,
    });
    expect(() => plan.record({ measures: ' ', responsible: '赵书记' }, 'op', new Date())).toThrow(/measures/);
    expect(() => plan.record({ measures: '低保兜底', responsible: '' }, 'op', new Date())).toThrow(
      /responsible/,
    );
    plan.record(
      { measures: ' 低保兜底、送教上门 ', responsible: '赵书记' },
      'op-1',
      new Date('2020-06-01T00:00:00Z'),
    );
    expect(plan.state).toMatchObject({
      measures: '低保兜底、送教上门',
      responsible: '赵书记',
      updatedBy: 'op-1',
      updatedAt: '2020-06-01T00:00:00.000Z',
    });
  });
});
