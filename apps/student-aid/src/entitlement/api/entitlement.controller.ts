import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentUser, Roles, scopedCounty, type Principal } from '@edu/auth';
import { Clock } from '@edu/service';
import { ApproveEntitlementHandler } from '../application/approve-entitlement.handler.js';
import { EntitlementQueries } from '../application/entitlement-queries.js';
import { RecordEntitlementHandler } from '../application/record-entitlement.handler.js';
import { RecordPaymentHandler } from '../application/record-payment.handler.js';
import {
  entitlementView,
  ListEntitlementsQuery,
  RecordEntitlementDto,
  RecordPaymentDto,
} from './dto/entitlement.dto.js';

@ApiTags('entitlements')
@ApiBearerAuth()
@Controller('api')
export class EntitlementController {
  constructor(
    private readonly recordEntitlement: RecordEntitlementHandler,
    private readonly approveEntitlement: ApproveEntitlementHandler,
    private readonly recordPayment: RecordPaymentHandler,
    private readonly queries: EntitlementQueries,
    private readonly clock: Clock,
  ) {}

  /** A grant by hand: a city admin's counts at once, a county operator's waits for an aid auditor. */
  @Post('entitlements')
  @Roles('city_admin', 'county_operator')
  async grant(@Body() dto: RecordEntitlementDto, @CurrentUser() user: Principal) {
    const { entitlement, created } = await this.recordEntitlement.execute(dto, user);
    return { ...entitlementView(entitlement), created };
  }

  /** By due date, a page at a time; the total that match is in X-Total-Count. */
  @Get('entitlements')
  async list(
    @Query() q: ListEntitlementsQuery,
    @CurrentUser() user: Principal,
    @Res({ passthrough: true }) res: Response,
  ) {
    const { items, total } = await this.queries.list({ ...q, county: scopedCounty(user, q.county) });
    res.setHeader('X-Total-Count', String(total));
    return items.map((e) => entitlementView(e, this.clock.today()));
  }

  /** One entitlement with the roster inputs its computation read. */
  @Get('entitlements/:id')
  async get(@Param('id', ParseUUIDPipe) id: string, @CurrentUser() user: Principal) {
    const { entitlement, inputs } = await this.queries.detail(id, user);
    return { ...entitlementView(entitlement, this.clock.today()), inputs };
  }

  @Post('entitlements/:id/approve')
  @HttpCode(200)
  @Roles('aid_auditor')
  async approve(@Param('id', ParseUUIDPipe) id: string, @CurrentUser() user: Principal) {
    return entitlementView(await this.approveEntitlement.execute(id, user));
  }

  @Post('payments')
  @Roles('city_admin', 'county_operator')
  async pay(@Body() dto: RecordPaymentDto, @CurrentUser() user: Principal) {
    const r = await this.recordPayment.execute(dto, user);
    return { paymentId: r.paymentId, recorded: r.recorded, entitlement: entitlementView(r.entitlement) };
  }
}
