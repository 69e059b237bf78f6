import type { EventEnvelope, Front } from '@edu/contracts';

/** A breach reported by another service, reduced to what supervision needs. */
export interface Breach {
  front: Front;
  countyCode: string;
  /** Identifies the underlying item, so repeated reports of one item count once. */
  itemKey: string;
  breachType: string;
  /** Money at stake in fen (aid front), else 0. */
  amountFen: number;
}

function fen(yuan: string): number {
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
  | EventEnvelope<'construction.milestone.overdue.v1'>
  | EventEnvelope<'construction.capacity.shortfall.v1'>;

/** Maps each breach event version to the escalation item it concerns. */
export function breachOf(event: BreachEvent): Breach {
  const key = `${event.type}.v${event.version}`;
  switch (event.type) {
    case 'aid.entitlement.overdue': {
      const d = (event as EventEnvelope<'aid.entitlement.overdue.v1'>).data;
      return {
        front: 'aid',
        countyCode: d.countyCode,
        itemKey: `aid.entitlement:${d.entitlementId}`,
        breachType: 'unpaid_subsidy',
        amountFen: fen(d.amountDue) - fen(d.amountPaid),
      };
    }
    case 'aid.payment.short': {
      const d = (event as EventEnvelope<'aid.payment.short.v1'>).data;
      return {
        front: 'aid',
        countyCode: d.countyCode,
        itemKey: `aid.entitlement:${d.entitlementId}`,
        breachType: 'short_payment',
        amountFen: fen(d.shortfall),
      };
    }
    case 'aid.payment.irregular': {
      const d = (event as EventEnvelope<'aid.payment.irregular.v1'>).data;
      return {
        front: 'aid',
        countyCode: d.countyCode,
        itemKey: `aid.payment:${d.paymentId}`,
        breachType: 'irregular_payment',
        amountFen: fen(d.amount),
      };
    }
    case 'aid.coverage.gap': {
      const d = (event as EventEnvelope<'aid.coverage.gap.v1'>).data;
      return {
        front: 'aid',
        countyCode: d.countyCode,
        itemKey: `aid.coverage:${d.studentKey}:${d.policyCode}:${d.term}`,
        breachType: 'coverage_gap',
        amountFen: fen(d.amount),
      };
    }
    case 'dropout.case.opened':
    case 'dropout.case.overdue': {
      const d = (event as EventEnvelope<'dropout.case.opened.v1'>).data;
      return {
        front: 'dropout',
        countyCode: d.countyCode,
        itemKey: `dropout.case:${d.caseId}`,
        breachType: event.type === 'dropout.case.opened' ? 'dropout' : 'dropout_case_overdue',
        amountFen: 0,
      };
    }
    case 'construction.milestone.overdue': {
      const d = (event as EventEnvelope<'construction.milestone.overdue.v1'>).data;
      return {
        front: 'construction',
        countyCode: d.countyCode,
        itemKey: `construction.milestone:${d.milestoneId}`,
        breachType: 'milestone_overdue',
        amountFen: 0,
      };
    }
    case 'construction.capacity.shortfall': {
      const d = (event as EventEnvelope<'construction.capacity.shortfall.v1'>).data;
      return {
        front: 'construction',
        countyCode: d.countyCode,
        itemKey: `construction.capacity:${d.siteCode}:${d.stage}`,
        breachType: 'capacity_shortfall',
        amountFen: 0,
      };
    }
    default:
      throw new Error(`not a breach event: ${key}`);
  }
}
