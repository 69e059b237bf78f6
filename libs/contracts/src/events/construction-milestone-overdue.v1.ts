import { IsString, IsUUID, Matches } from 'class-validator';
import { COUNTY_CODE, ISO_DATE } from './common.js';

/** `construction.milestone.overdue.v1` — a project milestone passed its planned date undone. */
export class ConstructionMilestoneOverdueV1 {
  @IsUUID() projectId: string;
  @IsUUID() milestoneId: string;
  @IsString() milestone: string;
  @Matches(COUNTY_CODE) countyCode: string;
  @Matches(ISO_DATE) plannedDate: string;
}
