import { DEFAULT_MAP_RULES, rate, ruleProblems, weeks, weekStart, type Cell } from './battle-map.js';

const cell = (c: Partial<Cell>): Cell => ({
  countyCode: '150821',
  front: 'aid',
  openBreaches: 0,
  overdueItems: 0,
  level: null,
  amountUnpaidFen: 0,
  ...c,
});

describe('battle map rules', () => {
  it('colours a cell by the first rule that matches, and says which', () => {
    expect(rate(cell({}), DEFAULT_MAP_RULES)).toEqual({
      status: 'green',
      rule: { index: 4, description: '无未销号问题' },
    });
    expect(rate(cell({ openBreaches: 1, level: 'interview' }), DEFAULT_MAP_RULES).status).toBe('amber');
    expect(rate(cell({ openBreaches: 3, amountUnpaidFen: 10_000_000 }), DEFAULT_MAP_RULES)).toEqual({
      status: 'red',
      rule: { index: 2, description: '未发放资助资金10万元及以上' },
    });
    expect(rate(cell({ openBreaches: 1, level: 'accountability' }), DEFAULT_MAP_RULES).rule?.index).toBe(0);
  });

  it('checks edited rules field by field', () => {
    expect(ruleProblems(DEFAULT_MAP_RULES)).toEqual([]);
    expect(
      ruleProblems([{ status: 'blue', when: { minLevel: 'x', minOverdueItems: -1 }, description: '' }]).map(
        (p) => p.field,
      ),
    ).toEqual([
      'rules[0].status',
      'rules[0].description',
      'rules[0].when.minLevel',
      'rules[0].when.minOverdueItems',
    ]);
  });
});

describe('weeks', () => {
  it('runs Monday to Sunday in Beijing time, the current week measured now', () => {
    // Sunday 8 Nov 2020 23:00 in Beijing is still the week of Monday 2 November.
    expect(weekStart(new Date('2020-11-08T15:00:00Z'))).toBe('2020-11-02');
    expect(weekStart(new Date('2020-11-08T16:00:00Z'))).toBe('2020-11-09');
    const now = new Date('2020-11-11T02:00:00Z');
    expect(weeks(new Date('2020-10-28T00:00:00Z'), now)).toEqual([
      { week: '2020-10-26', at: new Date('2020-11-01T16:00:00Z') },
      { week: '2020-11-02', at: new Date('2020-11-08T16:00:00Z') },
      { week: '2020-11-09', at: now },
    ]);
  });
});
