import { Module } from '@nestjs/common';
import { CalendarModule } from '../calendar/calendar.module.js';
import { InterviewModule } from '../interview/interview.module.js';
import { ResponsibilityModule } from '../responsibility/responsibility.module.js';
import { EscalationController } from './api/escalation.controller.js';
import { PolicyController } from './api/policy.controller.js';
import { AcknowledgeEscalationHandler } from './application/acknowledge-escalation.handler.js';
import { EditPolicyHandler } from './application/edit-policy.handler.js';
import { EscalationLadder } from './application/escalation-ladder.js';
import { EscalationViews } from './application/escalation-views.js';
import { LadderSweepHandler } from './application/ladder-sweep.handler.js';
import { LadderSweeper } from './application/ladder-sweeper.js';
import { RecordBreachHandler } from './application/record-breach.handler.js';
import { RecordNoticeOutcomeHandler } from './application/record-notice-outcome.handler.js';
import { SeedPolicies } from './application/seed-policies.js';
import { SettleItemHandler } from './application/settle-item.handler.js';
import { BreachConsumer } from './messaging/breach.consumer.js';
import { NoticeOutcomeConsumer } from './messaging/notice-outcome.consumer.js';
import { EscalationRepository } from './persistence/escalation.repository.js';

@Module({
  imports: [ResponsibilityModule, CalendarModule, InterviewModule],
  controllers: [EscalationController, PolicyController, BreachConsumer, NoticeOutcomeConsumer],
  providers: [
    EscalationRepository,
    EscalationLadder,
    EscalationViews,
    RecordBreachHandler,
    SettleItemHandler,
    RecordNoticeOutcomeHandler,
    AcknowledgeEscalationHandler,
    EditPolicyHandler,
    LadderSweepHandler,
    LadderSweeper,
    SeedPolicies,
  ],
  exports: [RecordBreachHandler, SettleItemHandler, EscalationRepository],
})
export class EscalationModule {}
