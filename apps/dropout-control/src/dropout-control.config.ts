import { readServiceConfig, type ServiceConfig } from '@edu/service';
import type { CaseDeadlines } from './dropout-case/domain/dropout-case.js';

export interface DropoutControlSettings {
  sweepIntervalMs: number;
  caseDeadlines: CaseDeadlines;
}

export type DropoutControlConfig = ServiceConfig & DropoutControlSettings;

export const DROPOUT_CONTROL_CONFIG = Symbol('DROPOUT_CONTROL_CONFIG');

export function readDropoutControlConfig(
  env: Record<string, string | undefined> = process.env,
): DropoutControlConfig {
  return readServiceConfig('dropout-control', 3001, env, (r) => ({
    // 0 turns the timer off (sweeps then run only through POST /api/sweeps/overdue).
    sweepIntervalMs: r.int('SWEEP_INTERVAL_MS', 60000, 0, 86_400_000),
    // Calendar days a case may stay in each state before it is reported overdue.
    caseDeadlines: {
      verifyDays: r.int('CASE_VERIFY_DAYS', 7, 1, 365),
      planDays: r.int('CASE_PLAN_DAYS', 14, 1, 365),
      resolveDays: r.int('CASE_RESOLVE_DAYS', 30, 1, 365),
      closeDays: r.int('CASE_CLOSE_DAYS', 15, 1, 365),
    },
  }));
}
