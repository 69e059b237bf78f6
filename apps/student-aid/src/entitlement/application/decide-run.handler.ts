import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Principal } from '@edu/auth';
import { Clock } from '@edu/service';
import type { EntitlementRun } from '../domain/entitlement-run.js';
import { entitlementError } from '../domain/entitlement.errors.js';
import { EntitlementRunRepository } from '../persistence/entitlement-run.repository.js';

/** An aid auditor, not the preparer, approves a computed run (its entitlements become due) or rejects it. */
@Injectable()
export class DecideRunHandler {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly runs: EntitlementRunRepository,
    private readonly clock: Clock,
  ) {}

  execute(runId: string, decision: 'approve' | 'reject', by: Principal): Promise<EntitlementRun> {
    return this.dataSource.transaction(async (em) => {
      const run = await this.runs.find(runId, em, true);
      if (!run) throw entitlementError.runNotFound();
      if (decision === 'approve') {
        run.approve(by, this.clock.now());
        await this.runs.approveEntitlements(em, run);
      } else {
        run.reject(by, this.clock.now());
        await this.runs.discardEntitlements(em, run);
      }
      await this.runs.save(em, run);
      return run;
    });
  }
}
