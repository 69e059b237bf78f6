import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Roles, scopedCounty, type Principal } from '@edu/auth';
import { RecordEntitlementHandler } from '../application/record-entitlement.handler.js';
import { RecordPaymentHandler } from '../application/record-payment.handler.js';
import { SweepOverdueEntitlementsHandler } from '../application/sweep-overdue-entitlements.handler.js';
import { EntitlementRepository } from '../persistence/entitlement.repository.js';
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
    private readonly recordPayment: RecordPaymentHandler,
    private readonly sweepOverdue: SweepOverdueEntitlementsHandler,
    private readonly entitlements: EntitlementRepository,
  ) {}

  @Post('entitlements')
  @Roles('city_admin', 'county_operator')
  async grant(@Body() dto: RecordEntitlementDto, @CurrentUser() user: Principal) {
    const { entitlement, created } = await this.recordEntitlement.execute(dto, user);
    return { ...entitlementView(entitlement), created };
  }

  @Get('entitlements')
  async list(@Query() q: ListEntitlementsQuery, @CurrentUser() user: Principal) {
    const rows = await this.entitlements.list({ ...q, county: scopedCounty(user, q.county) });
    return rows.map(entitlementView);
  }

  @Post('payments')
  @Roles('city_admin', 'county_operator')
  async pay(@Body() dto: RecordPaymentDto, @CurrentUser() user: Principal) {
    const r = await this.recordPayment.execute(dto, user);
    return { paymentId: r.paymentId, recorded: r.recorded, entitlement: entitlementView(r.entitlement) };
  }

  @Post('sweeps/overdue')
  @HttpCode(200)
  @Roles('city_admin')
  sweep() {
    return this.sweepOverdue.execute();
  }
}
