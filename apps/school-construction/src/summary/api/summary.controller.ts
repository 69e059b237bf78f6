import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';
import { CurrentUser, scopedCounty, type Principal } from '@edu/auth';
import { Clock } from '@edu/service';
import { cityFigures, summaryView } from '../domain/county-summary.js';
import { CountySummaryQuery } from '../persistence/county-summary.query.js';

export class SummaryQuery {
  @ApiPropertyOptional() @IsOptional() @Matches(/^\d{6}$/) county?: string;
}

/** The construction front of the battle map (挂牌督战作战图): per county, and the city's total. */
@ApiTags('summary')
@ApiBearerAuth()
@Controller('api/summary')
export class SummaryController {
  constructor(
    private readonly query: CountySummaryQuery,
    private readonly clock: Clock,
  ) {}

  @Get()
  async get(@Query() q: SummaryQuery, @CurrentUser() user: Principal) {
    const counties = await this.query.figures(scopedCounty(user, q.county));
    return {
      asOf: this.clock.today(),
      counties: counties.map(summaryView),
      total: summaryView(cityFigures(counties)),
    };
  }
}
