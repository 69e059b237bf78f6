import { Module } from '@nestjs/common';
import { PolicyModule } from '../policy/policy.module.js';
import { EntitlementController } from './api/entitlement.controller.js';
import { EntitlementRunController } from './api/entitlement-run.controller.js';
import { ApproveEntitlementHandler } from './application/approve-entitlement.handler.js';
import { ComputeEntitlementsHandler } from './application/compute-entitlements.handler.js';
import { DecideRunHandler } from './application/decide-run.handler.js';
import { EntitlementQueries } from './application/entitlement-queries.js';
import { LinkDropoutCaseHandler } from './application/link-dropout-case.handler.js';
import { RecordEntitlementHandler } from './application/record-entitlement.handler.js';
import { RecordPaymentHandler } from './application/record-payment.handler.js';
import { DropoutCaseOpenedConsumer } from './messaging/dropout-case-opened.consumer.js';
import { EntitlementRepository } from './persistence/entitlement.repository.js';
import { EntitlementRunRepository } from './persistence/entitlement-run.repository.js';

@Module({
  imports: [PolicyModule],
  controllers: [EntitlementController, EntitlementRunController, DropoutCaseOpenedConsumer],
  providers: [
    EntitlementRepository,
    EntitlementRunRepository,
    EntitlementQueries,
    RecordEntitlementHandler,
    ApproveEntitlementHandler,
    RecordPaymentHandler,
    ComputeEntitlementsHandler,
    DecideRunHandler,
    LinkDropoutCaseHandler,
  ],
  exports: [ComputeEntitlementsHandler, DecideRunHandler],
})
export class EntitlementModule {}
