import {
  Inject,
  Injectable,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { PeriodicTask } from '@edu/service';
import { SUPERVISION_CONFIG, type SupervisionSettings } from '../../supervision.config.js';
import { FollowUpSweepHandler } from './follow-up-sweep.handler.js';

/** Reminds of interview follow-ups and marks them due every SWEEP_INTERVAL_MS, on every replica safely. */
@Injectable()
export class FollowUpSweeper implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly task: PeriodicTask;

  constructor(sweep: FollowUpSweepHandler, @Inject(SUPERVISION_CONFIG) settings: SupervisionSettings) {
    this.task = new PeriodicTask(FollowUpSweeper.name, settings.sweepIntervalMs, async () => {
      const { reminded, due } = await sweep.execute();
      return reminded + due > 0 ? `interview follow-ups: ${reminded} reminded, ${due} due` : undefined;
    });
  }

  onApplicationBootstrap() {
    this.task.start();
  }

  beforeApplicationShutdown() {
    return this.task.stop();
  }
}
