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
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { PROBLEM_FRONTS, PROBLEM_SOURCES, PROBLEM_STATUSES } from '../domain/rectification-problem.js';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export class RegisterProblemDto {
  @ApiProperty({ example: 'XS-2020-013', description: 'the number in the problem list; unique' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(60)
  ref: string;
  @ApiProperty({ enum: PROBLEM_SOURCES }) @IsIn(PROBLEM_SOURCES) source: string;
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(2000) description: string;
  @ApiProperty({ example: '150821' }) @Matches(/^\d{6}$/) countyCode: string;
  @ApiProperty({ enum: PROBLEM_FRONTS }) @IsIn(PROBLEM_FRONTS) front: string;
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(2000) measures: string;
  @ApiPropertyOptional({ example: '2020-03-10', description: 'default: today' })
  @IsOptional()
  @Matches(DATE)
  foundOn?: string;
  @ApiPropertyOptional({
    example: '2020-06-30',
    description: 'default: 30 June of the year found; none for construction',
  })
  @IsOptional()
  @Matches(DATE)
  deadline?: string;
  @ApiProperty({ example: '学生资助管理中心' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  leadDepartment: string;
  @ApiProperty({ example: '赵敏' }) @IsString() @IsNotEmpty() @MaxLength(100) responsibleLeader: string;
}

export class ReviseProblemDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @IsNotEmpty() @MaxLength(2000) description?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @IsNotEmpty() @MaxLength(2000) measures?: string;
  @ApiPropertyOptional() @IsOptional() @Matches(DATE) deadline?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @IsNotEmpty() @MaxLength(100) leadDepartment?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @IsNotEmpty() @MaxLength(100) responsibleLeader?: string;
}

export class EvidenceDto {
  @ApiProperty({ example: '五教发〔2020〕12号', description: 'a document number, archive reference or link' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(300)
  reference: string;
  @ApiPropertyOptional({ example: '补发资金花名册及银行回单' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  description?: string;
}

export class AddEvidenceDto {
  @ApiProperty({ type: [EvidenceDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => EvidenceDto)
  evidence: EvidenceDto[];
}

export class RequestClosureDto {
  @ApiPropertyOptional({
    type: [EvidenceDto],
    description: 'added before asking; evidence is required to close',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => EvidenceDto)
  evidence?: EvidenceDto[];
}

export class RejectClosureDto {
  @ApiProperty({ example: '佐证材料不全' }) @IsString() @IsNotEmpty() @MaxLength(1000) reason: string;
}

export class LedgerQueryDto {
  @ApiPropertyOptional() @IsOptional() @Matches(/^\d{6}$/) county?: string;
  @ApiPropertyOptional({ enum: PROBLEM_FRONTS }) @IsOptional() @IsIn(PROBLEM_FRONTS) front?: string;
  @ApiPropertyOptional({ enum: PROBLEM_STATUSES }) @IsOptional() @IsIn(PROBLEM_STATUSES) status?: string;
  @ApiPropertyOptional({ enum: PROBLEM_SOURCES }) @IsOptional() @IsIn(PROBLEM_SOURCES) source?: string;
  @ApiPropertyOptional({ description: 'only problems past their deadline and not closed' })
  @IsOptional()
  @Transform(({ value }) => value === true || value === 'true' || value === '1')
  @IsBoolean()
  overdue?: boolean;
  @ApiPropertyOptional({ enum: ['json', 'xlsx'] }) @IsOptional() @IsIn(['json', 'xlsx']) format?: string;
  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(1000) limit = 200;
  @ApiPropertyOptional({ description: 'the `next` cursor of the previous page' })
  @IsOptional()
  @Matches(/^\d{6}:.+$/)
  after?: string;
}
