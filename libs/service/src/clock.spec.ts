import { FixedClock } from './clock.js';

describe('Clock.today', () => {
  it('uses the bureau time zone, not UTC', () => {
    // 2020-06-30T17:00Z is already 1 July in Beijing time.
    expect(new FixedClock(new Date('2020-06-30T17:00:00Z')).today()).toBe('2020-07-01');
    expect(new FixedClock(new Date('2020-06-30T15:00:00Z')).today()).toBe('2020-06-30');
  });
});
