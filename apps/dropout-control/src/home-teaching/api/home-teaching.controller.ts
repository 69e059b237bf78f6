import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { CurrentUser, Roles, type Principal } from '@edu/auth';
import { LogHomeTeachingVisitHandler } from '../application/log-home-teaching-visit.handler.js';
import { ReadHomeTeaching } from '../application/read-home-teaching.js';
import { StartHomeTeachingHandler } from '../application/start-home-teaching.handler.js';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

class StartHomeTeachingDto {
  @ApiProperty({ description: 'The school whose teachers go (送教学校)' })
  @IsString()
  @Length(1, 64)
  schoolCode: string;

  @ApiProperty({ type: [String] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(10)
  @IsString({ each: true })
  @Length(1, 50, { each: true })
  teachers: string[];

  @ApiProperty({ example: 4 }) @IsInt() @Min(1) @Max(31) visitsPerMonth: number;
  @ApiProperty({ example: '2020-06-10' }) @Matches(DATE) startsOn: string;
}

class LogVisitDto {
  @ApiProperty({ example: '2020-06-12' }) @Matches(DATE) visitedOn: string;
  @ApiProperty() @IsString() @Length(1, 50) teacher: string;
  @ApiProperty({ example: 2 }) @IsNumber() @Min(0.5) @Max(12) hours: number;
  @ApiProperty({ description: 'What was taught' }) @IsString() @Length(1, 2000) content: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(2000) note?: string;
}

class PlansQuery {
  @ApiPropertyOptional() @IsOptional() @Matches(/^\d{6}$/) county?: string;
  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(1000) limit = 100;
  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsInt() @Min(0) offset = 0;
}

class CoverageQuery {
  @ApiPropertyOptional() @IsOptional() @Matches(/^\d{6}$/) county?: string;
}

/** 送教上门: plans for severely disabled children, visits, and coverage per county. */
@ApiTags('home teaching')
@ApiBearerAuth()
@Controller('api')
export class HomeTeachingController {
  constructor(
    private readonly start: StartHomeTeachingHandler,
    private readonly logVisit: LogHomeTeachingVisitHandler,
    private readonly read: ReadHomeTeaching,
  ) {}

  @Post('cases/:id/home-teaching')
  @Roles('city_admin', 'county_operator')
  async startPlan(
    @Param('id', ParseUUIDPipe) caseId: string,
    @Body() dto: StartHomeTeachingDto,
    @CurrentUser() user: Principal,
  ) {
    return (await this.start.execute(caseId, dto, user)).state;
  }

  @Get('home-teaching/coverage')
  coverage(@Query() q: CoverageQuery, @CurrentUser() user: Principal) {
    return this.read.coverage(q.county, user);
  }

  @Get('home-teaching/plans')
  async plans(@Query() q: PlansQuery, @CurrentUser() user: Principal) {
    return (await this.read.list(q, user)).map((p) => p.state);
  }

  @Get('home-teaching/plans/:planId')
  plan(@Param('planId', ParseUUIDPipe) planId: string, @CurrentUser() user: Principal) {
    return this.read.get(planId, user);
  }

  @Post('home-teaching/plans/:planId/visits')
  @Roles('city_admin', 'county_operator')
  visit(
    @Param('planId', ParseUUIDPipe) planId: string,
    @Body() dto: LogVisitDto,
    @CurrentUser() user: Principal,
  ) {
    return this.logVisit.execute(planId, dto, user);
  }
}
