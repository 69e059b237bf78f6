import { Module } from '@nestjs/common';
import { ImportsModule } from '@edu/imports';
import { PolicyModule } from '../policy/policy.module.js';
import { RosterController } from './api/roster.controller.js';
import { ExplainEligibilityHandler } from './application/explain-eligibility.handler.js';
import { RosterImportKind } from './application/roster-import.kind.js';
import { RosterRepository } from './persistence/roster.repository.js';

@Module({
  imports: [PolicyModule, ImportsModule],
  controllers: [RosterController],
  providers: [RosterRepository, RosterImportKind, ExplainEligibilityHandler],
  exports: [RosterImportKind],
})
export class RosterModule {}
