import { IsIn, IsInt, IsString, Matches, Min } from 'class-validator';
import { COUNTY_CODE } from './common.js';

/**
 * `construction.capacity.restored.v1` — a relocation site reported in
 * `construction.capacity.shortfall.v1` has seats for its school-age children of that stage
 * again: the shortfall is settled. Subject: the site code.
 */
export class ConstructionCapacityRestoredV1 {
  @IsString() siteCode: string;
  @Matches(COUNTY_CODE) countyCode: string;
  @IsIn(['preschool', 'primary', 'junior']) stage: string;
  @IsInt() @Min(0) demand: number;
  @IsInt() @Min(0) seats: number;
}
