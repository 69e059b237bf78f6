import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Outbox, sweepInBatches } from '@edu/messaging';
import { Clock } from '@edu/service';
import { EntitlementRepository } from '../persistence/entitlement.repository.js';

/**
 * Raises `aid.entitlement.overdue` once for every entitlement past its due date and not
 * paid in full (and `aid.payment.short` when it was partly paid).
 */
@Injectable()
export class SweepOverdueEntitlementsHandler {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly entitlements: EntitlementRepository,
    private readonly outbox: Outbox,
    private readonly clock: Clock,
  ) {}

  async execute(): Promise<{ raised: number }> {
    const today = this.clock.today();
    const raised = await sweepInBatches(this.dataSource, this.outbox, {
      claim: (em, limit) => this.entitlements.claimPastDue(em, today, limit),
      decide: (e) => e.markOverdue(today),
      save: (em, e) => this.entitlements.save(em, e),
      meta: (e) => ({ subject: e.state.id, county: e.state.countyCode }),
    });
    return { raised };
  }
}
