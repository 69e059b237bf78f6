import { Module } from '@nestjs/common';
import { DropoutCaseController } from './api/dropout-case.controller.js';
import { CaseTransition } from './application/case-transition.js';
import { CloseDropoutCaseHandler } from './application/close-dropout-case.handler.js';
import { OpenDropoutCaseHandler } from './application/open-dropout-case.handler.js';
import { OverdueSweeper } from './application/overdue-sweeper.js';
import { PlanDropoutCaseHandler } from './application/plan-dropout-case.handler.js';
import { ResolveDropoutCaseHandler } from './application/resolve-dropout-case.handler.js';
import { SweepOverdueCasesHandler } from './application/sweep-overdue-cases.handler.js';
import { VerifyDropoutCaseHandler } from './application/verify-dropout-case.handler.js';
import { DropoutCaseRepository } from './persistence/dropout-case.repository.js';

@Module({
  controllers: [DropoutCaseController],
  providers: [
    DropoutCaseRepository,
    CaseTransition,
    OpenDropoutCaseHandler,
    VerifyDropoutCaseHandler,
    PlanDropoutCaseHandler,
    ResolveDropoutCaseHandler,
    CloseDropoutCaseHandler,
    SweepOverdueCasesHandler,
    OverdueSweeper,
  ],
})
export class DropoutCaseModule {}
