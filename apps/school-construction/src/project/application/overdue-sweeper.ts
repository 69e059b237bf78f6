import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { SweepOverdueMilestonesHandler } from './sweep-overdue-milestones.handler.js';
import {
  SCHOOL_CONSTRUCTION_CONFIG,
  type SchoolConstructionSettings,
} from '../../school-construction.config.js';

/** Runs the overdue sweep every SWEEP_INTERVAL_MS; a run never overlaps the previous one. */
@Injectable()
export class OverdueSweeper implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(OverdueSweeper.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;

  constructor(
    private readonly sweep: SweepOverdueMilestonesHandler,
    @Inject(SCHOOL_CONSTRUCTION_CONFIG) private readonly settings: SchoolConstructionSettings,
  ) {}

  onApplicationBootstrap() {
    if (this.settings.sweepIntervalMs > 0) {
      this.timer = setInterval(() => this.tick(), this.settings.sweepIntervalMs);
    }
  }

  async onApplicationShutdown() {
    clearInterval(this.timer);
    await this.running;
  }

  private tick() {
    if (this.running) return;
    this.running = this.sweep
      .execute()
      .then(({ raised }) => raised > 0 && this.logger.log(`overdue milestones raised: ${raised}`))
      .catch((e: Error) => this.logger.error(`overdue sweep failed: ${e.message}`))
      .finally(() => (this.running = undefined));
  }
}
