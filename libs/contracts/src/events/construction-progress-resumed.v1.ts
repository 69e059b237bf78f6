import { IsUUID, Matches } from 'class-validator';
import { COUNTY_CODE, ISO_DATE } from './common.js';

/**
 * `construction.progress.resumed.v1` — a project reported in `construction.progress.stalled.v1`
 * reported progress again (or was put in use): the stall is settled. Subject: the project id.
 */
export class ConstructionProgressResumedV1 {
  @IsUUID() projectId: string;
  @Matches(COUNTY_CODE) countyCode: string;
  @Matches(ISO_DATE) stalledSince: string;
  @Matches(ISO_DATE) resumedOn: string;
}
