import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { noteForAudit } from '@edu/audit';
import { countyScope, type Principal } from '@edu/auth';
import type { DomainEvent } from '@edu/contracts';
import { Outbox } from '@edu/messaging';
import type { CaseMoment, DropoutCase } from '../domain/dropout-case.js';
import { caseError } from '../domain/dropout-case.errors.js';
import { DropoutCaseRepository } from '../persistence/dropout-case.repository.js';
import { CaseMoments } from './case-moment.js';

/**
 * What every change of a case shares: lock the case, check the caller's county, let the
 * domain decide, then save the case, its history and its events in one transaction.
 * `after` stores what the change produced besides the case (an attempt, a plan).
 */
@Injectable()
export class CaseTransition {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly cases: DropoutCaseRepository,
    private readonly outbox: Outbox,
    private readonly moments: CaseMoments,
  ) {}

  run(
    id: string,
    by: Principal,
    change: (c: DropoutCase, at: CaseMoment) => DomainEvent[],
  ): Promise<DropoutCase> {
    return this.runWith(
      id,
      by,
      (c, at) => ({ events: change(c, at), result: c }),
      async (_em, c) => c,
    );
  }

  runWith<R, S>(
    id: string,
    by: Principal,
    change: (c: DropoutCase, at: CaseMoment) => { events: DomainEvent[]; result: R },
    after: (em: EntityManager, c: DropoutCase, result: R, at: CaseMoment) => Promise<S>,
  ): Promise<S> {
    return this.dataSource.transaction(async (em) => {
      const c = await this.cases.findForUpdate(em, id);
      const scope = countyScope(by);
      // Another county's case is reported as missing, not as forbidden.
      if (!c || (scope !== undefined && c.state.countyCode !== scope)) throw caseError.notFound();
      // The audit row keeps the case as it was (masked there); the response shows it after.
      noteForAudit({ before: structuredClone(c.state), target: `case:${c.state.id}` });
      const at = this.moments.at(by);
      const { events, result } = change(c, at);
      await this.cases.save(em, c);
      await this.outbox.addEvents(em, events, { subject: c.state.id, county: c.state.countyCode });
      return after(em, c, result, at);
    });
  }
}
