import { Body, Controller, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiConsumes, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { CurrentUser, Roles, scopedCounty, type Principal } from '@edu/auth';
import { ImportRunner, readUpload } from '@edu/imports';
import { Clock } from '@edu/service';
import { PaymentImportKind } from '../application/payment-import.kind.js';
import { ReconcileTermHandler } from '../application/reconcile-term.handler.js';
import { SweepBreachesHandler } from '../application/sweep-breaches.handler.js';
import { ReconciliationSummaryQuery } from '../persistence/reconciliation-summary.query.js';
import { CountyQuery, ImportQuery, TermParam } from './dto/reconciliation.dto.js';

@ApiTags('reconciliation')
@ApiBearerAuth()
@Controller('api')
export class ReconciliationController {
  constructor(
    private readonly imports: ImportRunner,
    private readonly payments: PaymentImportKind,
    private readonly reconcile: ReconcileTermHandler,
    private readonly sweep: SweepBreachesHandler,
    private readonly summaries: ReconciliationSummaryQuery,
    private readonly clock: Clock,
  ) {}

  /** A bank or treasury return file (CSV or XLSX): payment_ref,id_number,name,policy_code,term,amount,paid_on[,reverses_ref]. */
  @Post('payments/import')
  @Roles('city_admin', 'county_operator')
  @ApiConsumes(
    'text/csv',
    'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    'multipart/form-data',
  )
  @ApiQuery({
    name: 'importId',
    required: false,
    description: 'Choose the id to poll GET /api/imports/{id} while uploading',
  })
  async importPayments(@Req() req: Request, @Query() q: ImportQuery, @CurrentUser() user: Principal) {
    return this.imports.run(this.payments, await readUpload(req), user, { importId: q.importId });
  }

  @Post('terms/:term/reconcile')
  @HttpCode(200)
  @Roles('city_admin', 'county_operator', 'aid_auditor')
  run(@Param() p: TermParam, @Body() body: CountyQuery, @CurrentUser() user: Principal) {
    return this.reconcile.execute(p.term, body.county, user);
  }

  @Get('terms/:term/reconciliation')
  summary(@Param() p: TermParam, @Query() q: CountyQuery, @CurrentUser() user: Principal) {
    return this.summaries.summary(p.term, scopedCounty(user, q.county), this.clock.today());
  }

  /** Unpaid and short breaches of every term (also every SWEEP_INTERVAL_MS). */
  @Post('sweeps/overdue')
  @HttpCode(200)
  @Roles('city_admin')
  async sweepOverdue() {
    const { raised } = await this.sweep.execute();
    return { raised };
  }
}
