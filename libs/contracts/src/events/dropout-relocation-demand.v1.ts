import { IsInt, IsISO8601, IsString, IsUUID, Matches, Min } from 'class-validator';
import { COUNTY_CODE } from './common.js';

/**
 * `dropout.relocation-demand.v1` — after a cross-check run, the school-age children of one
 * relocation site by stage (counts only), for school-construction's capacity check.
 * Subject: the site code; a later run supersedes an earlier one.
 */
export class DropoutRelocationDemandV1 {
  @IsUUID() crosscheckId: string;
  @IsString() siteCode: string;
  @Matches(COUNTY_CODE) countyCode: string;
  /** The school year by its starting year: "2020" is the year from 1 September 2020. */
  @Matches(/^\d{4}$/) schoolYear: string;
  @IsInt() @Min(0) preschool: number;
  @IsInt() @Min(0) primary: number;
  @IsInt() @Min(0) junior: number;
  @IsISO8601() measuredAt: string;
}
