import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { scopedCounty, type Principal } from '@edu/auth';
import { Clock } from '@edu/service';
import { PolicyCatalogue } from '../../policy/application/policy-catalogue.js';
import { parseTerm } from '../../policy/domain/term.js';
import { ReconciliationRepository } from '../persistence/reconciliation.repository.js';
import {
  ReconciliationSummaryQuery,
  type ReconciliationSummary,
} from '../persistence/reconciliation-summary.query.js';

export interface ReconcileResult {
  term: string;
  countyCode: string | null;
  raised: { unpaid: number; short: number; coverageGaps: number };
  summary: ReconciliationSummary;
}

/**
 * Reconciles a term: raises the unpaid and short breaches past their due dates, finds the
 * coverage gaps (eligible by the term's policies, due date passed, no approved
 * entitlement), and classifies every entitlement and payment. Repeating it raises nothing new.
 */
@Injectable()
export class ReconcileTermHandler {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly reconciliation: ReconciliationRepository,
    private readonly summaries: ReconciliationSummaryQuery,
    private readonly catalogue: PolicyCatalogue,
    private readonly clock: Clock,
  ) {}

  async execute(termCode: string, county: string | undefined, by: Principal): Promise<ReconcileResult> {
    const term = parseTerm(termCode);
    const countyCode = scopedCounty(by, county);
    const today = this.clock.today();
    const now = this.clock.now().toISOString();
    const raised = await this.dataSource.transaction(async (em) => {
      const swept = await this.reconciliation.sweepBreaches(em, today, now, term.code, countyCode);
      const policies = await this.catalogue.forTerm(term, em);
      const coverageGaps = await this.reconciliation.findCoverageGaps(
        em,
        policies,
        term,
        today,
        now,
        countyCode,
      );
      return { ...swept, coverageGaps };
    });
    return {
      term: term.code,
      countyCode: countyCode ?? null,
      raised,
      summary: await this.summaries.summary(term.code, countyCode, today),
    };
  }
}
