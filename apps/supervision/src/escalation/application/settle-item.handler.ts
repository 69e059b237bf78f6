import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { EventEnvelope } from '@edu/contracts';
import { Outbox } from '@edu/messaging';
import { Clock } from '@edu/service';
import { EscalationRepository } from '../persistence/escalation.repository.js';

/**
 * An underlying item was settled (elsewhere, or a rectification problem closed here): close
 * it, unless it breached again after the settlement (an older settlement handled late), and
 * resolve the escalations left with nothing open. Resolution stops the ladder and
 * announces `supervision.escalation.resolved`, on which the notices still pending are
 * cancelled; an undelivered interview notice of a resolved escalation no longer matters.
 */
@Injectable()
export class SettleItemHandler {
  constructor(
    private readonly escalations: EscalationRepository,
    private readonly outbox: Outbox,
    private readonly clock: Clock,
  ) {}

  /**
   * `alsoUnder`: open items whose key is `prefix` and a moment no later than `upTo` are
   * settled too (a case and its reopenings before the resolution: a reopening after it, handled
   * first, stands).
   */
  async execute(
    em: EntityManager,
    itemKey: string,
    cause?: EventEnvelope,
    occurredAt?: string,
    alsoUnder?: { prefix: string; upTo: string },
  ): Promise<void> {
    const at = occurredAt ?? cause?.occurredAt ?? this.clock.now().toISOString();
    // The item's settlement row first: a breach settled with it (a reopening of the case) being
    // recorded at the same moment holds that row, so its item is committed before it is looked for.
    const touched = await this.escalations.settleItem(em, itemKey, at);
    if (alsoUnder) {
      const upTo = Date.parse(alsoUnder.upTo);
      for (const key of await this.escalations.openItemKeys(em, alsoUnder.prefix)) {
        if (Date.parse(key.slice(alsoUnder.prefix.length)) > upTo) continue;
        await this.execute(em, key, cause, at);
      }
    }
    for (const id of touched) {
      // Settlements of one escalation take turns (NO KEY UPDATE: breaches still join), so
      // two that settle its last two items at once cannot each see the other's item open.
      if (!(await this.escalations.holdForSettlement(em, id))) continue;
      if (await this.escalations.hasOpenItems(em, id)) continue;
      const escalation = await this.escalations.lockForResolution(em, id);
      if (!escalation) continue;
      const events = escalation.resolveIfSettled(this.clock.now());
      if (events.length === 0) continue;
      await this.escalations.save(em, escalation);
      const s = escalation.state;
      await this.outbox.addEvents(em, events, { subject: s.id, county: s.countyCode, cause });
      for (const key of await this.escalations.openItemKeys(em, `notification:${s.id}:`))
        await this.execute(em, key, cause, at);
    }
  }
}
