import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsISO8601,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  Min,
} from 'class-validator';
import { POLICY_BASES, POLICY_STAGES, type PolicyVersion } from '../../domain/policy.js';

/** Shape checks only; the rules themselves are validated by the domain, which names the bad path. */
export class PolicyDefinitionDto {
  @ApiProperty({ example: '义务教育：家庭经济困难寄宿生生活补助' }) @IsString() name: string;
  @ApiProperty({ enum: POLICY_STAGES }) @IsIn(POLICY_STAGES) stage: string;

  @ApiProperty({
    description:
      'Rule over roster attributes: {all:[…]}, {any:[…]}, {not:…}, {attr:"stage",in:[…]}, {attr:<flag>,is:true|false}, {attr:"disability_level"|"grade",min,max}, {selection:true}',
    example: {
      all: [
        { attr: 'stage', in: ['primary', 'junior'] },
        { attr: 'boarder', is: true },
      ],
    },
  })
  @IsObject()
  eligibility: Record<string, unknown>;

  @ApiProperty({
    description:
      '{kind:"fixed_per_term"|"per_year", amount:"1000.00", byStage?:{junior:"1250.00"}} | {kind:"percent_of_fee", percent:50} | {kind:"in_kind"}',
    example: { kind: 'per_year', amount: '1000.00', byStage: { junior: '1250.00' } },
  })
  @IsObject()
  amount: Record<string, unknown>;

  @ApiProperty({ example: ['spring', 'autumn'] }) @IsArray() terms: string[];
  @ApiProperty({ example: { spring: '04-30', autumn: '10-31' } }) @IsObject() dueBy: Record<string, unknown>;
  @ApiProperty({ example: '2020-01-01' }) @IsISO8601({ strict: true }) effectiveFrom: string;
  @ApiPropertyOptional() @IsOptional() @IsISO8601({ strict: true }) effectiveTo?: string | null;
  @ApiPropertyOptional({ enum: POLICY_BASES }) @IsOptional() @IsIn(POLICY_BASES) basis?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() note?: string | null;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() retired?: boolean;
}

export class CreatePolicyDto extends PolicyDefinitionDto {
  @ApiProperty({ example: 'COMPULSORY_BOARDER_LIVING' })
  @Matches(/^[A-Z][A-Z0-9_]{1,63}$/, { message: 'code must be upper-case letters, digits and _' })
  code: string;
}

export class EditPolicyDto extends PolicyDefinitionDto {
  @ApiPropertyOptional({ description: 'Refuse the edit unless this is still the latest version' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  expectedVersion?: number;
}

export class RetirePolicyQuery {
  @ApiProperty({ example: '2021-01-01' }) @IsISO8601({ strict: true }) from: string;
}

export class ListPoliciesQuery {
  @ApiPropertyOptional({ description: 'Only the versions that apply to this term', example: '2020-autumn' })
  @IsOptional()
  @Matches(/^\d{4}-(spring|autumn)$/)
  term?: string;
}

export const policyView = (p: PolicyVersion) => ({ ...p });
