import {
  Inject,
  Injectable,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { PeriodicTask } from '@edu/service';
import { SUPERVISION_CONFIG, type SupervisionSettings } from '../../supervision.config.js';
import { WorkTeamRepository } from '../persistence/work-team.repository.js';
import { WorkTeamCheck } from './work-team-check.js';

/** Judges every member as periods close; batches claimed with SKIP LOCKED, safe on every replica. */
@Injectable()
export class WorkTeamSweep implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly task: PeriodicTask;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly teams: WorkTeamRepository,
    private readonly check: WorkTeamCheck,
    @Inject(SUPERVISION_CONFIG) settings: SupervisionSettings,
  ) {
    this.task = new PeriodicTask(WorkTeamSweep.name, settings.sweepIntervalMs, async () => {
      const { short, settled } = await this.execute();
      return short + settled > 0 ? `work-team shortfalls: ${short} short, ${settled} made good` : undefined;
    });
  }

  onApplicationBootstrap() {
    this.task.start();
  }

  beforeApplicationShutdown() {
    return this.task.stop();
  }

  async execute(batchSize = 200): Promise<{ members: number; short: number; settled: number }> {
    const total = { members: 0, short: 0, settled: 0 };
    let after = '';
    for (;;) {
      const n = await this.dataSource.transaction(async (em) => {
        const members = await this.teams.claimMembers(em, after, batchSize);
        const r = await this.check.judge(em, members);
        total.short += r.short;
        total.settled += r.settled;
        if (members.length > 0) after = members[members.length - 1].memberId;
        return members.length;
      });
      total.members += n;
      if (n < batchSize) return total;
    }
  }
}
