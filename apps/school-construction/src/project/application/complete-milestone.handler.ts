import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { countyScope, type Principal } from '@edu/auth';
import { Outbox } from '@edu/messaging';
import { Clock } from '@edu/service';
import type { Project } from '../domain/project.js';
import { projectError } from '../domain/project.errors.js';
import { ProjectRepository } from '../persistence/project.repository.js';

/** Completes one milestone; raises `construction.milestone.completed` with the change. */
@Injectable()
export class CompleteMilestoneHandler {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly projects: ProjectRepository,
    private readonly outbox: Outbox,
    private readonly clock: Clock,
  ) {}

  execute(projectId: string, kind: string, completedOn: string, by: Principal): Promise<Project> {
    return this.dataSource.transaction(async (em) => {
      const project = await this.projects.findForUpdate(em, projectId);
      const scope = countyScope(by);
      // Another county's project is reported as missing, not as forbidden.
      if (!project || (scope !== undefined && project.state.countyCode !== scope))
        throw projectError.notFound();
      const events = project.complete(kind, completedOn, this.clock.today());
      if (events.length === 0) return project;
      await this.projects.save(em, project);
      await this.outbox.addEvents(em, events, {
        subject: project.state.id,
        county: project.state.countyCode,
      });
      return project;
    });
  }
}
