import type { EventEnvelope } from '@edu/contracts';
import type { SupervisedFront } from '../../directory/domain/front.js';
import type { BreachType } from './breach-type.js';

/** A breach, from another service or found here, reduced to what supervision needs. */
export interface Breach {
  /** Chooses the policy and groups breaches into one escalation per front and county. */
  breachType: BreachType;
  front: SupervisedFront;
  countyCode: string;
  /** Identifies the underlying item, so repeated reports of one item count once. */
  itemKey: string;
  /** The item's own kind: unpaid_subsidy, short_payment, dropout … */
  kind: string;
  /** Money at stake in fen (aid front), else 0. */
  amountFen: number;
  /** A deadline was missed (as opposed to a problem found). */
  overdue: boolean;
  /** Another item whose settlement settles this one too: a reopened case's, the case. */
  settledWith?: string;
}

export function fen(yuan: string): number {
  const [i, d = ''] = yuan.split('.');
  return Number(i) * 100 + Number(d.padEnd(2, '0').slice(0, 2));
}

type BreachEvent =
  | EventEnvelope<'aid.entitlement.overdue.v1'>
  | EventEnvelope<'aid.payment.short.v1'>
  | EventEnvelope<'aid.payment.irregular.v1'>
  | EventEnvelope<'aid.coverage.gap.v1'>
  | EventEnvelope<'dropout.case.opened.v1'>
  | EventEnvelope<'dropout.case.overdue.v1'>
  | EventEnvelope<'dropout.case.reopened.v1'>
  | EventEnvelope<'construction.milestone.overdue.v1'>
  | EventEnvelope<'construction.capacity.shortfall.v1'>
  | EventEnvelope<'construction.budget.overrun.v1'>
  | EventEnvelope<'construction.progress.stalled.v1'>;

/** The item a dropout case is, from its opening to its resolution. */
export function caseKey(caseId: string): string {
  return `dropout.case:${caseId}`;
}

/** The item a reopened case is: the case again, kept apart from its first (settled) breach. */
export function reopenedCaseKey(caseId: string, reopenedAt: string): string {
  return `${reopenedCasePrefix(caseId)}${reopenedAt}`;
}

/** What the keys of a case's reopenings start with; the rest of a key is when it reopened. */
export function reopenedCasePrefix(caseId: string): string {
  return `${caseKey(caseId)}:reopened:`;
}

/** Maps each breach event version to the escalation item it concerns. */
export function breachOf(event: BreachEvent): Breach {
  const key = `${event.type}.v${event.version}`;
  switch (event.type) {
    case 'aid.entitlement.overdue': {
      const d = (event as EventEnvelope<'aid.entitlement.overdue.v1'>).data;
      return {
        breachType: 'aid',
        front: 'aid',
        countyCode: d.countyCode,
        itemKey: `aid.entitlement:${d.entitlementId}`,
        kind: 'unpaid_subsidy',
        overdue: true,
        amountFen: fen(d.amountDue) - fen(d.amountPaid),
      };
    }
    case 'aid.payment.short': {
      const d = (event as EventEnvelope<'aid.payment.short.v1'>).data;
      return {
        breachType: 'aid',
        front: 'aid',
        countyCode: d.countyCode,
        itemKey: `aid.entitlement:${d.entitlementId}`,
        kind: 'short_payment',
        overdue: false,
        amountFen: fen(d.shortfall),
      };
    }
    case 'aid.payment.irregular': {
      const d = (event as EventEnvelope<'aid.payment.irregular.v1'>).data;
      return {
        breachType: 'aid',
        front: 'aid',
        countyCode: d.countyCode,
        itemKey: `aid.payment:${d.paymentId}`,
        kind: 'irregular_payment',
        overdue: false,
        amountFen: fen(d.amount),
      };
    }
    case 'aid.coverage.gap': {
      const d = (event as EventEnvelope<'aid.coverage.gap.v1'>).data;
      return {
        breachType: 'aid',
        front: 'aid',
        countyCode: d.countyCode,
        itemKey: `aid.coverage:${d.studentKey}:${d.policyCode}:${d.term}`,
        kind: 'coverage_gap',
        overdue: false,
        amountFen: fen(d.amount),
      };
    }
    case 'dropout.case.opened':
    case 'dropout.case.overdue': {
      const d = (event as EventEnvelope<'dropout.case.opened.v1'>).data;
      return {
        breachType: 'dropout',
        front: 'dropout',
        countyCode: d.countyCode,
        itemKey: caseKey(d.caseId),
        kind: event.type === 'dropout.case.opened' ? 'dropout' : 'dropout_case_overdue',
        overdue: event.type === 'dropout.case.overdue',
        amountFen: 0,
      };
    }
    case 'dropout.case.reopened': {
      const d = (event as EventEnvelope<'dropout.case.reopened.v1'>).data;
      return {
        breachType: 'dropout',
        front: 'dropout',
        countyCode: d.countyCode,
        itemKey: reopenedCaseKey(d.caseId, d.reopenedAt),
        kind: 'dropout_reopened',
        overdue: false,
        amountFen: 0,
        // Resolving the case resolves its reopening: a late reopening of a case resolved since is stale.
        settledWith: caseKey(d.caseId),
      };
    }
    case 'construction.budget.overrun': {
      const d = (event as EventEnvelope<'construction.budget.overrun.v1'>).data;
      return {
        breachType: 'construction',
        front: 'construction',
        countyCode: d.countyCode,
        itemKey: `construction.budget:${d.projectId}`,
        kind: 'budget_overrun',
        overdue: false,
        // Money at stake on the map is money owed to students; an overrun is not that.
        amountFen: 0,
      };
    }
    case 'construction.progress.stalled': {
      const d = (event as EventEnvelope<'construction.progress.stalled.v1'>).data;
      return {
        breachType: 'construction',
        front: 'construction',
        countyCode: d.countyCode,
        itemKey: `construction.progress:${d.projectId}`,
        kind: 'progress_stalled',
        overdue: true,
        amountFen: 0,
      };
    }
    case 'construction.milestone.overdue': {
      const d = (event as EventEnvelope<'construction.milestone.overdue.v1'>).data;
      return {
        breachType: 'construction',
        front: 'construction',
        countyCode: d.countyCode,
        itemKey: `construction.milestone:${d.milestoneId}`,
        kind: 'milestone_overdue',
        overdue: true,
        amountFen: 0,
      };
    }
    case 'construction.capacity.shortfall': {
      const d = (event as EventEnvelope<'construction.capacity.shortfall.v1'>).data;
      return {
        breachType: 'construction',
        front: 'construction',
        countyCode: d.countyCode,
        itemKey: `construction.capacity:${d.siteCode}:${d.stage}`,
        kind: 'capacity_shortfall',
        overdue: false,
        amountFen: 0,
      };
    }
    default:
      throw new Error(`not a breach event: ${key}`);
  }
}
