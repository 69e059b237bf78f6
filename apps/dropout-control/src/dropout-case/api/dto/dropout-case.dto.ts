import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { maskResidentId } from '@edu/contracts';
import type { Principal } from '@edu/auth';
import { IsResidentId } from '@edu/service';
import {
  CASE_STATES,
  DROPOUT_REASONS,
  EXEMPT_REASONS,
  RESOLUTIONS,
  type CaseState,
  type DropoutCase,
} from '../../domain/dropout-case.js';

const COUNTY = /^\d{6}$/;

export class OpenDropoutCaseDto {
  @ApiProperty({ description: 'Resident ID number (18 characters, checked)', example: '15082120120315456X' })
  @IsResidentId()
  studentIdNumber: string;

  @ApiProperty({ description: "The child's name; shown only to city admins and county operators" })
  @IsString()
  @IsNotEmpty()
  @Length(1, 50)
  name: string;

  @ApiProperty({ example: '150821' })
  @Matches(COUNTY, { message: 'countyCode must be a 6-digit GB/T 2260 code' })
  countyCode: string;

  @ApiProperty({ description: 'The school the child is registered with or belongs to' })
  @IsString()
  @Length(1, 64)
  schoolCode: string;

  @ApiProperty({ description: 'Child of a registered poor household (建档立卡)' })
  @IsBoolean()
  registeredPoor: boolean;

  @ApiPropertyOptional({ enum: DROPOUT_REASONS, description: 'Recorded now; the case still starts opened' })
  @IsOptional()
  @IsIn(DROPOUT_REASONS)
  reason?: string;
}

export class VerifyDropoutCaseDto {
  @ApiPropertyOptional({
    enum: DROPOUT_REASONS,
    description: 'Required unless given when the case was opened',
  })
  @IsOptional()
  @IsIn(DROPOUT_REASONS)
  reason?: string;
}

export class PersuadersDto {
  @ApiProperty({ description: 'Persuader from the school' }) @IsString() @Length(1, 100) school: string;
  @ApiProperty({ description: 'Persuader from the township' }) @IsString() @Length(1, 100) township: string;
  @ApiProperty({ description: 'Persuader from the village' }) @IsString() @Length(1, 100) village: string;
}

export class PlanDropoutCaseDto {
  @ApiProperty({ type: PersuadersDto })
  @ValidateNested()
  @Type(() => PersuadersDto)
  persuaders: PersuadersDto;
}

export class ResolveDropoutCaseDto {
  @ApiProperty({ enum: RESOLUTIONS })
  @IsIn(RESOLUTIONS)
  resolution: string;

  @ApiPropertyOptional({ description: 'Required for returned (the school) and placed (the special school)' })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  schoolCode?: string;

  @ApiPropertyOptional({ enum: EXEMPT_REASONS, description: 'Required for, and only for, exempt' })
  @IsOptional()
  @IsIn(EXEMPT_REASONS)
  exemptReason?: string;
}

export class CloseDropoutCaseDto {
  @ApiProperty({ description: 'What the closing is reconciled against, e.g. an enrolment record number' })
  @IsString()
  @Length(1, 500)
  evidence: string;
}

export class ListDropoutCasesQuery {
  @ApiPropertyOptional() @IsOptional() @Matches(COUNTY) county?: string;
  @ApiPropertyOptional({ enum: CASE_STATES }) @IsOptional() @IsIn(CASE_STATES) state?: CaseState;
  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(1000) limit = 100;
  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsInt() @Min(0) offset = 0;
}

const SEES_NAMES = new Set<Principal['role']>(['city_admin', 'county_operator']);

/**
 * What the API shows of a case: the ID number always masked; the name only to the roles
 * that work the case.
 */
export function caseView(c: DropoutCase, viewer: Principal) {
  const s = c.state;
  return {
    id: s.id,
    studentKey: s.studentKey,
    studentIdNumber: maskResidentId(s.studentIdNumber),
    ...(SEES_NAMES.has(viewer.role) ? { name: s.name } : {}),
    countyCode: s.countyCode,
    schoolCode: s.schoolCode,
    registeredPoor: s.registeredPoor,
    reason: s.reason,
    state: s.state,
    stateEnteredOn: s.stateEnteredOn,
    deadline: s.deadline,
    overdueStates: s.overdueStates,
    persuaders: s.persuaders,
    resolution: s.resolution,
    resolutionSchoolCode: s.resolutionSchoolCode,
    exemptReason: s.exemptReason,
    closeEvidence: s.closeEvidence,
    openedAt: s.openedAt,
    verifiedAt: s.verifiedAt,
    plannedAt: s.plannedAt,
    resolvedAt: s.resolvedAt,
    closedAt: s.closedAt,
  };
}
