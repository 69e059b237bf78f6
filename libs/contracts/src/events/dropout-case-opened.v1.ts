import { IsISO8601, IsString, IsUUID, Matches } from 'class-validator';
import { COUNTY_CODE, ISO_DATE, STUDENT_KEY } from './common.js';

/**
 * `dropout.case.opened.v1` — a dropout case was opened for a child of a poor household.
 * Carries no reason and no poverty or disability attribute: those stay in the case file.
 */
export class DropoutCaseOpenedV1 {
  @IsUUID() caseId: string;
  @Matches(STUDENT_KEY) studentKey: string;
  @Matches(COUNTY_CODE) countyCode: string;
  @IsString() schoolCode: string;
  @IsISO8601() openedAt: string;
  @Matches(ISO_DATE) verifyBy: string;
}
