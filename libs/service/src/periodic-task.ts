import { Logger } from '@nestjs/common';

/**
 * Runs `work` every `intervalMs` (0: never), never overlapping the previous run. `stop`
 * waits for a run in progress, so call it before the database closes
 * (`beforeApplicationShutdown`).
 */
export class PeriodicTask {
  private readonly logger: Logger;
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;

  constructor(
    name: string,
    private readonly intervalMs: number,
    private readonly work: () => Promise<string | void>,
  ) {
    this.logger = new Logger(name);
  }

  start(): void {
    if (this.intervalMs > 0 && !this.timer) this.timer = setInterval(() => this.tick(), this.intervalMs);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  private tick(): void {
    if (this.running) return;
    this.running = this.work()
      .then((summary) => {
        if (summary) this.logger.log(summary);
      })
      .catch((e: Error) => this.logger.error(`failed: ${e.message}`))
      .finally(() => (this.running = undefined));
  }
}
