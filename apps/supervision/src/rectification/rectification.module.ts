import { Module } from '@nestjs/common';
import { DirectoryModule } from '../directory/directory.module.js';
import { EscalationModule } from '../escalation/escalation.module.js';
import { RectificationController } from './api/rectification.controller.js';
import { ImportProblemsHandler } from './application/import-problems.handler.js';
import { LedgerQuery } from './application/ledger-query.js';
import { OverdueProblemSweeper } from './application/overdue-problem-sweeper.js';
import { ProblemTransition } from './application/problem-transition.js';
import { RegisterProblemHandler } from './application/register-problem.handler.js';
import { SweepOverdueProblemsHandler } from './application/sweep-overdue-problems.handler.js';
import { RectificationRepository } from './persistence/rectification.repository.js';

@Module({
  imports: [DirectoryModule, EscalationModule],
  controllers: [RectificationController],
  providers: [
    RectificationRepository,
    RegisterProblemHandler,
    ImportProblemsHandler,
    ProblemTransition,
    LedgerQuery,
    SweepOverdueProblemsHandler,
    OverdueProblemSweeper,
  ],
  exports: [SweepOverdueProblemsHandler],
})
export class RectificationModule {}
