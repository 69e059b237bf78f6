import {
  Inject,
  Injectable,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { PeriodicTask } from '@edu/service';
import { SweepOverdueMilestonesHandler } from './sweep-overdue-milestones.handler.js';
import {
  SCHOOL_CONSTRUCTION_CONFIG,
  type SchoolConstructionSettings,
} from '../../school-construction.config.js';

/** Runs the overdue sweep every SWEEP_INTERVAL_MS. */
@Injectable()
export class OverdueSweeper implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly task: PeriodicTask;

  constructor(
    sweep: SweepOverdueMilestonesHandler,
    @Inject(SCHOOL_CONSTRUCTION_CONFIG) settings: SchoolConstructionSettings,
  ) {
    this.task = new PeriodicTask(OverdueSweeper.name, settings.sweepIntervalMs, async () => {
      const { raised } = await sweep.execute();
      return raised > 0 ? `overdue milestone events raised: ${raised}` : undefined;
    });
  }

  onApplicationBootstrap() {
    this.task.start();
  }

  beforeApplicationShutdown() {
    return this.task.stop();
  }
}
