import { Module } from '@nestjs/common';
import { CalendarModule } from '../calendar/calendar.module.js';
import { DirectoryModule } from '../directory/directory.module.js';
import { ResponsibilityModule } from '../responsibility/responsibility.module.js';
import { InterviewController } from './api/interview.controller.js';
import { DocumentRenderer } from './application/document-renderer.js';
import { FollowUpSweepHandler } from './application/follow-up-sweep.handler.js';
import { FollowUpSweeper } from './application/follow-up-sweeper.js';
import { InterviewDesk } from './application/interview-desk.js';
import { InterviewNotices } from './application/interview-notices.js';
import { InterviewTransition } from './application/interview-transition.js';
import { InterviewRepository } from './persistence/interview.repository.js';

@Module({
  imports: [CalendarModule, DirectoryModule, ResponsibilityModule],
  controllers: [InterviewController],
  providers: [
    InterviewRepository,
    DocumentRenderer,
    InterviewDesk,
    InterviewTransition,
    InterviewNotices,
    FollowUpSweepHandler,
    FollowUpSweeper,
  ],
  exports: [InterviewDesk, InterviewNotices, FollowUpSweepHandler],
})
export class InterviewModule {}
