import {
  Inject,
  Injectable,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { PeriodicTask } from '@edu/service';
import { SUPERVISION_CONFIG, type SupervisionSettings } from '../../supervision.config.js';
import { LadderSweepHandler } from './ladder-sweep.handler.js';

/** Runs the ladder sweep every SWEEP_INTERVAL_MS. */
@Injectable()
export class LadderSweeper implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly task: PeriodicTask;

  constructor(sweep: LadderSweepHandler, @Inject(SUPERVISION_CONFIG) settings: SupervisionSettings) {
    this.task = new PeriodicTask(LadderSweeper.name, settings.sweepIntervalMs, async () => {
      const { escalations, notices } = await sweep.execute();
      return escalations > 0
        ? `ladder: ${escalations} escalations advanced, ${notices} notices requested`
        : undefined;
    });
  }

  onApplicationBootstrap() {
    this.task.start();
  }

  beforeApplicationShutdown() {
    return this.task.stop();
  }
}
