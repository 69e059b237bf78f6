import { readServiceConfig, type ServiceConfig } from '@edu/service';

export interface StudentAidSettings {
  sweepIntervalMs: number;
}

export type StudentAidConfig = ServiceConfig & StudentAidSettings;

export const STUDENT_AID_CONFIG = Symbol('STUDENT_AID_CONFIG');

export function readStudentAidConfig(
  env: Record<string, string | undefined> = process.env,
): StudentAidConfig {
  return readServiceConfig('student-aid', 3002, env, (r) => ({
    // 0 turns the timer off (sweeps then run only through POST /api/sweeps/overdue).
    sweepIntervalMs: r.int('SWEEP_INTERVAL_MS', 60000, 0, 86_400_000),
  }));
}
