import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { countyScope, type Principal } from '@edu/auth';
import { Outbox } from '@edu/messaging';
import { Clock } from '@edu/service';
import { MonitoringPolicyRepository } from '../../monitoring-policy/persistence/monitoring-policy.repository.js';
import { SiteCapacityAssessor } from '../../site-capacity/application/site-capacity-assessor.js';
import type { Project, ProjectRevision } from '../domain/project.js';
import { projectError } from '../domain/project.errors.js';
import { ProjectRepository } from '../persistence/project.repository.js';

/**
 * Changes a project's name, site, priority flag, funding, spend or capacity; re-checks its
 * budget and the capacity of the sites it served and serves.
 */
@Injectable()
export class ReviseProjectHandler {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly projects: ProjectRepository,
    private readonly policies: MonitoringPolicyRepository,
    private readonly sites: SiteCapacityAssessor,
    private readonly outbox: Outbox,
    private readonly clock: Clock,
  ) {}

  execute(projectId: string, changes: ProjectRevision, by: Principal): Promise<Project> {
    const today = this.clock.today();
    return this.dataSource.transaction(async (em) => {
      const project = await this.projects.findForUpdate(em, projectId);
      const scope = countyScope(by);
      if (!project || (scope !== undefined && project.state.countyCode !== scope))
        throw projectError.notFound();
      const before = project.state.siteCode;
      const events = project.revise(changes, today, await this.policies.inForce(today, em));
      const s = project.state;
      await this.projects.save(em, project);
      await this.outbox.addEvents(em, events, { subject: s.id, county: s.countyCode });
      const served = [...new Set([before, s.siteCode])].filter((c): c is string => c !== null);
      await this.sites.reassess(
        em,
        served.map((siteCode) => ({ siteCode, countyCode: s.countyCode })),
        today,
      );
      return project;
    });
  }
}
