import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Outbox } from '@edu/messaging';
import { Clock } from '@edu/service';
import { ProjectRepository } from '../persistence/project.repository.js';

const BATCH = 200;

/**
 * Raises `construction.milestone.overdue` once for every milestone past its planned date
 * and not completed. Safe on many replicas at once: each batch of projects is claimed with
 * SKIP LOCKED and its marks and events commit together.
 */
@Injectable()
export class SweepOverdueMilestonesHandler {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly projects: ProjectRepository,
    private readonly outbox: Outbox,
    private readonly clock: Clock,
  ) {}

  async execute(): Promise<{ raised: number }> {
    const today = this.clock.today();
    let raised = 0;
    for (;;) {
      const batch = await this.dataSource.transaction(async (em) => {
        const claimed = await this.projects.claimOverdue(em, today, BATCH);
        let events = 0;
        let changed = 0;
        for (const project of claimed) {
          const found = project.markOverdue(today);
          if (found.length === 0) continue;
          changed++;
          events += found.length;
          await this.projects.save(em, project);
          await this.outbox.addMany(
            em,
            found.map((e) => ({
              key: e.key,
              data: e.data,
              meta: { subject: project.state.id, county: project.state.countyCode },
            })),
          );
        }
        return { claimed: claimed.length, changed, events };
      });
      raised += batch.events;
      if (batch.claimed < BATCH || batch.changed === 0) return { raised };
    }
  }
}
