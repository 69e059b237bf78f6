import { Inject, Injectable } from '@nestjs/common';
import type { Principal } from '@edu/auth';
import { Clock } from '@edu/service';
import type { CaseMoment } from '../domain/dropout-case.js';
import { DROPOUT_CONTROL_CONFIG, type DropoutControlConfig } from '../../dropout-control.config.js';

/** The moment a command happens: the clock, the configured deadlines, and who acts. */
@Injectable()
export class CaseMoments {
  constructor(
    private readonly clock: Clock,
    @Inject(DROPOUT_CONTROL_CONFIG) private readonly config: DropoutControlConfig,
  ) {}

  at(by: Principal): CaseMoment {
    return {
      now: this.clock.now(),
      today: this.clock.today(),
      deadlines: this.config.caseDeadlines,
      by: { sub: by.sub, role: by.role },
    };
  }
}
