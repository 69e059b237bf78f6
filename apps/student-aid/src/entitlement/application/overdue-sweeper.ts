import {
  Inject,
  Injectable,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { PeriodicTask } from '@edu/service';
import { SweepOverdueEntitlementsHandler } from './sweep-overdue-entitlements.handler.js';
import { STUDENT_AID_CONFIG, type StudentAidSettings } from '../../student-aid.config.js';

/** Runs the overdue sweep every SWEEP_INTERVAL_MS. */
@Injectable()
export class OverdueSweeper implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly task: PeriodicTask;

  constructor(
    sweep: SweepOverdueEntitlementsHandler,
    @Inject(STUDENT_AID_CONFIG) settings: StudentAidSettings,
  ) {
    this.task = new PeriodicTask(OverdueSweeper.name, settings.sweepIntervalMs, async () => {
      const { raised } = await sweep.execute();
      return raised > 0 ? `overdue entitlement events raised: ${raised}` : undefined;
    });
  }

  onApplicationBootstrap() {
    this.task.start();
  }

  beforeApplicationShutdown() {
    return this.task.stop();
  }
}
