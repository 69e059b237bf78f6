import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { countyScope, type Principal } from '@edu/auth';
import { Clock } from '@edu/service';
import { SettleItemHandler } from '../../escalation/application/settle-item.handler.js';
import {
  problemItemKey,
  rectificationError,
  type ProblemInput,
  type RectificationProblem,
} from '../domain/rectification-problem.js';
import { RectificationRepository } from '../persistence/rectification.repository.js';

/**
 * Every change to a registered problem: lock it, check the caller's county (another
 * county's problem reads as missing), let the domain decide, save. Closing it settles its
 * escalation item in the same transaction.
 */
@Injectable()
export class ProblemTransition {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly problems: RectificationRepository,
    private readonly settle: SettleItemHandler,
    private readonly clock: Clock,
  ) {}

  private run(
    id: string,
    by: Principal,
    change: (p: RectificationProblem, now: Date, today: string) => void,
    after?: (em: EntityManager, p: RectificationProblem) => Promise<void>,
  ): Promise<RectificationProblem> {
    return this.dataSource.transaction(async (em) => {
      const p = await this.problems.findById(id, em, true);
      const scope = countyScope(by);
      if (!p || (scope !== undefined && p.state.countyCode !== scope)) throw rectificationError.notFound();
      change(p, this.clock.now(), this.clock.today());
      await this.problems.save(em, p);
      await after?.(em, p);
      return p;
    });
  }

  revise(
    id: string,
    changes: Partial<
      Pick<ProblemInput, 'description' | 'measures' | 'deadline' | 'leadDepartment' | 'responsibleLeader'>
    >,
    by: Principal,
  ) {
    return this.run(id, by, (p, now, today) => p.revise(changes, today, now));
  }

  addEvidence(id: string, evidence: { reference: string; description?: string }[], by: Principal) {
    return this.run(id, by, (p, now) => p.addEvidence(evidence, by.sub, now));
  }

  requestClosure(
    id: string,
    evidence: { reference: string; description?: string }[] | undefined,
    by: Principal,
  ) {
    return this.run(id, by, (p, now) => {
      if (evidence?.length) p.addEvidence(evidence, by.sub, now);
      p.requestClosure(by.sub, now);
    });
  }

  approveClosure(id: string, by: Principal) {
    return this.run(
      id,
      by,
      (p, now) => p.approveClosure(by.sub, now),
      (em, p) =>
        this.settle.execute(em, problemItemKey(p.state.id), undefined, p.state.closedAt ?? undefined),
    );
  }

  rejectClosure(id: string, reason: string, by: Principal) {
    return this.run(id, by, (p, now) => p.rejectClosure(by.sub, reason, now));
  }
}
