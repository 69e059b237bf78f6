import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  MaxLength,
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
  FINDINGS,
  RESOLUTIONS,
  type CaseState,
  type DropoutCase,
} from '../../domain/dropout-case.js';
import { PERSUADER_ROLES, PERSUASION_METHODS, PERSUASION_OUTCOMES } from '../../domain/persuasion-attempt.js';
import { DISABILITY_LEVELS } from '../../domain/placement.js';

const COUNTY = /^\d{6}$/;
const CODE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

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

  @ApiPropertyOptional({
    description: 'Poverty-registry household id: groups the case into a household plan',
  })
  @IsOptional()
  @Matches(CODE, { message: 'householdId must be 1-64 letters, digits, dot, dash or underscore' })
  householdId?: string;

  @ApiPropertyOptional({
    enum: DISABILITY_LEVELS,
    description: 'Decides the expected placement; default none',
  })
  @IsOptional()
  @IsIn(DISABILITY_LEVELS)
  disabilityLevel?: string;
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

export class AttemptPersuaderDto {
  @ApiProperty() @IsString() @Length(1, 100) name: string;
  @ApiProperty({ enum: PERSUADER_ROLES }) @IsIn(PERSUADER_ROLES) role: string;
}

export class LogPersuasionAttemptDto {
  @ApiProperty({ example: '2020-06-03' })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'attemptedOn must be a date YYYY-MM-DD' })
  attemptedOn: string;

  @ApiProperty({ type: [AttemptPersuaderDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => AttemptPersuaderDto)
  persuaders: AttemptPersuaderDto[];

  @ApiProperty({ enum: PERSUASION_METHODS }) @IsIn(PERSUASION_METHODS) method: string;
  @ApiProperty({ enum: PERSUASION_OUTCOMES }) @IsIn(PERSUASION_OUTCOMES) outcome: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(2000) note?: string;
}

export class AssessDisabilityDto {
  @ApiProperty({ enum: DISABILITY_LEVELS }) @IsIn(DISABILITY_LEVELS) disabilityLevel: string;
}

export class ReopenDropoutCaseDto {
  @ApiProperty({ enum: FINDINGS, description: 'What shows the child is out of school again' })
  @IsIn(FINDINGS)
  finding: string;
}

export class ResolveDropoutCaseDto {
  @ApiProperty({ enum: RESOLUTIONS })
  @IsIn(RESOLUTIONS)
  resolution: string;

  @ApiPropertyOptional({
    description: 'Required for returned (the receiving school) and placed (the special school)',
  })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  schoolCode?: string;

  @ApiPropertyOptional({ enum: EXEMPT_REASONS, description: 'Required for, and only for, exempt' })
  @IsOptional()
  @IsIn(EXEMPT_REASONS)
  exemptReason?: string;

  @ApiPropertyOptional({
    description: 'Required for, and only for, exempt: the reference of the supporting document',
  })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  exemptDocument?: string;
}

export class CloseDropoutCaseDto {
  @ApiProperty({ description: 'What the closing is reconciled against, e.g. an enrolment record number' })
  @IsString()
  @Length(1, 500)
  evidence: string;
}

const toBoolean = ({ value }: { value: unknown }) =>
  value === 'true' ? true : value === 'false' ? false : value;

export class CaseFilterQuery {
  @ApiPropertyOptional() @IsOptional() @Matches(COUNTY) county?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 64) school?: string;
  @ApiPropertyOptional({ enum: CASE_STATES }) @IsOptional() @IsIn(CASE_STATES) state?: CaseState;
  @ApiPropertyOptional({ description: 'true: past the current deadline; false: not' })
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  overdue?: boolean;
  @ApiPropertyOptional({ description: 'Household id (the household plan)' })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  household?: string;
}

export class ListDropoutCasesQuery extends CaseFilterQuery {
  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(1000) limit = 100;
  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsInt() @Min(0) offset = 0;
}

/** Roles that work cases: they see the child's name and the sensitive attributes. */
export const SEES_NAMES = new Set<Principal['role']>(['city_admin', 'county_operator']);

/**
 * What the API shows of a case: the ID number always masked; the name, poverty status,
 * reason and disability only to the roles that work the case.
 */
export function caseView(c: DropoutCase, viewer: Principal) {
  const s = c.state;
  const sees = SEES_NAMES.has(viewer.role);
  return {
    id: s.id,
    studentKey: s.studentKey,
    studentIdNumber: maskResidentId(s.studentIdNumber),
    ...(sees
      ? {
          name: s.name,
          registeredPoor: s.registeredPoor,
          reason: s.reason,
          disabilityLevel: s.disabilityLevel,
          expectedPlacement: c.expectedPlacement,
        }
      : {}),
    countyCode: s.countyCode,
    schoolCode: s.schoolCode,
    householdId: s.householdId,
    township: s.township,
    village: s.village,
    source: s.source,
    finding: s.finding,
    state: s.state,
    stateEnteredOn: s.stateEnteredOn,
    deadline: s.deadline,
    overdueStates: s.overdueStates,
    persuaders: s.persuaders,
    attemptsInCycle: s.attemptsInCycle,
    homeTeachingPlanId: s.homeTeachingPlanId,
    resolution: s.resolution,
    resolutionSchoolCode: s.resolutionSchoolCode,
    exemptReason: s.exemptReason,
    exemptDocument: s.exemptDocument,
    closeEvidence: s.closeEvidence,
    reopenCount: s.reopenCount,
    openedAt: s.openedAt,
    openedBy: s.openedBy,
    verifiedAt: s.verifiedAt,
    verifiedBy: s.verifiedBy,
    plannedAt: s.plannedAt,
    plannedBy: s.plannedBy,
    resolvedAt: s.resolvedAt,
    resolvedBy: s.resolvedBy,
    closedAt: s.closedAt,
    closedBy: s.closedBy,
    reopenedAt: s.reopenedAt,
  };
}
