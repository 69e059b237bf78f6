import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { randomUUID } from 'node:crypto';
import { assertCountyAccess, type Principal } from '@edu/auth';
import { Outbox } from '@edu/messaging';
import { Clock } from '@edu/service';
import { MonitoringPolicyRepository } from '../../monitoring-policy/persistence/monitoring-policy.repository.js';
import { SiteCapacityAssessor } from '../../site-capacity/application/site-capacity-assessor.js';
import { Project, type CreateProject } from '../domain/project.js';
import { projectError } from '../domain/project.errors.js';
import { ProjectRepository } from '../persistence/project.repository.js';
import { isUniqueViolation } from './unique-violation.js';

export type CreateProjectCommand = Omit<CreateProject, 'id' | 'registeredOn' | 'milestones'> & {
  milestones: { kind: string; plannedDate: string }[];
};

/**
 * Registers a project with its six planned milestones (their planned dates are its deadlines:
 * construction is exempt from the 30 June rectification deadline), checks its budget, and
 * re-checks the capacity of the relocation site it serves.
 */
@Injectable()
export class CreateProjectHandler {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly projects: ProjectRepository,
    private readonly policies: MonitoringPolicyRepository,
    private readonly sites: SiteCapacityAssessor,
    private readonly outbox: Outbox,
    private readonly clock: Clock,
  ) {}

  async execute(cmd: CreateProjectCommand, by: Principal): Promise<Project> {
    assertCountyAccess(by, cmd.countyCode);
    const today = this.clock.today();
    const project = Project.create({
      ...cmd,
      id: randomUUID(),
      registeredOn: today,
      milestones: cmd.milestones.map((m) => ({ id: randomUUID(), kind: m.kind, plannedDate: m.plannedDate })),
    });
    const s = project.state;
    await this.dataSource.transaction(async (em) => {
      const events = project.assessBudget(today, await this.policies.inForce(today, em));
      await this.projects.insert(em, project).catch((e: unknown) => {
        throw isUniqueViolation(e, 'project_code') ? projectError.codeInUse(s.code ?? '') : e;
      });
      await this.outbox.addEvents(em, events, { subject: s.id, county: s.countyCode });
      if (s.siteCode)
        await this.sites.reassess(em, [{ siteCode: s.siteCode, countyCode: s.countyCode }], today);
    });
    return project;
  }
}
