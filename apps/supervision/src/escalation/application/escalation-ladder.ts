import { Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { randomUUID } from 'node:crypto';
import type { EventEnvelope, NoticeAttachment } from '@edu/contracts';
import { Outbox } from '@edu/messaging';
import { counter } from '@edu/observability';
import { CalendarService } from '../../calendar/application/calendar.service.js';
import type { Official } from '../../directory/domain/official.js';
import { InterviewDesk } from '../../interview/application/interview-desk.js';
import { interviewNumber } from '../../interview/domain/documents.js';
import type { IssueLine, Person } from '../../interview/domain/interview.js';
import {
  ResponsibilityResolver,
  type Place,
} from '../../responsibility/application/responsibility-resolver.js';
import { itemKindName } from '../domain/breach-type.js';
import type { Escalation, StepDecision } from '../domain/escalation.js';
import { noticeParams, withUrgency } from '../domain/notice-params.js';
import { EscalationRepository, type NoticeRecord } from '../persistence/escalation.repository.js';

const unassigned = counter('escalation_unassigned_total', 'Escalation steps with nobody to notify', [
  'front',
  'county',
]);
const stepsTaken = counter('escalation_steps_total', 'Escalation steps decided', ['level', 'outcome']);

const person = (o: Official): Person => ({ officialId: o.officialId, name: o.name, title: o.title });

/**
 * Climbs an escalation's ladder inside the caller's transaction (the caller holds the
 * escalation's row lock and saves it): every step now due is decided, and each step taken
 * requests one digest notice per official it targets, with the interview record or the
 * accountability recommendation and their documents where the step calls for them.
 */
@Injectable()
export class EscalationLadder {
  private readonly logger = new Logger(EscalationLadder.name);

  constructor(
    private readonly escalations: EscalationRepository,
    private readonly responsibility: ResponsibilityResolver,
    private readonly desk: InterviewDesk,
    private readonly outbox: Outbox,
    private readonly calendar: CalendarService,
  ) {}

  /** Decides the steps due at `now`; returns how many notices were requested. */
  async advance(
    em: EntityManager,
    escalation: Escalation,
    now: Date,
    cause?: EventEnvelope,
  ): Promise<number> {
    const decisions = escalation.advance(now, await this.calendar.calendar(em));
    if (decisions.length === 0) return 0;
    await this.escalations.insertSteps(em, escalation.state.id, decisions);
    decisions.forEach((d) => stepsTaken.inc({ level: d.step.level, outcome: d.outcome }));
    const taken = decisions.filter((d) => d.outcome === 'taken');
    if (taken.length === 0) return 0;
    const place = await this.responsibility.place(em, escalation.state.countyCode);
    let requested = 0;
    for (const d of taken) requested += await this.take(em, escalation, d, place, now, cause);
    return requested;
  }

  private async take(
    em: EntityManager,
    escalation: Escalation,
    d: StepDecision,
    place: Place,
    now: Date,
    cause?: EventEnvelope,
  ): Promise<number> {
    const s = escalation.state;
    const step = d.step;
    const scope = step.scope ?? 'county';
    const { assignments, entry } = await this.responsibility.resolve(em, place, s.front, step.targets, scope);
    if (assignments.length === 0) {
      unassigned.inc({ front: s.front, county: s.countyCode });
      this.logger.error(
        `escalation ${s.id}: nobody to notify for ${step.level} in ${s.countyCode} (${s.front})`,
      );
    }
    let attachments: NoticeAttachment[] = [];
    let interview: { number: string; scheduledAt: string | null; place: string | null } | undefined;
    if (step.level === 'interview') {
      const issues = await this.issues(em, s.id);
      const { assignments: city } = await this.responsibility.resolve(
        em,
        place,
        s.front,
        ['bureau_head'],
        'city',
        false,
      );
      const noticed = await this.desk.notice(em, {
        escalationId: s.id,
        stepIndex: d.index,
        countyCode: s.countyCode,
        countyName: place.countyName,
        cityName: place.cityName,
        front: s.front,
        breachType: s.breachType,
        interviewees: assignments.map((a) => person(a.official)),
        interviewer: city[0] ? person(city[0].official) : null,
        issues,
        recurrence: s.recurrenceOf !== null,
        urgent: step.urgent === true,
        arrangement: step.interview,
        now,
      });
      attachments = noticed.attachments;
      const i = noticed.interview.state;
      interview = { number: interviewNumber(i), scheduledAt: i.scheduledAt, place: i.place };
    }
    if (d.last && step.level === 'accountability') {
      const recommended = await this.desk.recommend(em, {
        escalationId: s.id,
        stepIndex: d.index,
        countyCode: s.countyCode,
        countyName: place.countyName,
        cityName: place.cityName,
        front: s.front,
        breachType: s.breachType,
        recipients: assignments.map((a) => person(a.official)),
        issues: await this.issues(em, s.id),
        // What came before: the recommendation is this step itself.
        steps: (await this.escalations.steps(em, s.id)).filter((x) => x.index < d.index),
        notices: await this.escalations.notices(em, s.id),
        now,
      });
      attachments = recommended.attachments;
    }
    const notices: NoticeRecord[] = [];
    for (const a of assignments) {
      const o = a.official;
      const requestId = randomUUID();
      const params = withUrgency(
        noticeParams({
          escalationId: s.id,
          breachType: s.breachType,
          front: s.front,
          countyName: place.countyName,
          cityName: place.cityName,
          stepIndex: d.index,
          step,
          digest: d.digest,
          leadDepartment: entry?.leadDepartment ?? null,
          fallback: a.fallback,
          interview,
        }),
        step,
      );
      notices.push({
        id: requestId,
        escalationId: s.id,
        stepIndex: d.index,
        level: step.level,
        kind: step.kind,
        officialId: o.officialId,
        officialName: o.name,
        role: a.role,
        channels: step.channels,
        fallback: a.fallback,
        scope,
        itemCount: d.digest.openItemCount,
        amountFen: d.digest.openAmountFen,
        newItemCount: d.digest.newItemCount,
        urgent: step.level === 'interview' && step.urgent === true,
        attachments: attachments.map((x) => x.filename),
        requestedAt: now.toISOString(),
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
            officialId: o.officialId,
            name: o.name,
            title: o.title,
            ...(o.phone ? { phone: o.phone } : {}),
            ...(o.email ? { email: o.email } : {}),
          },
          channels: step.channels,
          params,
          ...(attachments.length > 0 && step.channels.includes('email') ? { attachments } : {}),
        },
        { subject: s.id, county: s.countyCode, cause },
      );
    }
    await this.escalations.insertNotices(em, notices);
    return notices.length;
  }

  private async issues(em: EntityManager, escalationId: string): Promise<IssueLine[]> {
    const rows = await this.escalations.openItemsByKind(em, escalationId);
    return rows.map((r) => ({ ...r, name: itemKindName(r.kind) }));
  }
}
