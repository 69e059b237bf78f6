import { Body, Controller, Get, Param, Put, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Length, Matches, Max, Min } from 'class-validator';
import type { Response } from 'express';
import { CurrentUser, Roles, type Principal } from '@edu/auth';
import { caseView } from '../../dropout-case/api/dto/dropout-case.dto.js';
import { ReadHouseholds } from '../application/read-households.js';
import { RecordHouseholdPlanHandler } from '../application/record-household-plan.handler.js';

class ListHouseholdsQuery {
  @ApiPropertyOptional() @IsOptional() @Matches(/^\d{6}$/) county?: string;
  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(1000) limit = 100;
  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsInt() @Min(0) offset = 0;
}

class HouseholdPlanDto {
  @ApiProperty({ description: 'What is done for the household (assistance, persuasion, follow-up)' })
  @IsString()
  @Length(1, 4000)
  measures: string;

  @ApiProperty({ description: 'The person in charge of the household plan' })
  @IsString()
  @Length(1, 100)
  responsible: string;
}

/** 一家一案: a plan per household, its children's cases under it. */
@ApiTags('household plans')
@ApiBearerAuth()
@Controller('api/households')
export class HouseholdController {
  constructor(
    private readonly read: ReadHouseholds,
    private readonly recordPlan: RecordHouseholdPlanHandler,
  ) {}

  /** Household plans, those with open cases first; the total is in X-Total-Count. */
  @Get()
  async list(
    @Query() q: ListHouseholdsQuery,
    @CurrentUser() user: Principal,
    @Res({ passthrough: true }) res: Response,
  ) {
    const { total, households } = await this.read.list(q, user);
    res.setHeader('X-Total-Count', String(total));
    return households;
  }

  @Get(':householdId')
  async get(@Param('householdId') householdId: string, @CurrentUser() user: Principal) {
    const { plan, cases } = await this.read.get(householdId, user);
    return { ...plan.state, cases: cases.map((c) => caseView(c, user)) };
  }

  @Put(':householdId/plan')
  @Roles('city_admin', 'county_operator')
  async record(
    @Param('householdId') householdId: string,
    @Body() dto: HouseholdPlanDto,
    @CurrentUser() user: Principal,
  ) {
    return (await this.recordPlan.execute(householdId, dto, user)).state;
  }
}
