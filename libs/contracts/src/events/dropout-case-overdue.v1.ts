import { IsString, IsUUID, Matches } from 'class-validator';
import { COUNTY_CODE, ISO_DATE, STUDENT_KEY } from './common.js';

/** `dropout.case.overdue.v1` — a case stayed in one state past its deadline. */
export class DropoutCaseOverdueV1 {
  @IsUUID() caseId: string;
  @Matches(STUDENT_KEY) studentKey: string;
  @Matches(COUNTY_CODE) countyCode: string;
  @IsString() state: string;
  @Matches(ISO_DATE) deadline: string;
}
