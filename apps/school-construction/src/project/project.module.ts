import { Module } from '@nestjs/common';
import { ProjectController } from './api/project.controller.js';
import { CompleteMilestoneHandler } from './application/complete-milestone.handler.js';
import { CreateProjectHandler } from './application/create-project.handler.js';
import { OverdueSweeper } from './application/overdue-sweeper.js';
import { SweepOverdueMilestonesHandler } from './application/sweep-overdue-milestones.handler.js';
import { ProjectRepository } from './persistence/project.repository.js';

@Module({
  controllers: [ProjectController],
  providers: [
    ProjectRepository,
    CreateProjectHandler,
    CompleteMilestoneHandler,
    SweepOverdueMilestonesHandler,
    OverdueSweeper,
  ],
})
export class ProjectModule {}
