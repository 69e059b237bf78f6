import {
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  Post,
  Put,
  Query,
  Req,
  UploadedFile,
  UseInterceptors,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import {
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsISO8601, IsOptional, Matches, Max, Min, ValidateNested } from 'class-validator';
import type { Request } from 'express';
import { CurrentUser, Roles, scopedCounty, type Principal } from '@edu/auth';
import { csvSource } from '../../directory/api/csv-upload.js';
import { WorkTeamHandlers } from '../application/work-team.handlers.js';
import { WorkTeamSweep } from '../application/work-team-sweep.js';
import { WorkTeamRepository } from '../persistence/work-team.repository.js';

class DaysDto {
  @ApiProperty({ example: 22 }) @IsInt() @Min(0) @Max(31) daysInVillage: number;
}

class ReportDto {
  @ApiProperty({ example: '2020-07-10' }) @Matches(/^\d{4}-\d{2}-\d{2}$/) submittedOn: string;
}

class AttendanceQuery {
  @ApiPropertyOptional() @IsOptional() @Matches(/^\d{6}$/) county?: string;
  @ApiProperty({ example: 2020 }) @Type(() => Number) @IsInt() @Min(2000) @Max(2100) year: number;
}

class RulesBody {
  @ApiProperty({ example: 20 }) @IsInt() @Min(0) minDaysPerMonth: number;
  @ApiProperty({ example: 200 }) @IsInt() @Min(0) minDaysPerYear: number;
  @ApiProperty({ example: 5 }) @IsInt() @Min(0) monthGraceDays: number;
  @ApiProperty({ example: 15 }) @IsInt() @Min(0) reportGraceDays: number;
}

class RulesDto {
  @ApiProperty({ type: RulesBody }) @ValidateNested() @Type(() => RulesBody) rules: RulesBody;
  @ApiPropertyOptional() @IsOptional() @IsISO8601() effectiveFrom?: string;
}

@ApiTags('village work teams')
@ApiBearerAuth()
@Controller('api/work-teams')
export class WorkTeamController {
  constructor(
    private readonly handlers: WorkTeamHandlers,
    private readonly teams: WorkTeamRepository,
    private readonly sweep: WorkTeamSweep,
  ) {}

  @Post('members/import')
  @Roles('city_admin', 'county_operator')
  @UseInterceptors(FileInterceptor('file', { limits: { fileSize: 5 * 1024 * 1024, files: 1 } }))
  @ApiConsumes('text/csv', 'multipart/form-data')
  @ApiBody({
    description:
      'CSV: member_id,name,county_code,village,role(member|first_secretary),posted_from,posted_until',
  })
  importMembers(
    @Req() req: Request,
    @CurrentUser() user: Principal,
    @UploadedFile() file?: { buffer: Buffer },
  ) {
    return this.handlers.importMembers(csvSource(req, file), user);
  }

  @Get('members')
  members(@CurrentUser() user: Principal, @Query('county') county?: string) {
    return this.teams.members(scopedCounty(user, county));
  }

  /** Days in the village in a month (YYYY-MM); judged against the rules at once. */
  @Put('members/:id/attendance/:month')
  @Roles('city_admin', 'county_operator')
  recordDays(
    @Param('id') id: string,
    @Param('month') month: string,
    @Body() dto: DaysDto,
    @CurrentUser() user: Principal,
  ) {
    return this.handlers.recordDays(id, month, dto.daysInVillage, user);
  }

  /** The half-year report (述职) filed, for `2020-H1` or `2020-H2`. */
  @Put('members/:id/reports/:half')
  @Roles('city_admin', 'county_operator')
  recordReport(
    @Param('id') id: string,
    @Param('half') half: string,
    @Body() dto: ReportDto,
    @CurrentUser() user: Principal,
  ) {
    return this.handlers.recordReport(id, half, dto.submittedOn, user);
  }

  @Get('attendance')
  attendance(@Query() q: AttendanceQuery, @CurrentUser() user: Principal) {
    return this.handlers.attendance(scopedCounty(user, q.county), q.year, user);
  }

  @Get('rules')
  rules() {
    return this.teams.ruleVersions();
  }

  @Post('rules')
  @Roles('city_admin')
  addRules(@Body() dto: RulesDto, @CurrentUser() user: Principal) {
    return this.handlers.addRules(dto.rules, dto.effectiveFrom, user);
  }

  @Post('sweep')
  @HttpCode(200)
  @Roles('city_admin')
  runSweep() {
    return this.sweep.execute();
  }
}
