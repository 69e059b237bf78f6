import { Body, Controller, Get, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsArray, IsISO8601, IsOptional, Matches } from 'class-validator';
import { CurrentUser, Roles, scopedCounty, type Principal } from '@edu/auth';
import { BattleMapRules } from '../application/battle-map-rules.js';
import { BattleMapQuery } from '../application/battle-map.query.js';
import type { MapRule } from '../domain/battle-map.js';
import { BattleMapRepository } from '../persistence/battle-map.repository.js';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

class MapQuery {
  @ApiPropertyOptional() @IsOptional() @Matches(/^\d{6}$/) county?: string;
}

class HistoryQuery extends MapQuery {
  @ApiPropertyOptional({ example: '2020-09-01' }) @IsOptional() @Matches(DATE) from?: string;
  @ApiPropertyOptional({ example: '2020-12-31' }) @IsOptional() @Matches(DATE) to?: string;
}

class RulesDto {
  @ApiProperty({
    description:
      'Ordered rules; the first that matches sets the colour: { status: red|amber|green, when: { minLevel?, ' +
      'minOpenBreaches?, minOverdueItems?, minAmountUnpaid? (yuan) }, description }',
    type: 'array',
    items: { type: 'object' },
  })
  @IsArray()
  rules: MapRule[];
  @ApiPropertyOptional({ description: 'default: now' }) @IsOptional() @IsISO8601() effectiveFrom?: string;
}

@ApiTags('battle map')
@ApiBearerAuth()
@Controller('api/battle-map')
export class BattleMapController {
  constructor(
    private readonly query: BattleMapQuery,
    private readonly rules: BattleMapRules,
    private readonly map: BattleMapRepository,
  ) {}

  /** Per county and front: open breaches, overdue items, escalation level, money unpaid, and a colour with its rule. */
  @Get()
  now(@Query() q: MapQuery, @CurrentUser() user: Principal) {
    return this.query.now(scopedCounty(user, q.county));
  }

  /** The same at the end of each week (Monday to Sunday), to plot progress. */
  @Get('history')
  history(@Query() q: HistoryQuery, @CurrentUser() user: Principal) {
    return this.query.history({ ...q, county: scopedCounty(user, q.county) });
  }

  @Get('rules')
  ruleSets() {
    return this.map.ruleSets();
  }

  @Post('rules')
  @Roles('city_admin')
  addRules(@Body() dto: RulesDto, @CurrentUser() user: Principal) {
    return this.rules.add(dto.rules, dto.effectiveFrom, user);
  }
}
