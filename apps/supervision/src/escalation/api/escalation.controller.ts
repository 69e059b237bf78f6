import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { ApiBearerAuth, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { CurrentUser, Roles, type Principal } from '@edu/auth';
import { SUPERVISED_FRONTS } from '../../directory/domain/front.js';
import { AcknowledgeEscalationHandler } from '../application/acknowledge-escalation.handler.js';
import { escalationSummary, EscalationViews } from '../application/escalation-views.js';
import { LadderSweepHandler } from '../application/ladder-sweep.handler.js';
import { BREACH_TYPES } from '../domain/breach-type.js';

class ListEscalationsQuery {
  @ApiPropertyOptional()
  @IsOptional()
  @Matches(/^\d{6}$/, { message: 'county must be a 6-digit code' })
  county?: string;
  @ApiPropertyOptional({ enum: ['open', 'resolved'] })
  @IsOptional()
  @IsIn(['open', 'resolved'])
  status?: string;
  @ApiPropertyOptional({ enum: SUPERVISED_FRONTS }) @IsOptional() @IsIn(SUPERVISED_FRONTS) front?: string;
  @ApiPropertyOptional({ enum: BREACH_TYPES }) @IsOptional() @IsIn(BREACH_TYPES) breachType?: string;
  @ApiPropertyOptional({ description: 'Page size; the total is in the X-Total-Count header' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit = 100;
  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsInt() @Min(0) offset = 0;
}

class AcknowledgeDto {
  @ApiPropertyOptional({ example: '已收悉，正在逐项整改' })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  note?: string;
}

@ApiTags('escalations')
@ApiBearerAuth()
@Controller('api')
export class EscalationController {
  constructor(
    private readonly views: EscalationViews,
    private readonly acknowledge: AcknowledgeEscalationHandler,
    private readonly sweep: LadderSweepHandler,
  ) {}

  /** Newest first, a page at a time; the total that match is in X-Total-Count. */
  @Get('escalations')
  async list(
    @Query() q: ListEscalationsQuery,
    @CurrentUser() user: Principal,
    @Res({ passthrough: true }) res: Response,
  ) {
    const { items, total } = await this.views.list(q, user);
    res.setHeader('X-Total-Count', String(total));
    return items;
  }

  @Get('escalations/:id')
  get(@Param('id', ParseUUIDPipe) id: string, @CurrentUser() user: Principal) {
    return this.views.detail(id, user);
  }

  /** Acknowledged by the responsible official: recorded; it stops nothing. */
  @Post('escalations/:id/ack')
  @Roles('city_admin', 'county_operator')
  async ack(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: AcknowledgeDto,
    @CurrentUser() user: Principal,
  ) {
    return escalationSummary(await this.acknowledge.execute(id, dto.note, user));
  }

  /** Runs the ladder sweep now (it also runs every SWEEP_INTERVAL_MS). */
  @Post('sweeps/ladder')
  @HttpCode(200)
  @Roles('city_admin')
  runSweep() {
    return this.sweep.execute();
  }
}
