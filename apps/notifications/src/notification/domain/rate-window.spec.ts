import { rateAllowance } from './rate-window.js';

describe('rateAllowance', () => {
  const t = new Date('2020-06-01T02:00:00.250Z');
  const second = new Date('2020-06-01T02:00:00.000Z');

  it('allows what is left of the current second', () => {
    expect(rateAllowance({ windowStart: second, used: 3 }, t, 5)).toEqual({
      allowance: 2,
      window: { windowStart: second, used: 3 },
    });
    expect(rateAllowance({ windowStart: second, used: 7 }, t, 5).allowance).toBe(0);
  });

  it('starts a new window when the second has passed', () => {
    const later = new Date('2020-06-01T02:00:01.100Z');
    expect(rateAllowance({ windowStart: second, used: 5 }, later, 5)).toEqual({
      allowance: 5,
      window: { windowStart: new Date('2020-06-01T02:00:01.000Z'), used: 0 },
    });
    expect(rateAllowance(null, t, 5).allowance).toBe(5);
  });

  it('has no limit at 0', () => {
    expect(rateAllowance({ windowStart: second, used: 1000 }, t, 0).allowance).toBe(Infinity);
  });
});
