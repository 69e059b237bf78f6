import { IsUUID, Matches } from 'class-validator';
import { COUNTY_CODE, ISO_DATE, MONEY } from './common.js';

/**
 * `construction.budget.restored.v1` — a project reported in `construction.budget.overrun.v1`
 * is within its budget again (funding added, spend corrected or tolerance changed): the
 * overrun is settled. Subject: the project id.
 */
export class ConstructionBudgetRestoredV1 {
  @IsUUID() projectId: string;
  @Matches(COUNTY_CODE) countyCode: string;
  @Matches(MONEY) budget: string;
  @Matches(MONEY) spent: string;
  @Matches(ISO_DATE) restoredOn: string;
}
