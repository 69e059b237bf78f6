import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { UUID_PATTERN } from '@edu/contracts';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { toYuan } from '../../domain/money.js';
import {
  EXEMPT_FROM_RECTIFICATION_DEADLINE,
  FUNDING_SOURCES,
  MILESTONE_KINDS,
  PROJECT_KINDS,
  type ProgressReportProps,
  type Project,
} from '../../domain/project.js';
import { PROJECT_STATUSES } from '../../persistence/project.repository.js';

const COUNTY = /^\d{6}$/;
const YUAN = /^\d{1,10}(\.\d{1,2})?$/;
const YUAN_MESSAGE = (field: string) => `${field} must be an amount in yuan, e.g. 1250000.00`;

export class MilestonePlanDto {
  @ApiProperty({ enum: MILESTONE_KINDS })
  @IsIn(MILESTONE_KINDS)
  kind: string;

  @ApiProperty({
    example: '2020-08-31',
    description:
      "The milestone's deadline. Construction items are exempt from the 30 June rectification deadline: this date, not that one, is what a sweep holds the project to.",
  })
  @IsISO8601({ strict: true }, { message: 'plannedDate must be a date YYYY-MM-DD' })
  plannedDate: string;
}

export class FundingDto {
  @ApiProperty({ enum: FUNDING_SOURCES })
  @IsIn(FUNDING_SOURCES)
  source: string;

  @ApiProperty({ example: '3000000.00', description: 'Yuan' })
  @Matches(YUAN, { message: YUAN_MESSAGE('amount') })
  amount: string;
}

export class SeatsDto {
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(0) @Max(100_000) preschool?: number;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(0) @Max(100_000) primary?: number;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(0) @Max(100_000) junior?: number;
}

export class CreateProjectDto {
  @ApiPropertyOptional({
    example: 'WLTZQ-2020-003',
    description: "The bureau's project number (the key of imports)",
  })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  code?: string;

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

  @ApiPropertyOptional({ description: 'In a newly delisted county (新摘帽旗县): priority supervision' })
  @IsOptional()
  @IsBoolean()
  priority?: boolean;

  @ApiPropertyOptional({ type: [FundingDto], description: 'Budget by funding source, each source once' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(FUNDING_SOURCES.length)
  @ValidateNested({ each: true })
  @Type(() => FundingDto)
  funding?: FundingDto[];

  @ApiPropertyOptional({ example: '0.00', description: 'Spend to date, yuan' })
  @IsOptional()
  @Matches(YUAN, { message: YUAN_MESSAGE('spentToDate') })
  spentToDate?: string;

  @ApiPropertyOptional({
    type: SeatsDto,
    description: 'Seats by stage, compared with the relocation site’s children',
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => SeatsDto)
  seats?: SeatsDto;

  @ApiPropertyOptional({ description: 'All seats (defaults to the sum of seats by stage)' })
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

/** Only the fields given change; `siteCode: null` clears the site, `capacitySeats: null` the total. */
/** May be left out, but not sent as null (null would not say what the value becomes). */
const Omittable = () => ValidateIf((_, v) => v !== undefined);

export class ReviseProjectDto {
  @ApiPropertyOptional() @Omittable() @IsString() @Length(1, 200) name?: string;

  @ApiPropertyOptional({ nullable: true })
  @ValidateIf((_, v) => v !== undefined && v !== null)
  @IsString()
  @Length(1, 64)
  siteCode?: string | null;

  @ApiPropertyOptional() @Omittable() @IsBoolean() priority?: boolean;

  @ApiPropertyOptional({ type: [FundingDto], description: 'The whole budget: replaces every funding line' })
  @Omittable()
  @IsArray()
  @ArrayMaxSize(FUNDING_SOURCES.length)
  @ValidateNested({ each: true })
  @Type(() => FundingDto)
  funding?: FundingDto[];

  @ApiPropertyOptional({ example: '1250000.00' })
  @Omittable()
  @Matches(YUAN, { message: YUAN_MESSAGE('spentToDate') })
  spentToDate?: string;

  @ApiPropertyOptional({ type: SeatsDto, description: 'Replaces the seats by stage' })
  @Omittable()
  @ValidateNested()
  @Type(() => SeatsDto)
  seats?: SeatsDto;

  @ApiPropertyOptional({ nullable: true })
  @ValidateIf((_, v) => v !== undefined && v !== null)
  @IsInt()
  @Min(1)
  @Max(100_000)
  capacitySeats?: number | null;

  @ApiPropertyOptional({ nullable: true })
  @ValidateIf((_, v) => v !== undefined && v !== null)
  @IsInt()
  @Min(1)
  @Max(100_000)
  capacityBeds?: number | null;
}

export class CompleteMilestoneDto {
  @ApiProperty({ example: '2020-07-10' })
  @IsISO8601({ strict: true }, { message: 'completedOn must be a date YYYY-MM-DD' })
  completedOn: string;
}

export class DocumentRefDto {
  @ApiProperty({ example: '主体结构验收记录' }) @IsString() @Length(1, 200) title: string;

  @ApiProperty({ example: '乌中教发〔2020〕15号', description: 'Document number, archive reference or URL' })
  @IsString()
  @Length(1, 500)
  reference: string;
}

export class ReportProgressDto {
  @ApiProperty({ example: '2020-07-31' })
  @IsISO8601({ strict: true }, { message: 'reportedOn must be a date YYYY-MM-DD' })
  reportedOn: string;

  @ApiProperty({ example: 45 }) @IsInt() @Min(0) @Max(100) percentComplete: number;

  @ApiProperty({ example: '主体结构已完成三层，计划8月底封顶。' })
  @IsString()
  @Length(1, 4000)
  narrative: string;

  @ApiPropertyOptional({ type: [DocumentRefDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => DocumentRefDto)
  documents?: DocumentRefDto[];

  @ApiPropertyOptional({ example: '1250000.00', description: 'Spend to date, yuan; updates the project’s' })
  @IsOptional()
  @Matches(YUAN, { message: YUAN_MESSAGE('spentToDate') })
  spentToDate?: string;
}

const toBoolean = ({ value }: { value: unknown }) =>
  value === 'true' ? true : value === 'false' ? false : value;

export class ProjectFilterQuery {
  @ApiPropertyOptional() @IsOptional() @Matches(COUNTY) county?: string;
  @ApiPropertyOptional({ enum: PROJECT_KINDS }) @IsOptional() @IsIn(PROJECT_KINDS) kind?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 64) siteCode?: string;

  @ApiPropertyOptional({ description: 'In a newly delisted county' })
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  priority?: boolean;

  @ApiPropertyOptional({
    enum: PROJECT_STATUSES,
    description: 'active/completed (in use); overdue, stalled, overrun, or breach (any of the three)',
  })
  @IsOptional()
  @IsIn(PROJECT_STATUSES)
  status?: (typeof PROJECT_STATUSES)[number];

  @ApiPropertyOptional({ description: 'Part of the name or code' })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  q?: string;
}

export class ListProjectsQuery extends ProjectFilterQuery {
  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(1000) limit = 100;
  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsInt() @Min(0) offset = 0;
}

export class ListReportsQuery {
  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(1000) limit = 100;
  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsInt() @Min(0) offset = 0;
}

export class ImportQuery {
  @ApiPropertyOptional({ description: 'Choose the import id to poll GET /api/imports/{id} while uploading' })
  @IsOptional()
  @IsString()
  @Matches(UUID_PATTERN, {
    message: 'importId must be a UUID',
  })
  importId?: string;
}

export function projectView(p: Project) {
  const s = p.state;
  return {
    id: s.id,
    code: s.code,
    name: s.name,
    kind: s.kind,
    countyCode: s.countyCode,
    siteCode: s.siteCode,
    priority: s.priority,
    budget: toYuan(p.budgetFen),
    funding: s.funding.map((f) => ({ source: f.source, amount: toYuan(f.amountFen) })),
    spentToDate: toYuan(s.spentFen),
    seats: s.seats,
    capacitySeats: s.capacitySeats,
    capacityBeds: s.capacityBeds,
    registeredOn: s.registeredOn,
    percentComplete: s.percentComplete,
    lastReportOn: s.lastReportOn,
    stalledSince: s.stalledSince,
    overrunSince: s.overrunSince,
    inUse: p.inUse,
    exemptFromRectificationDeadline: EXEMPT_FROM_RECTIFICATION_DEADLINE,
    milestones: s.milestones.map((m) => ({
      id: m.id,
      kind: m.kind,
      plannedDate: m.plannedDate,
      completedOn: m.completedOn,
      overdueSince: m.overdueRaisedOn,
    })),
  };
}

export function reportView(r: ProgressReportProps) {
  return {
    id: r.id,
    projectId: r.projectId,
    reportedOn: r.reportedOn,
    percentComplete: r.percentComplete,
    narrative: r.narrative,
    documents: r.documents,
    spentToDate: r.spentFen === null ? null : toYuan(r.spentFen),
    reportedBy: r.reportedBy,
  };
}
