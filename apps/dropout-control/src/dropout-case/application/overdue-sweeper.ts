import {
  Inject,
  Injectable,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { PeriodicTask } from '@edu/service';
import { SweepOverdueCasesHandler } from './sweep-overdue-cases.handler.js';
import { DROPOUT_CONTROL_CONFIG, type DropoutControlSettings } from '../../dropout-control.config.js';

/** Runs the overdue sweep every SWEEP_INTERVAL_MS. */
@Injectable()
export class OverdueSweeper implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly task: PeriodicTask;

  constructor(
    sweep: SweepOverdueCasesHandler,
    @Inject(DROPOUT_CONTROL_CONFIG) settings: DropoutControlSettings,
  ) {
    this.task = new PeriodicTask(OverdueSweeper.name, settings.sweepIntervalMs, async () => {
      const { raised } = await sweep.execute();
      return raised > 0 ? `overdue dropout case events raised: ${raised}` : undefined;
    });
  }

  onApplicationBootstrap() {
    this.task.start();
  }

  beforeApplicationShutdown() {
    return this.task.stop();
  }
}
