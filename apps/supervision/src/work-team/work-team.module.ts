import { Module } from '@nestjs/common';
import { DirectoryModule } from '../directory/directory.module.js';
import { EscalationModule } from '../escalation/escalation.module.js';
import { WorkTeamController } from './api/work-team.controller.js';
import { WorkTeamCheck } from './application/work-team-check.js';
import { WorkTeamSweep } from './application/work-team-sweep.js';
import { WorkTeamHandlers } from './application/work-team.handlers.js';
import { WorkTeamRepository } from './persistence/work-team.repository.js';

@Module({
  imports: [DirectoryModule, EscalationModule],
  controllers: [WorkTeamController],
  providers: [WorkTeamRepository, WorkTeamCheck, WorkTeamHandlers, WorkTeamSweep],
})
export class WorkTeamModule {}
