import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  Max,
  Min,
} from 'class-validator';
import { IsResidentId } from '@edu/service';
import type { Entitlement } from '../../domain/entitlement.js';
import type { EntitlementRun } from '../../domain/entitlement-run.js';
import { formatYuan } from '../../domain/money.js';

const MONEY = /^\d{1,10}(\.\d{1,2})?$/;
const TERM = /^\d{4}-(spring|autumn)$/;
const COUNTY = /^\d{6}$/;

export class RecordEntitlementDto {
  @ApiProperty({ description: 'Resident ID number (18 characters, checked)', example: '15082120120315456X' })
  @IsResidentId()
  studentIdNumber: string;

  @ApiProperty({ example: '150821' })
  @Matches(COUNTY, { message: 'countyCode must be a 6-digit GB/T 2260 code' })
  countyCode: string;

  @ApiProperty() @IsString() @Length(1, 64) schoolCode: string;
  @ApiProperty({ example: 'COMPULSORY_BOARDER_LIVING' }) @IsString() @Length(1, 64) policyCode: string;

  @ApiProperty({ example: '2020-autumn' })
  @Matches(TERM, { message: 'term must look like 2020-autumn or 2020-spring' })
  term: string;

  @ApiProperty({ example: '625.00', description: 'yuan' })
  @Matches(MONEY, { message: 'amountDue must be an amount in yuan, e.g. 625.00' })
  amountDue: string;

  @ApiProperty({ example: '2020-10-31' })
  @IsISO8601({ strict: true }, { message: 'dueDate must be a date YYYY-MM-DD' })
  dueDate: string;
}

export class RecordPaymentDto {
  @ApiProperty() @IsResidentId() studentIdNumber: string;
  @ApiProperty() @IsString() @Length(1, 64) policyCode: string;
  @ApiProperty() @Matches(TERM, { message: 'term must look like 2020-autumn or 2020-spring' }) term: string;
  @ApiProperty({ example: '625.00' })
  @Matches(MONEY, { message: 'amount must be an amount in yuan, e.g. 625.00' })
  amount: string;
  @ApiProperty({ example: '2020-10-20' })
  @IsISO8601({ strict: true }, { message: 'paidOn must be a date YYYY-MM-DD' })
  paidOn: string;
  @ApiPropertyOptional({ description: 'Bank or treasury serial number; a repeat is ignored' })
  @IsOptional()
  @IsString()
  @Length(1, 128)
  reference?: string;
}

export class ListEntitlementsQuery {
  @ApiPropertyOptional() @IsOptional() @Matches(COUNTY) county?: string;
  @ApiPropertyOptional({ enum: ['prepared', 'due', 'overdue', 'settled'] })
  @IsOptional()
  @IsIn(['prepared', 'due', 'overdue', 'settled'])
  status?: string;
  @ApiPropertyOptional() @IsOptional() @Matches(TERM) term?: string;
  @ApiPropertyOptional() @IsOptional() @Matches(/^[0-9a-f]{64}$/) studentKey?: string;
  @ApiPropertyOptional() @IsOptional() @IsUUID() runId?: string;
  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(1000) limit = 100;
  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsInt() @Min(0) offset = 0;
}

export class ComputeEntitlementsDto {
  @ApiPropertyOptional({ description: 'Only this county (a county operator always computes their own)' })
  @IsOptional()
  @Matches(COUNTY, { message: 'countyCode must be a 6-digit GB/T 2260 code' })
  countyCode?: string;
}

export class TermParam {
  @ApiProperty({ example: '2020-autumn' })
  @Matches(TERM, { message: 'term must look like 2020-autumn or 2020-spring' })
  term: string;
}

export class ListRunsQuery {
  @ApiPropertyOptional() @IsOptional() @Matches(TERM) term?: string;
  @ApiPropertyOptional() @IsOptional() @Matches(COUNTY) county?: string;
  // 200 by default: the list had a fixed cap of 200 before it paged.
  @ApiPropertyOptional({ description: 'Page size; the total is in the X-Total-Count header' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit = 200;
  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsInt() @Min(0) offset = 0;
}

/** What the API shows of an entitlement: the student only as a pseudonymous key. */
export function entitlementView(e: Entitlement, today?: string) {
  const s = e.state;
  return {
    id: s.id,
    studentKey: s.studentKey,
    countyCode: s.countyCode,
    schoolCode: s.schoolCode,
    policyCode: s.policyCode,
    policyVersion: s.policyVersion,
    runId: s.runId,
    term: s.term,
    amountDue: formatYuan(s.amountDue),
    amountPaid: formatYuan(s.amountPaid),
    paidOnTime: formatYuan(s.paidOnTime),
    dueDate: s.dueDate,
    status: s.status,
    ...(today && { class: e.classify(today) }),
    preparedBy: s.preparedBy,
    approvedBy: s.approvedBy,
    approvedAt: s.approvedAt,
    overdueSince: s.overdueSince,
    shortSince: s.shortSince,
    settledAt: s.settledAt,
    settledOn: s.settledOn,
    dropoutCaseId: s.dropoutCaseId,
  };
}

export function runView(r: EntitlementRun) {
  const s = r.state;
  return { ...s, amountDue: formatYuan(s.amountDue) };
}
