import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { MILESTONE_KINDS, PROJECT_KINDS, type Project } from '../../domain/project.js';

const COUNTY = /^\d{6}$/;

export class MilestonePlanDto {
  @ApiProperty({ enum: MILESTONE_KINDS })
  @IsIn(MILESTONE_KINDS)
  kind: string;

  @ApiProperty({ example: '2020-08-31' })
  @IsISO8601({ strict: true }, { message: 'plannedDate must be a date YYYY-MM-DD' })
  plannedDate: string;
}

export class CreateProjectDto {
  @ApiProperty({ example: '小佘太学校改扩建' }) @IsString() @Length(1, 200) name: string;

  @ApiProperty({ enum: PROJECT_KINDS })
  @IsIn(PROJECT_KINDS)
  kind: string;

  @ApiProperty({ example: '150824' })
  @Matches(COUNTY, { message: 'countyCode must be a 6-digit GB/T 2260 code' })
  countyCode: string;

  @ApiPropertyOptional({ description: 'The relocation site the school serves' })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  siteCode?: string;

  @ApiPropertyOptional({ description: 'Seats' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100_000)
  capacitySeats?: number;

  @ApiPropertyOptional({ description: 'Boarding beds' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100_000)
  capacityBeds?: number;

  @ApiProperty({
    type: [MilestonePlanDto],
    description: `All six, each once: ${MILESTONE_KINDS.join(', ')}; planned dates in that order`,
  })
  @IsArray()
  @ArrayMinSize(MILESTONE_KINDS.length)
  @ArrayMaxSize(MILESTONE_KINDS.length)
  @ValidateNested({ each: true })
  @Type(() => MilestonePlanDto)
  milestones: MilestonePlanDto[];
}

export class CompleteMilestoneDto {
  @ApiProperty({ example: '2020-07-10' })
  @IsISO8601({ strict: true }, { message: 'completedOn must be a date YYYY-MM-DD' })
  completedOn: string;
}

export class ListProjectsQuery {
  @ApiPropertyOptional() @IsOptional() @Matches(COUNTY) county?: string;
  @ApiPropertyOptional({ enum: PROJECT_KINDS }) @IsOptional() @IsIn(PROJECT_KINDS) kind?: string;
  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(1000) limit = 100;
  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsInt() @Min(0) offset = 0;
}

export function projectView(p: Project) {
  const s = p.state;
  return {
    id: s.id,
    name: s.name,
    kind: s.kind,
    countyCode: s.countyCode,
    siteCode: s.siteCode,
    capacitySeats: s.capacitySeats,
    capacityBeds: s.capacityBeds,
    milestones: s.milestones.map((m) => ({
      id: m.id,
      kind: m.kind,
      plannedDate: m.plannedDate,
      completedOn: m.completedOn,
      overdueSince: m.overdueRaisedOn,
    })),
  };
}
