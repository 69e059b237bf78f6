import {
  Inject,
  Injectable,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { PeriodicTask } from '@edu/service';
import { SUPERVISION_CONFIG, type SupervisionSettings } from '../../supervision.config.js';
import { SweepOverdueProblemsHandler } from './sweep-overdue-problems.handler.js';

/** Escalates overdue rectification problems every SWEEP_INTERVAL_MS. */
@Injectable()
export class OverdueProblemSweeper implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly task: PeriodicTask;

  constructor(sweep: SweepOverdueProblemsHandler, @Inject(SUPERVISION_CONFIG) settings: SupervisionSettings) {
    this.task = new PeriodicTask(OverdueProblemSweeper.name, settings.sweepIntervalMs, async () => {
      const { overdue } = await sweep.execute();
      return overdue > 0 ? `overdue rectification problems escalated: ${overdue}` : undefined;
    });
  }

  onApplicationBootstrap() {
    this.task.start();
  }

  beforeApplicationShutdown() {
    return this.task.stop();
  }
}
