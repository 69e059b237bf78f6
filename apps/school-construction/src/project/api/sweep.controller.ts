import { Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Roles } from '@edu/auth';
import { SweepProjectBreachesHandler } from '../application/sweep-project-breaches.handler.js';

@ApiTags('sweeps')
@ApiBearerAuth()
@Controller('api/sweeps')
export class SweepController {
  constructor(private readonly sweep: SweepProjectBreachesHandler) {}

  /** Missed milestones, stalled progress and budget overruns now, besides every SWEEP_INTERVAL_MS. */
  @Post('overdue')
  @HttpCode(200)
  @Roles('city_admin')
  run() {
    return this.sweep.execute();
  }
}
