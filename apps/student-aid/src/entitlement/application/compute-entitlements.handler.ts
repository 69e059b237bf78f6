import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { randomUUID } from 'node:crypto';
import { scopedCounty, type Principal } from '@edu/auth';
import { Clock } from '@edu/service';
import { PolicyCatalogue } from '../../policy/application/policy-catalogue.js';
import { parseTerm } from '../../policy/domain/term.js';
import { EntitlementRun } from '../domain/entitlement-run.js';
import { entitlementError } from '../domain/entitlement.errors.js';
import { EntitlementRunRepository, type ComputedPolicy } from '../persistence/entitlement-run.repository.js';

export interface ComputeResult {
  run: EntitlementRun;
  byPolicy: ComputedPolicy[];
}

/**
 * Computes a term's entitlements for every student on the roster (or one county's), set-based,
 * as a run prepared by the caller; they count only once an aid auditor approves the run.
 */
@Injectable()
export class ComputeEntitlementsHandler {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly runs: EntitlementRunRepository,
    private readonly catalogue: PolicyCatalogue,
    private readonly clock: Clock,
  ) {}

  async execute(termCode: string, county: string | undefined, by: Principal): Promise<ComputeResult> {
    const term = parseTerm(termCode);
    const countyCode = scopedCounty(by, county) ?? null;
    return this.dataSource.transaction(async (em) => {
      const pending = (await this.runs.lockTerm(em, term.code)).find((r) =>
        r.overlaps(term.code, countyCode),
      );
      if (pending) throw entitlementError.runPending(pending.state.id);
      const policies = await this.catalogue.forTerm(term, em);
      const run = EntitlementRun.prepare({
        id: randomUUID(),
        term: term.code,
        countyCode,
        preparedBy: by.sub,
        preparedAt: this.clock.now().toISOString(),
      });
      await this.runs.save(em, run);
      const byPolicy = await this.runs.compute(em, run, policies, term);
      run.computed(
        byPolicy.reduce((n, p) => n + p.entitlements, 0),
        byPolicy.reduce((n, p) => n + p.amountDueFen, 0),
        Object.fromEntries(
          policies.filter((p) => p.amount.kind !== 'in_kind').map((p) => [p.code, p.version]),
        ),
      );
      await this.runs.save(em, run);
      return { run, byPolicy };
    });
  }
}
