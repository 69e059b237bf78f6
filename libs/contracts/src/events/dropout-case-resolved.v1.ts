import { IsIn, IsISO8601, IsUUID, Matches } from 'class-validator';
import { COUNTY_CODE, STUDENT_KEY } from './common.js';

/** `dropout.case.resolved.v1` — the child is back in school, placed, taught at home or exempt. */
export class DropoutCaseResolvedV1 {
  @IsUUID() caseId: string;
  @Matches(STUDENT_KEY) studentKey: string;
  @Matches(COUNTY_CODE) countyCode: string;
  @IsIn(['returned', 'placed', 'home_teaching', 'exempt']) resolution: string;
  @IsISO8601() resolvedAt: string;
}
