import { checkMonitoringPolicy, policyInForce, type MonitoringPolicy } from './monitoring-policy.js';

const rows: MonitoringPolicy[] = [
  { effectiveFrom: '2020-09-01', stalledAfterDays: 14, overrunTolerancePercent: 5 },
  { effectiveFrom: '2000-01-01', stalledAfterDays: 30, overrunTolerancePercent: 0 },
];

describe('monitoring policy', () => {
  it('takes the latest row in force on the day, whatever order the rows come in', () => {
    expect(policyInForce(rows, '2020-08-31').stalledAfterDays).toBe(30);
    expect(policyInForce(rows, '2020-09-01').stalledAfterDays).toBe(14);
    expect(() => policyInForce(rows, '1999-12-31')).toThrow('no monitoring policy in force on 1999-12-31');
  });

  it('refuses nonsense', () => {
    const ok = rows[0];
    expect(checkMonitoringPolicy(ok)).toBe(ok);
    expect(() => checkMonitoringPolicy({ ...ok, stalledAfterDays: 0 })).toThrow(/stalledAfterDays/);
    expect(() => checkMonitoringPolicy({ ...ok, overrunTolerancePercent: 101 })).toThrow(/overrunTolerance/);
    expect(() => checkMonitoringPolicy({ ...ok, effectiveFrom: '2020-9-1' })).toThrow(/effectiveFrom/);
  });
});
