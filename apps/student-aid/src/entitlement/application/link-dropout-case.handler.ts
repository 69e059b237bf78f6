import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { EventEnvelope } from '@edu/contracts';
import { Outbox } from '@edu/messaging';
import { EntitlementRepository } from '../persistence/entitlement.repository.js';

/**
 * A dropout case for a student with approved entitlements not paid in full: each is flagged
 * with the case, and a breach already raised is restated with the link, so supervision
 * sees the unpaid aid and the dropout as one problem. Runs in the consumer's inbox transaction.
 */
@Injectable()
export class LinkDropoutCaseHandler {
  constructor(
    private readonly entitlements: EntitlementRepository,
    private readonly outbox: Outbox,
  ) {}

  async execute(em: EntityManager, event: EventEnvelope<'dropout.case.opened.v1'>): Promise<number> {
    const open = await this.entitlements.openOfStudentForUpdate(em, event.data.studentKey);
    let linked = 0;
    for (const e of open) {
      const before = e.state.dropoutCaseId;
      const events = e.linkDropoutCase(event.data.caseId);
      if (e.state.dropoutCaseId === before) continue;
      linked++;
      await this.entitlements.save(em, e);
      await this.outbox.addEvents(em, events, {
        subject: e.state.id,
        county: e.state.countyCode,
        cause: event,
      });
    }
    return linked;
  }
}
