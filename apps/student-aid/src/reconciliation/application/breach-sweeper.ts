import {
  Inject,
  Injectable,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { PeriodicTask } from '@edu/service';
import { STUDENT_AID_CONFIG, type StudentAidSettings } from '../../student-aid.config.js';
import { SweepBreachesHandler } from './sweep-breaches.handler.js';

/** Runs the unpaid/short sweep every SWEEP_INTERVAL_MS. */
@Injectable()
export class BreachSweeper implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly task: PeriodicTask;

  constructor(sweep: SweepBreachesHandler, @Inject(STUDENT_AID_CONFIG) settings: StudentAidSettings) {
    this.task = new PeriodicTask(BreachSweeper.name, settings.sweepIntervalMs, async () => {
      const { unpaid, short } = await sweep.execute();
      return unpaid + short > 0 ? `breaches raised: ${unpaid} unpaid, ${short} short` : undefined;
    });
  }

  onApplicationBootstrap() {
    this.task.start();
  }

  beforeApplicationShutdown() {
    return this.task.stop();
  }
}
