import { Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { randomUUID } from 'node:crypto';
import type { EventEnvelope } from '@edu/contracts';
import { Outbox } from '@edu/messaging';
import { counter } from '@edu/observability';
import { Clock } from '@edu/service';
import { DirectoryRepository } from '../../directory/persistence/directory.repository.js';
import { breachOf } from '../domain/breach.js';
import { Escalation } from '../domain/escalation.js';
import { chooseRecipients } from '../domain/recipients.js';
import { FRONT_NAMES, workingDaysBetween } from '../domain/working-days.js';
import { EscalationRepository, type NoticeRecord } from '../persistence/escalation.repository.js';

const unassigned = counter('escalation_unassigned_total', 'Escalation steps with nobody to notify', [
  'front',
  'county',
]);

export class NoPolicyError extends Error {}

/**
 * A breach joins (or opens) the escalation of its front and county; rungs that are due
 * request their notices. Runs inside the consumer's inbox transaction.
 */
@Injectable()
export class RecordBreachHandler {
  private readonly logger = new Logger(RecordBreachHandler.name);

  constructor(
    private readonly escalations: EscalationRepository,
    private readonly directory: DirectoryRepository,
    private readonly outbox: Outbox,
    private readonly clock: Clock,
  ) {}

  async execute(em: EntityManager, event: Parameters<typeof breachOf>[0]): Promise<void> {
    const breach = breachOf(event);
    if (await this.escalations.settledSince(em, breach.itemKey, event.occurredAt)) return;
    const now = this.clock.now();
    const policy = await this.escalations.currentPolicy(em, breach.front);
    // Transient on purpose: the event waits in the retry queue until a policy exists.
    if (!policy) throw new NoPolicyError(`no escalation policy for front ${breach.front}`);
    const { escalation } = await this.escalations.lockOpen(em, breach.front, breach.countyCode, () =>
      Escalation.open(randomUUID(), breach.front, breach.countyCode, policy, now),
    );
    if (!(await this.escalations.addItem(em, escalation.state.id, breach, event.id))) return;
    const events = escalation.addItem(breach.amountFen);
    const notices = await this.takeDueSteps(em, escalation, now, event);
    await this.escalations.save(em, escalation);
    await this.escalations.insertNotices(em, notices);
    const meta = { subject: escalation.state.id, county: escalation.state.countyCode, cause: event };
    await this.outbox.addEvents(em, events, meta);
  }

  private async takeDueSteps(em: EntityManager, escalation: Escalation, now: Date, cause: EventEnvelope) {
    const s = escalation.state;
    const due = escalation.stepsDue(workingDaysBetween(new Date(s.openedAt), now));
    if (due.length === 0) return [];
    const places = await this.directory.jurisdictions(em);
    const county = places.find((p) => p.code === s.countyCode);
    const city =
      places.find((p) => p.code === county?.parentCode) ?? places.find((p) => p.parentCode === null) ?? null;
    const officials = await this.directory.officialsIn(em, city ? [s.countyCode, city.code] : [s.countyCode]);
    const notices: NoticeRecord[] = [];
    for (const { index, step } of due) {
      escalation.markStepTaken(index);
      const { recipients, fallback } = chooseRecipients(
        officials,
        s.front,
        s.countyCode,
        city?.code ?? null,
        step.targets,
      );
      if (recipients.length === 0) {
        unassigned.inc({ front: s.front, county: s.countyCode });
        this.logger.error(
          `escalation ${s.id}: nobody to notify for ${step.level} in ${s.countyCode} (${s.front})`,
        );
        continue;
      }
      for (const official of recipients) {
        const requestId = randomUUID();
        notices.push({
          id: requestId,
          escalationId: s.id,
          stepIndex: index,
          level: step.level,
          kind: step.kind,
          officialId: official.officialId,
          officialName: official.name,
          channels: step.channels,
          fallback,
        });
        await this.outbox.add(
          em,
          'notification.requested.v1',
          {
            requestId,
            kind: step.kind,
            escalationId: s.id,
            countyCode: s.countyCode,
            recipient: {
              officialId: official.officialId,
              name: official.name,
              title: official.title,
              ...(official.phone ? { phone: official.phone } : {}),
              ...(official.email ? { email: official.email } : {}),
            },
            channels: step.channels,
            params: {
              cityName: city?.name ?? '',
              countyName: county?.name ?? s.countyCode,
              frontName: FRONT_NAMES[s.front],
              itemCount: s.itemCount,
              amount: (s.amountFen / 100).toFixed(2),
              level: step.level,
              escalationId: s.id,
            },
          },
          { subject: s.id, county: s.countyCode, cause },
        );
      }
    }
    return notices;
  }
}
