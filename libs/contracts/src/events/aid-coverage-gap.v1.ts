import { IsString, Matches } from 'class-validator';
import { COUNTY_CODE, MONEY, STUDENT_KEY, TERM } from './common.js';

/** `aid.coverage.gap.v1` — an eligible student was never granted a policy (coverage gap). */
export class AidCoverageGapV1 {
  @Matches(STUDENT_KEY) studentKey: string;
  @Matches(COUNTY_CODE) countyCode: string;
  @IsString() policyCode: string;
  @Matches(TERM) term: string;
  @Matches(MONEY) amount: string;
}
