import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { countyScope, type Principal } from '@edu/auth';
import { Outbox } from '@edu/messaging';
import { Clock } from '@edu/service';
import type { CaseMoment, DropoutCase } from '../domain/dropout-case.js';
import type { DomainEvent } from '@edu/contracts';
import { caseError } from '../domain/dropout-case.errors.js';
import { DropoutCaseRepository } from '../persistence/dropout-case.repository.js';
import { DROPOUT_CONTROL_CONFIG, type DropoutControlConfig } from '../../dropout-control.config.js';

/**
 * What every state change of a case shares: lock the case, check the caller's county,
 * let the domain decide, then save the case and its events in one transaction.
 */
@Injectable()
export class CaseTransition {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly cases: DropoutCaseRepository,
    private readonly outbox: Outbox,
    private readonly clock: Clock,
    @Inject(DROPOUT_CONTROL_CONFIG) private readonly config: DropoutControlConfig,
  ) {}

  run(
    id: string,
    by: Principal,
    change: (c: DropoutCase, at: CaseMoment) => DomainEvent[],
  ): Promise<DropoutCase> {
    return this.dataSource.transaction(async (em) => {
      const c = await this.cases.findForUpdate(em, id);
      const scope = countyScope(by);
      // Another county's case is reported as missing, not as forbidden.
      if (!c || (scope !== undefined && c.state.countyCode !== scope)) throw caseError.notFound();
      const events = change(c, {
        now: this.clock.now(),
        today: this.clock.today(),
        deadlines: this.config.caseDeadlines,
      });
      await this.cases.save(em, c);
      await this.outbox.addEvents(em, events, { subject: c.state.id, county: c.state.countyCode });
      return c;
    });
  }
}
