import type { DomainEvent } from '@edu/contracts';
import type { SupervisedFront } from '../../directory/domain/front.js';
import type { BreachType } from './breach-type.js';
import {
  firstInterviewStep,
  levelRank,
  type EscalationPolicy,
  type Level,
  type PolicyStep,
} from './escalation-policy.js';

export type EscalationStatus = 'open' | 'resolved';

/** What the ladder needs from the calendar. */
export interface WorkingDays {
  /** The moment a wait of `workingDays` starting at `at` is over. */
  dueAfter(at: Date, workingDays: number): Date;
}

export interface EscalationProps {
  id: string;
  breachType: BreachType;
  front: SupervisedFront;
  countyCode: string;
  status: EscalationStatus;
  /** Highest rung reached so far; null before the first notice. */
  level: Level | null;
  policy: EscalationPolicy;
  /** Steps decided so far (taken or skipped); the next step is `policy.steps[stepsDone]`. */
  stepsDone: number;
  itemCount: number;
  openItemCount: number;
  amountFen: number;
  openAmountFen: number;
  /** Open items that joined after the last notice: the next notice reports them as new. */
  unreportedCount: number;
  unreportedAmountFen: number;
  /** `stepsDone` right after the last step taken: items that joined earlier have been reported. */
  reportedThrough: number;
  /** Open items that were already there when the last step was decided. */
  openBeforeStep: number;
  lastStepAt: string;
  /** When the next step falls due; null when the ladder is finished or the escalation resolved. */
  nextStepAt: string | null;
  /** The escalation this one repeats (same breach type in the same county, soon after it closed). */
  recurrenceOf: string | null;
  openedAt: string;
  resolvedAt: string | null;
  acknowledgedAt: string | null;
}

/** Counts and amounts as of a step: what its notices say. */
export interface Digest {
  itemCount: number;
  openItemCount: number;
  openAmountFen: number;
  /** Reported for the first time: joined since the last notice. */
  newItemCount: number;
  newAmountFen: number;
}

/** Why a step was skipped. */
export interface SkipReason {
  code: 'recurrence' | 'settled' | 'few_items';
  text: string;
}

export interface StepDecision {
  index: number;
  step: PolicyStep;
  outcome: 'taken' | 'skipped';
  reason: SkipReason | null;
  digest: Digest;
  /** The policy's last step. */
  last: boolean;
  at: string;
}

/** An item of this escalation, as far as counting goes. */
export interface ItemShare {
  amountFen: number;
  /** `stepsDone` when the item joined. */
  joinedStep: number;
  /** `stepsDone` when the item, settled before, was reported again; null if it never was. */
  reopenedStep?: number | null;
}

/** Not yet reported: joined, or came back, since the last notice. */
function unreported(item: ItemShare, reportedThrough: number): boolean {
  return item.joinedStep >= reportedThrough || (item.reopenedStep ?? -1) >= reportedThrough;
}

/**
 * All open breaches of one type and front in one county: one escalation, never one message
 * per breach. It climbs its policy's ladder on the working-day calendar, reports the items
 * in digests, and resolves when every item is settled.
 */
export class Escalation {
  private constructor(private props: EscalationProps) {}

  static open(
    id: string,
    key: { breachType: BreachType; front: SupervisedFront; countyCode: string },
    policy: EscalationPolicy,
    now: Date,
    recurrenceOf: string | null = null,
  ): Escalation {
    const at = now.toISOString();
    return new Escalation({
      id,
      ...key,
      status: 'open',
      level: null,
      policy: structuredClone(policy),
      stepsDone: 0,
      itemCount: 0,
      openItemCount: 0,
      amountFen: 0,
      openAmountFen: 0,
      unreportedCount: 0,
      unreportedAmountFen: 0,
      reportedThrough: 0,
      openBeforeStep: 0,
      lastStepAt: at,
      nextStepAt: at,
      recurrenceOf,
      openedAt: at,
      resolvedAt: null,
      acknowledgedAt: null,
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
    p.openAmountFen += amountFen;
    p.unreportedCount++;
    p.unreportedAmountFen += amountFen;
    if (p.itemCount > 1) return [];
    return [
      {
        key: 'supervision.escalation.opened.v1',
        data: {
          escalationId: p.id,
          front: p.front,
          breachType: p.breachType,
          countyCode: p.countyCode,
          level: p.policy.steps[0]?.level ?? 'notice',
          itemCount: 1,
        },
      },
    ];
  }

  /**
   * A settled item of this escalation is reported again while it is still open: the same
   * problem is back. It counts as open once more, and as new in the next step's notice
   * (aggregation: what comes after a step is reported in the next one); an item the last
   * step already reported stays "reported at the previous step" for an `unresolved`
   * condition, since the problem that notice named was not put right for good.
   * Returns the item as it now counts (for a later `settleItem`).
   */
  reopenItem(item: ItemShare): ItemShare {
    const p = this.props;
    if (p.status !== 'open') throw new Error(`escalation ${p.id} is ${p.status}: an item cannot rejoin it`);
    const reopened = { ...item, reopenedStep: p.stepsDone };
    p.openItemCount++;
    p.openAmountFen += item.amountFen;
    if (item.joinedStep < p.stepsDone) p.openBeforeStep++;
    // Already counted as unreported if it joined after the last notice.
    if (!unreported(item, p.reportedThrough)) {
      p.unreportedCount++;
      p.unreportedAmountFen += item.amountFen;
    }
    return reopened;
  }

  /**
   * Decides every step now due, in order: taken when its condition holds, skipped (with the
   * reason) when not. Each step's wait counts from the previous decision, in working days.
   * A recurrence skips the steps below interview and takes the interview at once.
   */
  advance(now: Date, calendar: WorkingDays): StepDecision[] {
    const p = this.props;
    const decisions: StepDecision[] = [];
    const steps = p.policy.steps;
    const recurrenceStart = p.recurrenceOf ? firstInterviewStep(p.policy) : -1;
    while (p.status === 'open' && p.stepsDone < steps.length) {
      const index = p.stepsDone;
      const step = steps[index];
      const skippedForRecurrence = index < recurrenceStart;
      if (!skippedForRecurrence) {
        const wait = index === recurrenceStart && p.level === null ? 0 : step.waitWorkingDays;
        const due = calendar.dueAfter(new Date(p.lastStepAt), wait);
        if (due > now) {
          p.nextStepAt = due.toISOString();
          return decisions;
        }
      }
      const reason: SkipReason | null = skippedForRecurrence
        ? { code: 'recurrence', text: 'the same problem came back soon after the last escalation closed' }
        : this.unmetCondition(step);
      decisions.push(this.decide(index, step, reason, now));
    }
    p.nextStepAt = null;
    return decisions;
  }

  private unmetCondition(step: PolicyStep): SkipReason | null {
    const p = this.props;
    const c = step.condition;
    if (c?.unresolved) {
      const stillOpen = p.stepsDone === 0 ? p.openItemCount : p.openBeforeStep;
      if (stillOpen === 0)
        return { code: 'settled', text: 'everything reported at the previous step has been settled' };
    }
    if (c?.minItems !== undefined && p.openItemCount <= c.minItems)
      return { code: 'few_items', text: `${p.openItemCount} open items, not more than ${c.minItems}` };
    return null;
  }

  private decide(index: number, step: PolicyStep, skipReason: SkipReason | null, now: Date): StepDecision {
    const p = this.props;
    const digest: Digest = {
      itemCount: p.itemCount,
      openItemCount: p.openItemCount,
      openAmountFen: p.openAmountFen,
      newItemCount: p.unreportedCount,
      newAmountFen: p.unreportedAmountFen,
    };
    p.stepsDone = index + 1;
    p.lastStepAt = now.toISOString();
    p.openBeforeStep = p.openItemCount;
    if (skipReason === null) {
      if (levelRank(step.level) > levelRank(p.level)) p.level = step.level;
      p.reportedThrough = p.stepsDone;
      p.unreportedCount = 0;
      p.unreportedAmountFen = 0;
    }
    return {
      index,
      step,
      outcome: skipReason === null ? 'taken' : 'skipped',
      reason: skipReason,
      digest,
      last: index === p.policy.steps.length - 1,
      at: p.lastStepAt,
    };
  }

  /** The ladder's due time after a calendar edit (nothing is decided here). */
  reschedule(calendar: WorkingDays): void {
    const p = this.props;
    if (p.status !== 'open' || p.stepsDone >= p.policy.steps.length) return;
    const recurrenceStart = p.recurrenceOf ? firstInterviewStep(p.policy) : -1;
    const wait =
      p.stepsDone <= recurrenceStart && p.level === null ? 0 : p.policy.steps[p.stepsDone].waitWorkingDays;
    p.nextStepAt = calendar.dueAfter(new Date(p.lastStepAt), wait).toISOString();
  }

  /** Acknowledged by the responsible official: recorded, and nothing else changes. */
  acknowledge(now: Date): void {
    this.props.acknowledgedAt ??= now.toISOString();
  }

  /**
   * An item was settled: the counts as they change in memory. (The service reads counts back
   * from the items instead, and calls `resolveIfSettled`; these are the same rules.)
   */
  settleItem(now: Date, item: ItemShare): DomainEvent[] {
    const p = this.props;
    if (p.status !== 'open' || p.openItemCount === 0) return [];
    p.openItemCount--;
    p.openAmountFen -= item.amountFen;
    if (item.joinedStep < p.stepsDone) p.openBeforeStep = Math.max(0, p.openBeforeStep - 1);
    if (unreported(item, p.reportedThrough)) {
      p.unreportedCount = Math.max(0, p.unreportedCount - 1);
      p.unreportedAmountFen = Math.max(0, p.unreportedAmountFen - item.amountFen);
    }
    return this.resolveIfSettled(now);
  }

  /** With no item left open the escalation resolves, once, and its ladder stops. */
  resolveIfSettled(now: Date): DomainEvent[] {
    const p = this.props;
    if (p.status !== 'open' || p.openItemCount > 0) return [];
    p.status = 'resolved';
    p.resolvedAt = now.toISOString();
    p.nextStepAt = null;
    return [
      {
        key: 'supervision.escalation.resolved.v1',
        data: {
          escalationId: p.id,
          front: p.front,
          breachType: p.breachType,
          countyCode: p.countyCode,
          resolvedAt: p.resolvedAt,
        },
      },
    ];
  }
}
