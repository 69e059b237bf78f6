import { readServiceConfig, type ServiceConfig } from '@edu/service';
import type { CaseDeadlines } from './dropout-case/domain/dropout-case.js';

export interface DropoutControlSettings {
  sweepIntervalMs: number;
  caseDeadlines: CaseDeadlines;
  /** The city's GB/T 2260 code: imported county codes must lie within it. */
  cityCode: string;
  /** A home-taught child counts as covered when visited within this many days. */
  homeTeachingVisitWindowDays: number;
  /** Largest registry file accepted, in rows. */
  importMaxRows: number;
}

export type DropoutControlConfig = ServiceConfig & DropoutControlSettings;

export const DROPOUT_CONTROL_CONFIG = Symbol('DROPOUT_CONTROL_CONFIG');

export function readDropoutControlConfig(
  env: Record<string, string | undefined> = process.env,
): DropoutControlConfig {
  return readServiceConfig('dropout-control', 3001, env, (r) => {
    const cityCode = r.str('CITY_CODE', '150800');
    if (!/^\d{4}00$/.test(cityCode))
      r.fail('CITY_CODE must be a 6-digit city code ending in 00, e.g. 150800');
    return {
      // 0 turns the timer off (sweeps then run only through POST /api/sweeps/overdue).
      sweepIntervalMs: r.int('SWEEP_INTERVAL_MS', 60000, 0, 86_400_000),
      // Calendar days a case may stay in each state before it is reported overdue.
      caseDeadlines: {
        verifyDays: r.int('CASE_VERIFY_DAYS', 7, 1, 365),
        planDays: r.int('CASE_PLAN_DAYS', 14, 1, 365),
        resolveDays: r.int('CASE_RESOLVE_DAYS', 30, 1, 365),
        closeDays: r.int('CASE_CLOSE_DAYS', 15, 1, 365),
      },
      cityCode,
      homeTeachingVisitWindowDays: r.int('HOME_TEACHING_VISIT_WINDOW_DAYS', 31, 1, 366),
      importMaxRows: r.int('IMPORT_MAX_ROWS', 5_000_000, 1, 50_000_000),
    };
  });
}
