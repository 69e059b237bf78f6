import { Module } from '@nestjs/common';
import { CalendarModule } from '../calendar/calendar.module.js';
import { InterviewController } from './api/interview.controller.js';
import { DocumentRenderer } from './application/document-renderer.js';
import { FollowUpSweepHandler } from './application/follow-up-sweep.handler.js';
import { FollowUpSweeper } from './application/follow-up-sweeper.js';
import { InterviewDesk } from './application/interview-desk.js';
import { InterviewTransition } from './application/interview-transition.js';
import { InterviewRepository } from './persistence/interview.repository.js';

@Module({
  imports: [CalendarModule],
  controllers: [InterviewController],
  providers: [
    InterviewRepository,
    DocumentRenderer,
    InterviewDesk,
    InterviewTransition,
    FollowUpSweepHandler,
    FollowUpSweeper,
  ],
  exports: [InterviewDesk, FollowUpSweepHandler],
})
export class InterviewModule {}
