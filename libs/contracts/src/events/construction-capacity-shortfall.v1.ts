import { IsIn, IsInt, IsString, Matches, Min } from 'class-validator';
import { COUNTY_CODE } from './common.js';

/** `construction.capacity.shortfall.v1` — a relocation site has more school-age children than seats. */
export class ConstructionCapacityShortfallV1 {
  @IsString() siteCode: string;
  @Matches(COUNTY_CODE) countyCode: string;
  @IsIn(['preschool', 'primary', 'junior']) stage: string;
  @IsInt() @Min(0) demand: number;
  @IsInt() @Min(0) seats: number;
  @IsInt() @Min(1) shortfall: number;
}
