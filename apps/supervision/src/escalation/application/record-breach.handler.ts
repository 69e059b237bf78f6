import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { randomUUID } from 'node:crypto';
import type { EventEnvelope } from '@edu/contracts';
import { Outbox } from '@edu/messaging';
import { Clock } from '@edu/service';
import { breachOf, type Breach } from '../domain/breach.js';
import { Escalation } from '../domain/escalation.js';
import { EscalationRepository, type EscalationKey } from '../persistence/escalation.repository.js';
import { EscalationLadder } from './escalation-ladder.js';

export class NoPolicyError extends Error {}

const DAY_MS = 86_400_000;

/**
 * Breaches join (or open) the escalation of their type, front and county, in the caller's
 * transaction; the steps that are due (at once, for a new escalation) request their notices.
 * Many breaches of one county cost one lock and one ladder decision, not one each.
 */
@Injectable()
export class RecordBreachHandler {
  constructor(
    private readonly escalations: EscalationRepository,
    private readonly ladder: EscalationLadder,
    private readonly outbox: Outbox,
    private readonly clock: Clock,
  ) {}

  /** A breach event from another service (inside the consumer's inbox transaction). */
  async execute(em: EntityManager, event: Parameters<typeof breachOf>[0]): Promise<void> {
    const breach = breachOf(event);
    // A reopening of a case resolved since is stale. Decided holding the case's settlement row,
    // which the case's settlement takes first too (so the two wait for each other in one order).
    if (
      breach.settledWith &&
      (await this.escalations.settledSinceLocked(em, breach.settledWith, event.occurredAt))
    )
      return;
    // The item's latest breach is remembered, so that a settlement older than this one handled
    // after it (back from the retry queue) leaves the item open; one settled since makes this stale.
    if (await this.escalations.noteBreach(em, breach.itemKey, event.occurredAt)) return;
    await this.record(em, [{ breach, eventId: event.id }], event);
  }

  /** Breaches found here or arriving in a batch; returns the notices requested. */
  async record(
    em: EntityManager,
    breaches: { breach: Breach; eventId: string | null }[],
    cause?: EventEnvelope,
  ): Promise<number> {
    const groups = new Map<string, { key: EscalationKey; items: typeof breaches }>();
    for (const b of breaches) {
      const key = { breachType: b.breach.breachType, front: b.breach.front, countyCode: b.breach.countyCode };
      const id = `${key.breachType}/${key.front}/${key.countyCode}`;
      const group = groups.get(id) ?? { key, items: [] };
      group.items.push(b);
      groups.set(id, group);
    }
    let requested = 0;
    // In a fixed order, so that two batches never wait on each other's locks.
    for (const id of [...groups.keys()].sort()) {
      const { key, items } = groups.get(id)!;
      requested += await this.join(em, key, items, cause);
    }
    return requested;
  }

  /**
   * The hot path takes no lock that another breach waits on: an open escalation is held with
   * KEY SHARE while the items are appended. Only opening an escalation decides steps here
   * (its immediate rungs); a later step whose wait is over is the ladder sweep's.
   */
  private async join(
    em: EntityManager,
    key: EscalationKey,
    items: { breach: Breach; eventId: string | null }[],
    cause?: EventEnvelope,
  ): Promise<number> {
    const now = this.clock.now();
    for (;;) {
      const found = await this.escalations.findOpen(em, key);
      if (!found) {
        const requested = await this.open(em, key, items, now, cause);
        if (requested !== null) return requested;
        continue;
      }
      const stepsDone = await this.escalations.holdOpen(em, found.id);
      // Closed a moment ago: the items open its successor.
      if (stepsDone === null) continue;
      // An item it holds settled rejoins it (reported again in the next step's notice).
      await this.escalations.addItems(em, found.id, items, stepsDone, now);
      return 0;
    }
  }

  /**
   * Opens the escalation (as a recurrence if the last one of its kind closed recently) with
   * these items and takes its immediate steps; null when another consumer opened it first.
   */
  private async open(
    em: EntityManager,
    key: EscalationKey,
    items: { breach: Breach; eventId: string | null }[],
    now: Date,
    cause?: EventEnvelope,
  ): Promise<number | null> {
    const policy = await this.escalations.currentPolicy(em, key.breachType, now);
    // Transient on purpose: the event waits in the retry queue until a policy exists.
    if (!policy) throw new NoPolicyError(`no escalation policy for breach type ${key.breachType}`);
    const since = new Date(now.getTime() - policy.recurrenceWindowDays * DAY_MS);
    const recurrenceOf =
      policy.recurrenceWindowDays > 0 ? await this.escalations.resolvedSince(em, key, since) : null;
    const escalation = Escalation.open(randomUUID(), key, policy, now, recurrenceOf);
    if (!(await this.escalations.insertOpen(em, escalation))) return null;
    const s = escalation.state;
    const { added } = await this.escalations.addItems(em, s.id, items, 0, now);
    const events = items
      .filter((i) => added.has(i.breach.itemKey))
      .flatMap((i) => escalation.addItem(i.breach.amountFen));
    const requested = await this.ladder.advance(em, escalation, now, cause);
    await this.escalations.save(em, escalation);
    await this.outbox.addEvents(em, events, { subject: s.id, county: s.countyCode, cause });
    return requested;
  }
}
