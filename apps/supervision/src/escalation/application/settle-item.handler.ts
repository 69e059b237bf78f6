import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { EventEnvelope } from '@edu/contracts';
import { Outbox } from '@edu/messaging';
import { Clock } from '@edu/service';
import { EscalationRepository } from '../persistence/escalation.repository.js';

/** An underlying item was settled elsewhere: close it, and resolve escalations left with nothing open. */
@Injectable()
export class SettleItemHandler {
  constructor(
    private readonly escalations: EscalationRepository,
    private readonly outbox: Outbox,
    private readonly clock: Clock,
  ) {}

  async execute(em: EntityManager, itemKey: string, cause: EventEnvelope): Promise<void> {
    const touched = await this.escalations.settleItem(em, itemKey, cause.occurredAt);
    for (const id of touched) {
      const escalation = await this.escalations.lockById(em, id);
      if (!escalation) continue;
      const events = escalation.settleItem(this.clock.now());
      await this.escalations.save(em, escalation);
      const meta = { subject: id, county: escalation.state.countyCode, cause };
      await this.outbox.addEvents(em, events, meta);
    }
  }
}
