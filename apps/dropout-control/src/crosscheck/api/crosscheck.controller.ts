import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentUser, Roles, type Principal } from '@edu/auth';
import { ReadCrosschecks } from '../application/read-crosschecks.js';
import { RunCrosscheckHandler } from '../application/run-crosscheck.handler.js';
import { SaveCrosscheckPolicyHandler } from '../application/save-crosscheck-policy.handler.js';
import {
  CrosscheckPolicyDto,
  LedgerQuery,
  ledgerView,
  ListRunsQuery,
  RunCrosscheckDto,
} from './crosscheck.dto.js';

@ApiTags('cross-check')
@ApiBearerAuth()
@Controller('api')
export class CrosscheckController {
  constructor(
    private readonly runCrosscheck: RunCrosscheckHandler,
    private readonly savePolicy: SaveCrosscheckPolicyHandler,
    private readonly read: ReadCrosschecks,
  ) {}

  /** Runs the cross-check now (a county operator's run covers their county). */
  @Post('crosscheck')
  @Roles('city_admin', 'county_operator')
  run(@Body() dto: RunCrosscheckDto, @CurrentUser() user: Principal) {
    return this.runCrosscheck.execute({ trigger: 'request', schoolYear: dto.schoolYear }, user);
  }

  @Get('crosscheck')
  list(@Query() q: ListRunsQuery, @CurrentUser() user: Principal) {
    return this.read.recent(user, q.limit);
  }

  /** A run's counts per county (a county operator sees their county's). */
  @Get('crosscheck/:id')
  get(@Param('id', ParseUUIDPipe) id: string, @CurrentUser() user: Principal) {
    return this.read.get(id, user);
  }

  /** One of the run's ledgers, child by child; the total is in X-Total-Count. */
  @Get('crosscheck/:id/children')
  async children(
    @Param('id', ParseUUIDPipe) id: string,
    @Query() q: LedgerQuery,
    @CurrentUser() user: Principal,
    @Res({ passthrough: true }) res: Response,
  ) {
    const { total, rows } = await this.read.children(id, q, user);
    res.setHeader('X-Total-Count', String(total));
    return rows.map((r) => ledgerView(r, user));
  }

  @Get('crosscheck-policies')
  policies() {
    return this.read.policies();
  }

  @Post('crosscheck-policies')
  @Roles('city_admin')
  addPolicy(@Body() dto: CrosscheckPolicyDto, @CurrentUser() user: Principal) {
    return this.savePolicy.execute(dto, user);
  }
}
