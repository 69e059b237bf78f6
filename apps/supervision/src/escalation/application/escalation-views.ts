import { Injectable } from '@nestjs/common';
import { countyScope, scopedCounty, type Principal } from '@edu/auth';
import type { Escalation } from '../domain/escalation.js';
import { EscalationRepository } from '../persistence/escalation.repository.js';
import { escalationNotFound } from './acknowledge-escalation.handler.js';

const money = (fen: number) => (fen / 100).toFixed(2);

export function escalationSummary(e: Escalation) {
  const s = e.state;
  return {
    id: s.id,
    breachType: s.breachType,
    front: s.front,
    countyCode: s.countyCode,
    status: s.status,
    level: s.level,
    itemCount: s.itemCount,
    openItemCount: s.openItemCount,
    amount: money(s.amountFen),
    openAmount: money(s.openAmountFen),
    policyVersion: s.policy.version,
    stepsDone: s.stepsDone,
    nextStepAt: s.nextStepAt,
    nextLevel: s.status === 'open' ? (s.policy.steps[s.stepsDone]?.level ?? null) : null,
    recurrenceOf: s.recurrenceOf,
    acknowledgedAt: s.acknowledgedAt,
    openedAt: s.openedAt,
    resolvedAt: s.resolvedAt,
  };
}

/** Escalations as the API shows them; another county's reads as missing to a county operator. */
@Injectable()
export class EscalationViews {
  constructor(private readonly escalations: EscalationRepository) {}

  /** A page of escalations, newest first, and how many match in all. */
  async list(
    q: {
      county?: string;
      status?: string;
      front?: string;
      breachType?: string;
      limit: number;
      offset: number;
    },
    user: Principal,
  ) {
    const { rows, total } = await this.escalations.list({ ...q, county: scopedCounty(user, q.county) });
    const items = rows.map(({ escalation, notices }) => ({
      ...escalationSummary(escalation),
      notifications: notices,
    }));
    return { items, total };
  }

  /** One escalation with its policy snapshot, the ladder so far, every notice and acknowledgement. */
  async detail(id: string, user: Principal) {
    const e = await this.escalations.findById(id);
    const scope = countyScope(user);
    if (!e || (scope !== undefined && e.state.countyCode !== scope)) throw escalationNotFound();
    const em = this.escalations.manager;
    const steps = await this.escalations.steps(em, id);
    const items = await this.escalations.openItemsByKind(em, id);
    return {
      ...escalationSummary(e),
      policy: e.state.policy,
      steps: steps.map((s) => ({
        ...s,
        openAmount: money(s.openAmountFen),
        newAmount: money(s.newAmountFen),
      })),
      notifications: await this.escalations.notices(em, id),
      acknowledgements: await this.escalations.acks(id),
      openItemsByKind: items.map((i) => ({ kind: i.kind, count: i.count, amount: money(i.amountFen) })),
    };
  }
}
