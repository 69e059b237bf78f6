import {
  Inject,
  Injectable,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { PeriodicTask } from '@edu/service';
import { SweepProjectBreachesHandler } from './sweep-project-breaches.handler.js';
import {
  SCHOOL_CONSTRUCTION_CONFIG,
  type SchoolConstructionSettings,
} from '../../school-construction.config.js';

/** Runs the breach sweep (missed milestones, stalls, overruns) every SWEEP_INTERVAL_MS. */
@Injectable()
export class BreachSweeper implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly task: PeriodicTask;

  constructor(
    sweep: SweepProjectBreachesHandler,
    @Inject(SCHOOL_CONSTRUCTION_CONFIG) settings: SchoolConstructionSettings,
  ) {
    this.task = new PeriodicTask(BreachSweeper.name, settings.sweepIntervalMs, async () => {
      const { raised } = await sweep.execute();
      return raised > 0 ? `project breach events raised: ${raised}` : undefined;
    });
  }

  onApplicationBootstrap() {
    this.task.start();
  }

  beforeApplicationShutdown() {
    return this.task.stop();
  }
}
