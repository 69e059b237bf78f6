import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMinSize, IsArray, IsIn, IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { maskResidentId } from '@edu/contracts';
import type { Principal } from '@edu/auth';
import { SEES_NAMES } from '../../dropout-case/api/dto/dropout-case.dto.js';
import { POVERTY_STATUSES } from '../../registry/domain/registry-rows.js';

export class RunCrosscheckDto {
  @ApiPropertyOptional({
    description:
      'The school year by its starting year (ages count at 1 September); default the one in progress',
    example: 2020,
  })
  @IsOptional()
  @IsInt()
  @Min(2000)
  @Max(2100)
  schoolYear?: number;
}

export class ListRunsQuery {
  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(200) limit = 20;
}

export const LEDGERS = ['school_age', 'suspected', 'confirmed'] as const;

export class LedgerQuery {
  @ApiPropertyOptional({ enum: LEDGERS, description: 'default school_age' })
  @IsOptional()
  @IsIn(LEDGERS)
  ledger: (typeof LEDGERS)[number] = 'school_age';
  @ApiPropertyOptional() @IsOptional() @Matches(/^\d{6}$/) county?: string;
  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(1000) limit = 100;
  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsInt() @Min(0) offset = 0;
}

export class CrosscheckPolicyDto {
  @ApiProperty({ example: '2020-09-01' })
  @Matches(/^\d{4}-\d{2}-\d{2}$/)
  effectiveFrom: string;
  @ApiProperty({ example: 6 }) @IsInt() schoolAgeFrom: number;
  @ApiProperty({ example: 15 }) @IsInt() schoolAgeTo: number;
  @ApiProperty({ example: 3 }) @IsInt() preschoolFromAge: number;
  @ApiProperty({ example: 12 }) @IsInt() juniorFromAge: number;
  @ApiProperty({ enum: POVERTY_STATUSES, isArray: true })
  @IsArray()
  @ArrayMinSize(1)
  @IsIn(POVERTY_STATUSES, { each: true })
  poorStatuses: string[];
}

/** A ledger line: the ID number masked, the name only for case workers. */
export function ledgerView(
  r: {
    idNumber: string;
    name: string | null;
    countyCode: string;
    householdId: string | null;
    township: string | null;
    village: string | null;
    age: number;
    finding: string | null;
    action: string | null;
    caseId: string | null;
  },
  viewer: Principal,
) {
  const { idNumber, name, ...rest } = r;
  return {
    idNumber: maskResidentId(idNumber),
    ...(SEES_NAMES.has(viewer.role) ? { name } : {}),
    ...rest,
  };
}
