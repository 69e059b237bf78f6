import { Module } from '@nestjs/common';
import { DirectoryModule } from '../directory/directory.module.js';
import { EscalationController } from './api/escalation.controller.js';
import { RecordBreachHandler } from './application/record-breach.handler.js';
import { SeedPolicies } from './application/seed-policies.js';
import { SettleItemHandler } from './application/settle-item.handler.js';
import { BreachConsumer } from './messaging/breach.consumer.js';
import { EscalationRepository } from './persistence/escalation.repository.js';

@Module({
  imports: [DirectoryModule],
  controllers: [EscalationController, BreachConsumer],
  providers: [EscalationRepository, RecordBreachHandler, SettleItemHandler, SeedPolicies],
})
export class EscalationModule {}
