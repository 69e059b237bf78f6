import { SiteCapacity, type SiteDemand } from './site-capacity.js';

const demand = (
  over: Partial<SiteDemand> = {},
  counts = { preschool: 40, primary: 300, junior: 120 },
): SiteDemand => ({
  crosscheckId: '00000000-0000-4000-8000-0000000000c1',
  schoolYear: '2020',
  counts,
  measuredAt: '2020-07-01T08:00:00+08:00',
  ...over,
});

let n = 0;
const ids = () => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`;

const site = (seats = { preschool: 60, primary: 250, junior: 120 }) =>
  SiteCapacity.restore({ siteCode: 'SITE-7', countyCode: '150824', demand: null, seats, shortfalls: [] });

describe('SiteCapacity', () => {
  it('says nothing before the children are counted', () => {
    expect(site().assess('2020-07-15', ids)).toEqual([]);
  });

  it('reports each stage short of seats once, with the numbers, until capacity catches up', () => {
    const s = site();
    expect(s.recordDemand(demand(), '150824')).toBe(true);
    expect(s.assess('2020-07-15', ids)).toEqual([
      {
        key: 'construction.capacity.shortfall.v1',
        data: {
          siteCode: 'SITE-7',
          countyCode: '150824',
          stage: 'primary',
          demand: 300,
          seats: 250,
          shortfall: 50,
        },
      },
    ]);
    // Still short (junior now short too, only it is new): no second report for primary.
    s.recordDemand(
      demand({ measuredAt: '2020-08-01T00:00:00Z' }, { preschool: 40, primary: 320, junior: 121 }),
      '150824',
    );
    expect(s.assess('2020-08-01', ids).map((e) => (e.data as { stage: string }).stage)).toEqual(['junior']);
    expect(s.state.shortfalls.find((f) => f.stage === 'primary')).toMatchObject({
      demand: 320,
      seats: 250,
      resolvedOn: null,
    });

    s.setSeats({ preschool: 60, primary: 400, junior: 121 });
    expect(s.assess('2020-09-01', ids)).toEqual([
      {
        key: 'construction.capacity.restored.v1',
        data: { siteCode: 'SITE-7', countyCode: '150824', stage: 'primary', demand: 320, seats: 400 },
      },
      {
        key: 'construction.capacity.restored.v1',
        data: { siteCode: 'SITE-7', countyCode: '150824', stage: 'junior', demand: 121, seats: 121 },
      },
    ]);
    expect(s.assess('2020-09-02', ids)).toEqual([]);
  });

  it('keeps the latest count: an earlier or equally recent run changes nothing', () => {
    const s = site();
    s.recordDemand(
      demand({ measuredAt: '2020-08-01T00:00:00Z' }, { preschool: 0, primary: 10, junior: 0 }),
      '150824',
    );
    expect(s.recordDemand(demand({ measuredAt: '2020-07-31T23:59:59Z' }), '150824')).toBe(false);
    // The same instant written in another zone is not later.
    expect(s.recordDemand(demand({ measuredAt: '2020-08-01T08:00:00+08:00' }), '150824')).toBe(false);
    expect(s.state.demand?.counts.primary).toBe(10);
    expect(s.assess('2020-08-02', ids)).toEqual([]);
  });

  it('a site with children and no school at all is short of every stage with children', () => {
    const s = site({ preschool: 0, primary: 0, junior: 0 });
    s.recordDemand(demand({}, { preschool: 5, primary: 0, junior: 7 }), '150825');
    expect(
      s.assess('2020-07-15', ids).map((e) => [e.data, (e.data as { countyCode: string }).countyCode]),
    ).toEqual([
      [expect.objectContaining({ stage: 'preschool', shortfall: 5 }), '150825'],
      [expect.objectContaining({ stage: 'junior', shortfall: 7 }), '150825'],
    ]);
  });
});
