import { Module } from '@nestjs/common';
import { DropoutCaseController } from './api/dropout-case.controller.js';
import { AssessDisabilityHandler } from './application/assess-disability.handler.js';
import { CaseMoments } from './application/case-moment.js';
import { CaseTransition } from './application/case-transition.js';
import { CloseDropoutCaseHandler } from './application/close-dropout-case.handler.js';
import { LogPersuasionAttemptHandler } from './application/log-persuasion-attempt.handler.js';
import { OpenDropoutCaseHandler } from './application/open-dropout-case.handler.js';
import { OverdueSweeper } from './application/overdue-sweeper.js';
import { PlanDropoutCaseHandler } from './application/plan-dropout-case.handler.js';
import { ReadDropoutCases } from './application/read-dropout-cases.js';
import { ReopenDropoutCaseHandler } from './application/reopen-dropout-case.handler.js';
import { ResolveDropoutCaseHandler } from './application/resolve-dropout-case.handler.js';
import { SweepOverdueCasesHandler } from './application/sweep-overdue-cases.handler.js';
import { VerifyDropoutCaseHandler } from './application/verify-dropout-case.handler.js';
import { DropoutCaseRepository } from './persistence/dropout-case.repository.js';

@Module({
  controllers: [DropoutCaseController],
  providers: [
    DropoutCaseRepository,
    CaseMoments,
    CaseTransition,
    ReadDropoutCases,
    OpenDropoutCaseHandler,
    VerifyDropoutCaseHandler,
    PlanDropoutCaseHandler,
    LogPersuasionAttemptHandler,
    AssessDisabilityHandler,
    ResolveDropoutCaseHandler,
    CloseDropoutCaseHandler,
    ReopenDropoutCaseHandler,
    SweepOverdueCasesHandler,
    OverdueSweeper,
  ],
  exports: [DropoutCaseRepository, CaseMoments, CaseTransition, ReadDropoutCases],
})
export class DropoutCaseModule {}
