import { Module } from '@nestjs/common';
import { EntitlementController } from './api/entitlement.controller.js';
import { OverdueSweeper } from './application/overdue-sweeper.js';
import { RecordEntitlementHandler } from './application/record-entitlement.handler.js';
import { RecordPaymentHandler } from './application/record-payment.handler.js';
import { SweepOverdueEntitlementsHandler } from './application/sweep-overdue-entitlements.handler.js';
import { EntitlementRepository } from './persistence/entitlement.repository.js';

@Module({
  controllers: [EntitlementController],
  providers: [
    EntitlementRepository,
    RecordEntitlementHandler,
    RecordPaymentHandler,
    SweepOverdueEntitlementsHandler,
    OverdueSweeper,
  ],
})
export class EntitlementModule {}
