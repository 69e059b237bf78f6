import { readServiceConfig, type ServiceConfig } from '@edu/service';

export interface SchoolConstructionSettings {
  sweepIntervalMs: number;
}

export type SchoolConstructionConfig = ServiceConfig & SchoolConstructionSettings;

export const SCHOOL_CONSTRUCTION_CONFIG = Symbol('SCHOOL_CONSTRUCTION_CONFIG');

export function readSchoolConstructionConfig(
  env: Record<string, string | undefined> = process.env,
): SchoolConstructionConfig {
  return readServiceConfig('school-construction', 3003, env, (r) => ({
    // 0 turns the timer off (sweeps then run only through POST /api/sweeps/overdue).
    sweepIntervalMs: r.int('SWEEP_INTERVAL_MS', 60000, 0, 86_400_000),
  }));
}
