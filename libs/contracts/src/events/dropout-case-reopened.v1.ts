import { IsIn, IsISO8601, IsString, IsUUID, Matches } from 'class-validator';
import { COUNTY_CODE, ISO_DATE, STUDENT_KEY } from './common.js';

/**
 * `dropout.case.reopened.v1` — a child whose case was resolved as back in school (returned or
 * placed) was seen out of school again, and the same case opened again. Like
 * `dropout.case.opened`, it carries no reason and no poverty or disability attribute.
 */
export class DropoutCaseReopenedV1 {
  @IsUUID() caseId: string;
  @Matches(STUDENT_KEY) studentKey: string;
  @Matches(COUNTY_CODE) countyCode: string;
  @IsString() schoolCode: string;
  @IsIn(['returned', 'placed']) previousResolution: string;
  @IsISO8601() reopenedAt: string;
  @Matches(ISO_DATE) verifyBy: string;
}
