import { readDropoutControlConfig } from './dropout-control.config.js';

describe('readDropoutControlConfig', () => {
  it('defaults to port 3001 and the documented case deadlines', () => {
    const c = readDropoutControlConfig({});
    expect(c.port).toBe(3001);
    expect(c.service).toBe('dropout-control');
    expect(c.sweepIntervalMs).toBe(60000);
    expect(c.caseDeadlines).toEqual({ verifyDays: 7, planDays: 14, resolveDays: 30, closeDays: 15 });
  });

  it('reads the deadlines and names every bad one', () => {
    expect(
      readDropoutControlConfig({ CASE_VERIFY_DAYS: '3', CASE_CLOSE_DAYS: '60' }).caseDeadlines,
    ).toMatchObject({
      verifyDays: 3,
      closeDays: 60,
    });
    expect(() => readDropoutControlConfig({ CASE_PLAN_DAYS: '0', CASE_RESOLVE_DAYS: 'soon' })).toThrow(
      /CASE_PLAN_DAYS must be a whole number from 1 to 365[\s\S]*CASE_RESOLVE_DAYS/,
    );
  });
});
