import {
  ageAt,
  bornBetween,
  checkPolicy,
  crosscheckAction,
  cutoffOf,
  demandStage,
  findingOf,
  schoolYearOn,
  type CrosscheckPolicy,
} from './school-age.js';

const policy: CrosscheckPolicy = {
  effectiveFrom: '1900-01-01',
  schoolAgeFrom: 6,
  schoolAgeTo: 15,
  preschoolFromAge: 3,
  juniorFromAge: 12,
  poorStatuses: ['registered_poor', 'lifted'],
};

describe('school age at 1 September', () => {
  it('takes the school year in progress and its cutoff', () => {
    expect(schoolYearOn('2020-06-01')).toBe(2019);
    expect(schoolYearOn('2020-08-31')).toBe(2019);
    expect(schoolYearOn('2020-09-01')).toBe(2020);
    expect(cutoffOf(2020)).toBe('2020-09-01');
    expect(() => cutoffOf(1999)).toThrow(/schoolYear/);
  });

  it('counts whole years, birthdays on the cutoff included', () => {
    expect(ageAt('2014-09-01', '2020-09-01')).toBe(6);
    expect(ageAt('2014-09-02', '2020-09-01')).toBe(5);
    expect(ageAt('2004-09-02', '2020-09-01')).toBe(15);
    expect(ageAt('2004-09-01', '2020-09-01')).toBe(16);
    expect(ageAt('2012-02-29', '2020-02-28')).toBe(7);
  });

  it('turns an age band into the birth-date range SQL filters on, agreeing with ageAt', () => {
    const band = bornBetween('2020-09-01', 6, 15);
    expect(band).toEqual({ bornAfter: '2004-09-01', bornOnOrBefore: '2014-09-01' });
    const inBand = (b: string) => b > band.bornAfter && b <= band.bornOnOrBefore;
    for (const birth of ['2004-09-01', '2004-09-02', '2010-01-01', '2014-09-01', '2014-09-02']) {
      const age = ageAt(birth, '2020-09-01');
      expect([birth, inBand(birth)]).toEqual([birth, age >= 6 && age <= 15]);
    }
  });
});

describe('what a run does with a child', () => {
  it('opens, tracks, reopens, explains or asks for review', () => {
    expect(findingOf(null)).toBe('not_in_registry');
    expect(findingOf('dropped')).toBe('dropped');
    expect(findingOf('suspended')).toBe('suspended');
    expect(findingOf('enrolled')).toBeNull();
    expect(findingOf('graduated')).toBeNull();

    expect(crosscheckAction('not_in_registry', null)).toBe('open');
    expect(crosscheckAction('dropped', { state: 'verified', resolution: null })).toBe('tracked');
    expect(crosscheckAction('dropped', { state: 'closed', resolution: 'returned' })).toBe('reopen');
    expect(crosscheckAction('suspended', { state: 'resolved', resolution: 'placed' })).toBe('reopen');
    expect(crosscheckAction('not_in_registry', { state: 'closed', resolution: 'exempt' })).toBe('explained');
    expect(crosscheckAction('not_in_registry', { state: 'resolved', resolution: 'home_teaching' })).toBe(
      'explained',
    );
    expect(crosscheckAction(null, { state: 'plan', resolution: null })).toBe('review');
    expect(crosscheckAction(null, { state: 'closed', resolution: 'returned' })).toBeNull();
    expect(crosscheckAction(null, null)).toBeNull();
  });

  it('counts relocation-site demand by the enrolled stage, otherwise by age', () => {
    expect(demandStage(2, null, policy)).toBeNull();
    expect(demandStage(3, null, policy)).toBe('preschool');
    expect(demandStage(6, null, policy)).toBe('primary');
    expect(demandStage(6, { status: 'enrolled', stage: 'preschool' }, policy)).toBe('preschool');
    expect(demandStage(12, { status: 'enrolled', stage: 'primary' }, policy)).toBe('primary');
    expect(demandStage(12, { status: 'dropped', stage: 'primary' }, policy)).toBe('junior');
    expect(demandStage(15, { status: 'enrolled', stage: 'special' }, policy)).toBe('junior');
    expect(demandStage(16, null, policy)).toBeNull();
  });
});

describe('cross-check policy', () => {
  it('needs rising age bands and known statuses', () => {
    expect(checkPolicy({ ...policy, poorStatuses: ['lifted', 'lifted'] }).poorStatuses).toEqual(['lifted']);
    expect(() => checkPolicy({ ...policy, juniorFromAge: 5 })).toThrow(/ages must rise/);
    expect(() => checkPolicy({ ...policy, poorStatuses: ['rich'] })).toThrow(/poorStatuses/);
    expect(() => checkPolicy({ ...policy, poorStatuses: [] })).toThrow(/poorStatuses/);
    expect(() => checkPolicy({ ...policy, effectiveFrom: '2020-13-01' })).toThrow(/effectiveFrom/);
  });
});
