import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { randomUUID } from 'node:crypto';
import { countyScope, type Principal } from '@edu/auth';
import { Outbox } from '@edu/messaging';
import { Clock } from '@edu/service';
import { MonitoringPolicyRepository } from '../../monitoring-policy/persistence/monitoring-policy.repository.js';
import type { DocumentRef, ProgressReportProps } from '../domain/project.js';
import { projectError } from '../domain/project.errors.js';
import { ProjectRepository } from '../persistence/project.repository.js';

export interface ReportProgressCommand {
  reportedOn: string;
  percentComplete: number;
  narrative: string;
  documents?: DocumentRef[];
  spentToDate?: string;
}

/** Records a progress report: settles a stall, and re-checks the budget when it states the spend. */
@Injectable()
export class ReportProgressHandler {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly projects: ProjectRepository,
    private readonly policies: MonitoringPolicyRepository,
    private readonly outbox: Outbox,
    private readonly clock: Clock,
  ) {}

  execute(projectId: string, cmd: ReportProgressCommand, by: Principal): Promise<ProgressReportProps> {
    const today = this.clock.today();
    return this.dataSource.transaction(async (em) => {
      const project = await this.projects.findForUpdate(em, projectId);
      const scope = countyScope(by);
      if (!project || (scope !== undefined && project.state.countyCode !== scope))
        throw projectError.notFound();
      const { report, events } = project.report(
        { ...cmd, id: randomUUID(), reportedBy: by.sub },
        today,
        await this.policies.inForce(today, em),
      );
      await this.projects.insertReport(em, report);
      await this.projects.save(em, project);
      await this.outbox.addEvents(em, events, {
        subject: project.state.id,
        county: project.state.countyCode,
      });
      return report;
    });
  }
}
