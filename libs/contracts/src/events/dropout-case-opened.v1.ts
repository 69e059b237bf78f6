import { IsBoolean, IsISO8601, IsOptional, IsString, IsUUID, Matches } from 'class-validator';
import { COUNTY_CODE, ISO_DATE, STUDENT_KEY } from './common.js';

/** `dropout.case.opened.v1` — a dropout case was opened for a child of a poor household. */
export class DropoutCaseOpenedV1 {
  @IsUUID() caseId: string;
  @Matches(STUDENT_KEY) studentKey: string;
  @Matches(COUNTY_CODE) countyCode: string;
  @IsString() schoolCode: string;
  @IsBoolean() registeredPoor: boolean;
  @IsOptional() @IsString() reason?: string;
  @IsISO8601() openedAt: string;
  @Matches(ISO_DATE) verifyBy: string;
}
