import type { DomainEvent, Front } from '@edu/contracts';
import { levelRank, type EscalationPolicy, type Level, type PolicyStep } from './escalation-policy.js';

export type EscalationStatus = 'open' | 'resolved';

export interface EscalationProps {
  id: string;
  front: Front;
  countyCode: string;
  status: EscalationStatus;
  /** Highest rung reached so far; null before the first notice. */
  level: Level | null;
  policy: EscalationPolicy;
  stepsDone: number;
  itemCount: number;
  openItemCount: number;
  amountFen: number;
  openedAt: string;
  resolvedAt: string | null;
}

/**
 * All open breaches of one front in one county: one escalation, never one message per
 * breach. It climbs its policy's ladder and resolves when every item is settled.
 */
export class Escalation {
  private constructor(private props: EscalationProps) {}

  static open(id: string, front: Front, countyCode: string, policy: EscalationPolicy, now: Date): Escalation {
    return new Escalation({
      id,
      front,
      countyCode,
      status: 'open',
      level: null,
      policy: structuredClone(policy),
      stepsDone: 0,
      itemCount: 0,
      openItemCount: 0,
      amountFen: 0,
      openedAt: now.toISOString(),
      resolvedAt: null,
    });
  }

  static restore(props: EscalationProps): Escalation {
    return new Escalation({ ...props });
  }

  get state(): Readonly<EscalationProps> {
    return this.props;
  }

  /** Counts a newly reported item (the caller has made sure it is new to this escalation). */
  addItem(amountFen: number): DomainEvent[] {
    const p = this.props;
    p.itemCount++;
    p.openItemCount++;
    p.amountFen += amountFen;
    if (p.itemCount > 1) return [];
    return [
      {
        key: 'supervision.escalation.opened.v1',
        data: {
          escalationId: p.id,
          front: p.front,
          countyCode: p.countyCode,
          level: p.policy.steps[0]?.level ?? 'notice',
          itemCount: 1,
        },
      },
    ];
  }

  /**
   * The rungs now due: those not yet taken whose cumulative wait has elapsed.
   * `elapsedWorkingDays` counts working days since the escalation opened.
   */
  stepsDue(elapsedWorkingDays: number): { index: number; step: PolicyStep }[] {
    const p = this.props;
    if (p.status !== 'open') return [];
    const due: { index: number; step: PolicyStep }[] = [];
    let waited = 0;
    for (let i = 0; i < p.policy.steps.length; i++) {
      waited += p.policy.steps[i].waitWorkingDays;
      if (waited > elapsedWorkingDays) break;
      if (i >= p.stepsDone) due.push({ index: i, step: p.policy.steps[i] });
    }
    return due;
  }

  markStepTaken(index: number): void {
    const p = this.props;
    p.stepsDone = Math.max(p.stepsDone, index + 1);
    const level = p.policy.steps[index].level;
    if (levelRank(level) > levelRank(p.level)) p.level = level;
  }

  /** An item was settled; when none is left open the escalation resolves. */
  settleItem(now: Date): DomainEvent[] {
    const p = this.props;
    if (p.status !== 'open' || p.openItemCount === 0) return [];
    p.openItemCount--;
    if (p.openItemCount > 0) return [];
    p.status = 'resolved';
    p.resolvedAt = now.toISOString();
    return [
      {
        key: 'supervision.escalation.resolved.v1',
        data: { escalationId: p.id, front: p.front, countyCode: p.countyCode, resolvedAt: p.resolvedAt },
      },
    ];
  }
}
