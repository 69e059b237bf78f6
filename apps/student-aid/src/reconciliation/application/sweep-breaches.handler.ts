import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Clock } from '@edu/service';
import { ReconciliationRepository, type SweepCounts } from '../persistence/reconciliation.repository.js';

/**
 * Raises, once each, the unpaid-subsidy breach (`aid.entitlement.overdue`) of every approved
 * entitlement past its due date with nothing paid, and the short-payment breach
 * (`aid.payment.short`) of every one part paid. Set-based, safe on every replica.
 */
@Injectable()
export class SweepBreachesHandler {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly reconciliation: ReconciliationRepository,
    private readonly clock: Clock,
  ) {}

  async execute(term?: string, county?: string): Promise<SweepCounts & { raised: number }> {
    const counts = await this.dataSource.transaction((em) =>
      this.reconciliation.sweepBreaches(em, this.clock.today(), this.clock.now().toISOString(), term, county),
    );
    return { raised: counts.unpaid + counts.short, ...counts };
  }
}
