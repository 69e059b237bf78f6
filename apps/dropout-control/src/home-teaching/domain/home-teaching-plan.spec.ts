import { HomeTeachingPlan } from './home-teaching-plan.js';

const start = (over: Partial<Parameters<typeof HomeTeachingPlan.start>[0]> = {}) =>
  HomeTeachingPlan.start(
    {
      id: 'p-1',
      caseId: 'c-1',
      countyCode: '150821',
      schoolCode: 'WY-SPECIAL',
      teachers: [' 王老师 ', '李老师', '王老师'],
      visitsPerMonth: 4,
      startsOn: '2020-06-10',
      ...over,
    },
    'op-1',
    new Date('2020-06-09T02:00:00Z'),
  );

const visit = { visitedOn: '2020-06-12', teacher: '王老师', hours: 2, content: '识字、康复训练' };

describe('HomeTeachingPlan', () => {
  it('starts with a sending school, teachers and a visit rhythm', () => {
    expect(start().state).toMatchObject({ teachers: ['王老师', '李老师'], visitCount: 0, lastVisitOn: null });
    expect(() => start({ schoolCode: ' ' })).toThrow(/schoolCode/);
    expect(() => start({ teachers: [' '] })).toThrow(/teacher/);
    expect(() => start({ visitsPerMonth: 0 })).toThrow(/visitsPerMonth/);
    expect(() => start({ startsOn: '2020-06-31' })).toThrow(/startsOn/);
  });

  it('logs visits that happened, keeping the count and the latest visit', () => {
    const p = start();
    expect(p.logVisit({ ...visit, note: ' ' }, '2020-06-20')).toEqual({ ...visit, note: null });
    p.logVisit({ ...visit, visitedOn: '2020-06-11' }, '2020-06-20');
    expect(p.state).toMatchObject({ visitCount: 2, lastVisitOn: '2020-06-12' });
    expect(() => p.logVisit({ ...visit, visitedOn: '2020-06-21' }, '2020-06-20')).toThrow(/future/);
    expect(() => p.logVisit({ ...visit, visitedOn: '2020-06-09' }, '2020-06-20')).toThrow(/before the plan/);
    expect(() => p.logVisit({ ...visit, hours: 0 }, '2020-06-20')).toThrow(/hours/);
    expect(() => p.logVisit({ ...visit, content: '' }, '2020-06-20')).toThrow(/content/);
    expect(p.state.visitCount).toBe(2);
  });
});
