import { Module } from '@nestjs/common';
import { ImportsModule } from '@edu/imports';
import { PolicyModule } from '../policy/policy.module.js';
import { ReconciliationController } from './api/reconciliation.controller.js';
import { BreachSweeper } from './application/breach-sweeper.js';
import { PaymentImportKind } from './application/payment-import.kind.js';
import { ReconcileTermHandler } from './application/reconcile-term.handler.js';
import { SweepBreachesHandler } from './application/sweep-breaches.handler.js';
import { ReconciliationRepository } from './persistence/reconciliation.repository.js';
import { ReconciliationSummaryQuery } from './persistence/reconciliation-summary.query.js';

@Module({
  imports: [PolicyModule, ImportsModule],
  controllers: [ReconciliationController],
  providers: [
    ReconciliationRepository,
    ReconciliationSummaryQuery,
    PaymentImportKind,
    SweepBreachesHandler,
    ReconcileTermHandler,
    BreachSweeper,
  ],
  exports: [PaymentImportKind, ReconcileTermHandler, SweepBreachesHandler],
})
export class ReconciliationModule {}
