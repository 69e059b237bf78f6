import { IsString, IsUUID, Matches } from 'class-validator';
import { COUNTY_CODE, ISO_DATE } from './common.js';

/** `construction.milestone.completed.v1` — a project milestone was completed. */
export class ConstructionMilestoneCompletedV1 {
  @IsUUID() projectId: string;
  @IsUUID() milestoneId: string;
  @IsString() milestone: string;
  @Matches(COUNTY_CODE) countyCode: string;
  @Matches(ISO_DATE) completedOn: string;
}
