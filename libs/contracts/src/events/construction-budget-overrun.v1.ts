import { IsInt, IsUUID, Matches, Max, Min } from 'class-validator';
import { COUNTY_CODE, ISO_DATE, MONEY } from './common.js';

/**
 * `construction.budget.overrun.v1` — a project's spend to date exceeds its budget (all
 * funding sources) by more than the tolerance in force. Raised once per overrun; settled by
 * `construction.budget.restored.v1`. Subject: the project id.
 */
export class ConstructionBudgetOverrunV1 {
  @IsUUID() projectId: string;
  @Matches(COUNTY_CODE) countyCode: string;
  /** Total budget, yuan. */
  @Matches(MONEY) budget: string;
  /** Spend to date, yuan. */
  @Matches(MONEY) spent: string;
  /** spent − budget, yuan. */
  @Matches(MONEY) overrun: string;
  @IsInt() @Min(0) @Max(100) tolerancePercent: number;
  @Matches(ISO_DATE) detectedOn: string;
}
