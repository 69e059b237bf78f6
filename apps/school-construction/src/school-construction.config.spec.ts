import { readSchoolConstructionConfig } from './school-construction.config.js';

describe('readSchoolConstructionConfig', () => {
  it('defaults to port 3003 and a one-minute sweep', () => {
    const c = readSchoolConstructionConfig({});
    expect(c.port).toBe(3003);
    expect(c.service).toBe('school-construction');
    expect(c.sweepIntervalMs).toBe(60000);
  });

  it('lets SWEEP_INTERVAL_MS=0 turn the timer off and refuses nonsense', () => {
    expect(readSchoolConstructionConfig({ SWEEP_INTERVAL_MS: '0' }).sweepIntervalMs).toBe(0);
    expect(() => readSchoolConstructionConfig({ SWEEP_INTERVAL_MS: '-5' })).toThrow(/SWEEP_INTERVAL_MS/);
  });
});
