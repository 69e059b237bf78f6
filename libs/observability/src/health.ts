import { Controller, Get, Header, Inject, ServiceUnavailableException } from '@nestjs/common';
import { Public } from '@edu/auth';
import { ApiExcludeController } from '@nestjs/swagger';
import { metricsRegistry } from './metrics.js';

/** Something `/health/ready` must find working: the database, the broker. */
export interface HealthCheck {
  readonly name: string;
  check(): Promise<void>;
}

export const HEALTH_CHECKS = Symbol('HEALTH_CHECKS');

@ApiExcludeController()
@Public()
@Controller()
export class HealthController {
  constructor(@Inject(HEALTH_CHECKS) private readonly checks: HealthCheck[]) {}

  @Get('health/live')
  live() {
    return { status: 'ok' };
  }

  @Get('health/ready')
  async ready() {
    const results = await Promise.all(
      this.checks.map(async (c) => {
        try {
          await c.check();
          return [c.name, 'up'] as const;
        } catch (e) {
          return [c.name, `down: ${(e as Error).message}`] as const;
        }
      }),
    );
    const body = {
      status: results.every(([, s]) => s === 'up') ? 'ok' : 'down',
      checks: Object.fromEntries(results),
    };
    if (body.status !== 'ok') throw new ServiceUnavailableException(body);
    return body;
  }

  @Get('metrics')
  @Header('Content-Type', metricsRegistry.contentType)
  metrics() {
    return metricsRegistry.metrics();
  }
}
