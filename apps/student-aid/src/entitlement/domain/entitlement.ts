import type { DomainEvent } from '@edu/contracts';
import { entitlementError } from './entitlement.errors.js';
import { formatYuan, type Fen } from './money.js';

export type EntitlementStatus = 'due' | 'overdue' | 'settled';

export interface EntitlementProps {
  id: string;
  studentKey: string;
  countyCode: string;
  schoolCode: string;
  policyCode: string;
  term: string;
  amountDue: Fen;
  amountPaid: Fen;
  dueDate: string;
  status: EntitlementStatus;
  /** Set once the overdue breach was raised, so a sweep never raises it twice. */
  overdueSince: string | null;
  settledAt: string | null;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function isDate(value: string): boolean {
  return DATE.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`));
}

/**
 * One student's entitlement to one policy in one term: due by a date, settled when paid in
 * full. Past the date and not paid in full it is an unpaid subsidy (and, if partly paid, a
 * short payment) — breaches that escalate.
 */
export class Entitlement {
  private constructor(private props: EntitlementProps) {}

  static grant(
    p: Omit<EntitlementProps, 'amountPaid' | 'status' | 'overdueSince' | 'settledAt'>,
  ): Entitlement {
    if (!Number.isInteger(p.amountDue) || p.amountDue <= 0) throw entitlementError.invalidAmount('amountDue');
    if (!isDate(p.dueDate)) throw entitlementError.invalidDate('dueDate');
    return new Entitlement({ ...p, amountPaid: 0, status: 'due', overdueSince: null, settledAt: null });
  }

  static restore(props: EntitlementProps): Entitlement {
    return new Entitlement({ ...props });
  }

  get state(): Readonly<EntitlementProps> {
    return this.props;
  }

  /** Whether a repeated grant request asks for exactly this entitlement. */
  sameGrantAs(other: Entitlement): boolean {
    const a = this.props;
    const b = other.props;
    return (
      a.countyCode === b.countyCode &&
      a.schoolCode === b.schoolCode &&
      a.amountDue === b.amountDue &&
      a.dueDate === b.dueDate
    );
  }

  /** Adds a payment; settles the entitlement when the total reaches the amount due. */
  recordPayment(paymentId: string, amount: Fen, paidAt: Date): DomainEvent[] {
    if (!Number.isInteger(amount) || amount <= 0) throw entitlementError.invalidAmount('amount');
    const p = this.props;
    const wasSettled = p.status === 'settled';
    p.amountPaid += amount;
    const events: DomainEvent[] = [];
    if (wasSettled || p.amountPaid > p.amountDue) {
      events.push({
        key: 'aid.payment.irregular.v1',
        data: { paymentId, ...this.ref(), amount: formatYuan(amount), reason: 'duplicate' },
      });
    }
    if (!wasSettled && p.amountPaid >= p.amountDue) {
      p.status = 'settled';
      p.settledAt = paidAt.toISOString();
      events.push({
        key: 'aid.entitlement.settled.v1',
        data: {
          entitlementId: p.id,
          ...this.ref(),
          amountPaid: formatYuan(p.amountPaid),
          settledAt: p.settledAt,
        },
      });
    }
    return events;
  }

  /** Raises the unpaid-subsidy breach once, when `today` is past the due date and it is not paid in full. */
  markOverdue(today: string): DomainEvent[] {
    const p = this.props;
    if (p.status !== 'due' || today <= p.dueDate || p.amountPaid >= p.amountDue) return [];
    p.status = 'overdue';
    p.overdueSince = today;
    const events: DomainEvent[] = [
      {
        key: 'aid.entitlement.overdue.v1',
        data: {
          entitlementId: p.id,
          ...this.ref(),
          schoolCode: p.schoolCode,
          amountDue: formatYuan(p.amountDue),
          amountPaid: formatYuan(p.amountPaid),
          dueDate: p.dueDate,
        },
      },
    ];
    if (p.amountPaid > 0) {
      events.push({
        key: 'aid.payment.short.v1',
        data: {
          entitlementId: p.id,
          ...this.ref(),
          amountDue: formatYuan(p.amountDue),
          amountPaid: formatYuan(p.amountPaid),
          shortfall: formatYuan(p.amountDue - p.amountPaid),
        },
      });
    }
    return events;
  }

  private ref() {
    const p = this.props;
    return { studentKey: p.studentKey, countyCode: p.countyCode, policyCode: p.policyCode, term: p.term };
  }
}
