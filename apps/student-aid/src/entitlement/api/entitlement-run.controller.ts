import {
  Body,
  Controller,
  Get,
  HttpCode,
  NotFoundException,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
  Res,
} from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { countyScope, CurrentUser, Roles, scopedCounty, type Principal } from '@edu/auth';
import { ComputeEntitlementsHandler } from '../application/compute-entitlements.handler.js';
import { DecideRunHandler } from '../application/decide-run.handler.js';
import { EntitlementRunRepository } from '../persistence/entitlement-run.repository.js';
import { formatYuan } from '../domain/money.js';
import { ComputeEntitlementsDto, ListRunsQuery, runView, TermParam } from './dto/entitlement.dto.js';

/** Computing a term's entitlements (prepared by an operator) and approving them (an aid auditor). */
@ApiTags('entitlement runs')
@ApiBearerAuth()
@Controller('api')
export class EntitlementRunController {
  constructor(
    private readonly compute: ComputeEntitlementsHandler,
    private readonly decide: DecideRunHandler,
    private readonly runs: EntitlementRunRepository,
  ) {}

  @Post('terms/:term/entitlements')
  @Roles('city_admin', 'county_operator')
  async computeTerm(
    @Param() p: TermParam,
    @Body() dto: ComputeEntitlementsDto,
    @CurrentUser() user: Principal,
  ) {
    const { run, byPolicy } = await this.compute.execute(p.term, dto.countyCode, user);
    return {
      ...runView(run),
      byPolicy: byPolicy.map((b) => ({
        ...b,
        amountDue: formatYuan(b.amountDueFen),
        amountDueFen: undefined,
      })),
    };
  }

  /** Newest first, a page at a time; the total that match is in X-Total-Count. */
  @Get('entitlement-runs')
  async list(
    @Query() q: ListRunsQuery,
    @CurrentUser() user: Principal,
    @Res({ passthrough: true }) res: Response,
  ) {
    const { items, total } = await this.runs.list({ ...q, county: scopedCounty(user, q.county) });
    res.setHeader('X-Total-Count', String(total));
    return items.map(runView);
  }

  @Get('entitlement-runs/:id')
  async get(@Param('id', ParseUUIDPipe) id: string, @CurrentUser() user: Principal) {
    const run = await this.runs.find(id);
    const scope = countyScope(user);
    if (!run || (scope !== undefined && run.state.countyCode !== scope))
      throw new NotFoundException('no such computation');
    return runView(run);
  }

  @Post('entitlement-runs/:id/approve')
  @HttpCode(200)
  @Roles('aid_auditor')
  async approve(@Param('id', ParseUUIDPipe) id: string, @CurrentUser() user: Principal) {
    return runView(await this.decide.execute(id, 'approve', user));
  }

  @Post('entitlement-runs/:id/reject')
  @HttpCode(200)
  @Roles('aid_auditor')
  async reject(@Param('id', ParseUUIDPipe) id: string, @CurrentUser() user: Principal) {
    return runView(await this.decide.execute(id, 'reject', user));
  }
}
