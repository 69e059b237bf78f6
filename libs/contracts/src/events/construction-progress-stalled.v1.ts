import { IsInt, IsOptional, IsUUID, Matches, Min } from 'class-validator';
import { COUNTY_CODE, ISO_DATE } from './common.js';

/**
 * `construction.progress.stalled.v1` — a project still under way has had no progress report
 * for more than `stalledAfterDays`. Raised once per stall; settled by
 * `construction.progress.resumed.v1`. Subject: the project id.
 */
export class ConstructionProgressStalledV1 {
  @IsUUID() projectId: string;
  @Matches(COUNTY_CODE) countyCode: string;
  /** The latest progress report; absent when the project never reported. */
  @IsOptional() @Matches(ISO_DATE) lastReportOn?: string;
  /** The date counted from: the latest report, else the project's registration. */
  @Matches(ISO_DATE) since: string;
  @IsInt() @Min(1) stalledAfterDays: number;
  @Matches(ISO_DATE) detectedOn: string;
}
