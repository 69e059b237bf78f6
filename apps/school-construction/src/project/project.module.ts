import { Module } from '@nestjs/common';
import { ImportsModule } from '@edu/imports';
import { MonitoringPolicyModule } from '../monitoring-policy/monitoring-policy.module.js';
import { SiteCapacityModule } from '../site-capacity/site-capacity.module.js';
import { ProgressReportController } from './api/progress-report.controller.js';
import { ProjectTransferController } from './api/project-transfer.controller.js';
import { ProjectController } from './api/project.controller.js';
import { SweepController } from './api/sweep.controller.js';
import { BreachSweeper } from './application/breach-sweeper.js';
import { CompleteMilestoneHandler } from './application/complete-milestone.handler.js';
import { CreateProjectHandler } from './application/create-project.handler.js';
import { ExportProjectsHandler } from './application/export-projects.handler.js';
import { ProjectImportKind } from './application/project-import.kind.js';
import { ReportProgressHandler } from './application/report-progress.handler.js';
import { ReviseProjectHandler } from './application/revise-project.handler.js';
import { SweepProjectBreachesHandler } from './application/sweep-project-breaches.handler.js';
import { ProjectRepository } from './persistence/project.repository.js';

@Module({
  imports: [ImportsModule, MonitoringPolicyModule, SiteCapacityModule],
  // ProjectTransferController first: its `projects/export` must match before `projects/:id`.
  controllers: [ProjectTransferController, ProjectController, ProgressReportController, SweepController],
  providers: [
    ProjectRepository,
    CreateProjectHandler,
    ReviseProjectHandler,
    CompleteMilestoneHandler,
    ReportProgressHandler,
    SweepProjectBreachesHandler,
    BreachSweeper,
    ProjectImportKind,
    ExportProjectsHandler,
  ],
  exports: [ProjectRepository],
})
export class ProjectModule {}
