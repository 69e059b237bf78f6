import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Outbox, sweepInBatches } from '@edu/messaging';
import { Clock } from '@edu/service';
import { MonitoringPolicyRepository } from '../../monitoring-policy/persistence/monitoring-policy.repository.js';
import { ProjectRepository } from '../persistence/project.repository.js';

/**
 * Raises, once each: `construction.milestone.overdue` for every milestone past its planned
 * date and not completed, `construction.progress.stalled` for a project with no progress
 * report within the policy's days, `construction.budget.overrun` for spend beyond the budget
 * (and `construction.budget.restored` when a policy or budget change ended one).
 */
@Injectable()
export class SweepProjectBreachesHandler {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly projects: ProjectRepository,
    private readonly policies: MonitoringPolicyRepository,
    private readonly outbox: Outbox,
    private readonly clock: Clock,
  ) {}

  async execute(): Promise<{ raised: number }> {
    const today = this.clock.today();
    const policy = await this.policies.inForce(today);
    const raised = await sweepInBatches(
      this.dataSource,
      this.outbox,
      {
        claim: (em, limit) => this.projects.claimForReview(em, today, policy, limit),
        decide: (p) => p.review(today, policy),
        save: (em, p) => this.projects.save(em, p),
        meta: (p) => ({ subject: p.state.id, county: p.state.countyCode }),
      },
      200,
    );
    return { raised };
  }
}
