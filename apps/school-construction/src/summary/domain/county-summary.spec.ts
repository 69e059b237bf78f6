import { cityFigures, emptyFigures, summaryView } from './county-summary.js';

describe('county summary', () => {
  const wuyuan = {
    ...emptyFigures('150821'),
    projects: 3,
    inUse: 1,
    priority: 2,
    byKind: { relocation_site_school: 2, teacher_dormitory: 1 },
    budgetFen: 1_000_000_00,
    spentFen: 250_000_00,
    bySourceFen: { central: 600_000_00, county: 400_000_00 },
    percentSum: 80,
    reporting: 2,
    overdueMilestones: 2,
    projectsOverdue: 1,
    stalled: 1,
    seats: { preschool: 0, primary: 600, junior: 300 },
    shortfalls: {
      preschool: { count: 0, seats: 0 },
      primary: { count: 1, seats: 50 },
      junior: { count: 0, seats: 0 },
    },
    sitesShort: 1,
  };
  const dengkou = {
    ...emptyFigures('150822'),
    projects: 1,
    byKind: { relocation_site_school: 1 },
    budgetFen: 500_00,
    spentFen: 600_00,
    bySourceFen: { central: 500_00 },
    percentSum: 80,
    reporting: 1,
    overrun: 1,
  };

  it('counts every open breach of a county, and says how much of the budget is spent', () => {
    expect(summaryView(wuyuan)).toMatchObject({
      countyCode: '150821',
      projects: { total: 3, inUse: 1, underway: 2, priority: 2 },
      breaches: { total: 4, overdueMilestones: 2, stalled: 1, overrun: 0, capacityShortfalls: 1 },
      budget: {
        total: '1000000.00',
        spent: '250000.00',
        spentPercent: 25,
        bySource: { central: '600000.00' },
      },
    });
    expect(summaryView(emptyFigures('150823')).budget.spentPercent).toBeNull();
  });

  it('adds the counties up for the city, averaging progress over the projects that reported', () => {
    const city = summaryView(cityFigures([wuyuan, dengkou]));
    expect(city).toMatchObject({
      countyCode: 'total',
      projects: { total: 4, byKind: { relocation_site_school: 3, teacher_dormitory: 1 } },
      breaches: { total: 5, overrun: 1 },
      budget: { total: '1000500.00', bySource: { central: '600500.00', county: '400000.00' } },
      progress: { reporting: 3, averagePercentComplete: 53.3 },
    });
  });
});
