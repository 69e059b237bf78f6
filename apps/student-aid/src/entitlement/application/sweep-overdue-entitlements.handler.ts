import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Outbox } from '@edu/messaging';
import { Clock } from '@edu/service';
import { EntitlementRepository } from '../persistence/entitlement.repository.js';

const BATCH = 500;

/**
 * Raises `aid.entitlement.overdue` once for every entitlement past its due date and not
 * paid in full. Safe on many replicas at once: each batch is claimed with SKIP LOCKED and
 * its state change and events commit together.
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
    let raised = 0;
    for (;;) {
      const changed = await this.dataSource.transaction(async (em) => {
        const batch = await this.entitlements.claimPastDue(em, today, BATCH);
        let n = 0;
        for (const entitlement of batch) {
          const events = entitlement.markOverdue(today);
          if (events.length === 0) continue;
          n++;
          await this.entitlements.save(em, entitlement);
          await this.outbox.addMany(
            em,
            events.map((e) => ({
              key: e.key,
              data: e.data,
              meta: { subject: entitlement.state.id, county: entitlement.state.countyCode },
            })),
          );
        }
        return { claimed: batch.length, changed: n };
      });
      raised += changed.changed;
      if (changed.claimed < BATCH || changed.changed === 0) return { raised };
    }
  }
}
