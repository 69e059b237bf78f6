import type { DomainEvent } from '@edu/contracts';
import { assertMayApprove, grantIsApproved, type Actor } from './approval.js';
import { entitlementError } from './entitlement.errors.js';
import { formatYuan, type Fen } from './money.js';

/** prepared: waits for an auditor; due: counts; overdue: past its date, not paid in full; settled: paid in full. */
export type EntitlementStatus = 'prepared' | 'due' | 'overdue' | 'settled';

/** How an entitlement stands against its due date ("timely and in full"). */
export type EntitlementClass = 'prepared' | 'pending' | 'on_time' | 'late' | 'short' | 'unpaid';

export interface EntitlementProps {
  id: string;
  studentKey: string;
  countyCode: string;
  schoolCode: string;
  policyCode: string;
  /** The catalogue version the amount came from; null for a grant made by hand. */
  policyVersion: number | null;
  runId: string | null;
  term: string;
  amountDue: Fen;
  amountPaid: Fen;
  /** Paid on or before the due date. */
  paidOnTime: Fen;
  dueDate: string;
  status: EntitlementStatus;
  preparedBy: string | null;
  approvedBy: string | null;
  approvedAt: string | null;
  /** Set once the unpaid-subsidy breach was raised, so it is raised once. */
  overdueSince: string | null;
  /** Set once the short-payment breach was raised. */
  shortSince: string | null;
  settledAt: string | null;
  /** The day the payment that completed it was made. */
  settledOn: string | null;
  /** A dropout case of the same student, when one was opened while this was unpaid or short. */
  dropoutCaseId: string | null;
}

export type GrantProps = Pick<
  EntitlementProps,
  'id' | 'studentKey' | 'countyCode' | 'schoolCode' | 'policyCode' | 'term' | 'amountDue' | 'dueDate'
> &
  Partial<Pick<EntitlementProps, 'policyVersion' | 'runId'>>;

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function isDate(value: string): boolean {
  return DATE.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`));
}

/**
 * One student's entitlement to one policy in one term: due by a date, settled when paid in
 * full. Past the date with nothing paid it is an unpaid subsidy; partly paid, a short
 * payment; money beyond the amount due is an irregular payment — breaches that escalate.
 * The set-based reconciliation (reconciliation/persistence) applies the same rules to
 * whole payment files; its integration test checks both agree.
 */
export class Entitlement {
  private constructor(private props: EntitlementProps) {}

  /** A grant by hand: the city aid centre's counts at once, an operator's waits for an auditor. */
  static grant(p: GrantProps, by: Actor, at: Date): Entitlement {
    if (!Number.isInteger(p.amountDue) || p.amountDue <= 0) throw entitlementError.invalidAmount('amountDue');
    if (!isDate(p.dueDate)) throw entitlementError.invalidDate('dueDate');
    const approved = grantIsApproved(by);
    return new Entitlement({
      policyVersion: null,
      runId: null,
      ...p,
      amountPaid: 0,
      paidOnTime: 0,
      status: approved ? 'due' : 'prepared',
      preparedBy: by.sub,
      approvedBy: approved ? by.sub : null,
      approvedAt: approved ? at.toISOString() : null,
      overdueSince: null,
      shortSince: null,
      settledAt: null,
      settledOn: null,
      dropoutCaseId: null,
    });
  }

  static restore(props: EntitlementProps): Entitlement {
    return new Entitlement({ ...props });
  }

  get state(): Readonly<EntitlementProps> {
    return this.props;
  }

  get approved(): boolean {
    return this.props.status !== 'prepared';
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

  /** Maker-checker for a single grant. */
  approve(by: Actor, at: Date): void {
    const p = this.props;
    if (p.status !== 'prepared') throw entitlementError.notPending('the entitlement', p.status);
    assertMayApprove(p.preparedBy ?? '', by);
    Object.assign(p, { status: 'due', approvedBy: by.sub, approvedAt: at.toISOString() });
  }

  /** Adds a payment; settles the entitlement when the total reaches the amount due. */
  recordPayment(paymentId: string, amount: Fen, paidOn: string, at: Date): DomainEvent[] {
    if (!Number.isInteger(amount) || amount <= 0) throw entitlementError.invalidAmount('amount');
    if (!isDate(paidOn)) throw entitlementError.invalidDate('paidOn');
    const p = this.props;
    const wasSettled = p.status === 'settled';
    p.amountPaid += amount;
    if (paidOn <= p.dueDate) p.paidOnTime += amount;
    const events: DomainEvent[] = [];
    if (wasSettled || p.amountPaid > p.amountDue) {
      events.push({
        key: 'aid.payment.irregular.v1',
        data: {
          paymentId,
          ...this.ref(),
          amount: formatYuan(amount),
          reason: 'duplicate',
          irregularity: 'paid_twice',
        },
      });
    }
    if (!wasSettled && p.amountPaid >= p.amountDue) {
      p.status = 'settled';
      p.settledAt = at.toISOString();
      p.settledOn = paidOn;
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

  /**
   * Past the due date and not paid in full: nothing paid raises the unpaid-subsidy breach,
   * part paid the short-payment breach; each at most once.
   */
  markOverdue(today: string): DomainEvent[] {
    const p = this.props;
    if ((p.status !== 'due' && p.status !== 'overdue') || today <= p.dueDate || p.amountPaid >= p.amountDue)
      return [];
    p.status = 'overdue';
    const events: DomainEvent[] = [];
    if (p.amountPaid === 0 && p.overdueSince === null) {
      p.overdueSince = today;
      events.push(this.unpaidEvent());
    }
    if (p.amountPaid > 0 && p.shortSince === null) {
      p.overdueSince ??= today;
      p.shortSince = today;
      events.push(this.shortEvent());
    }
    return events;
  }

  /**
   * A dropout case was opened for this student: an approved entitlement not paid in full
   * is flagged with it; a breach already raised is restated once, carrying the link.
   */
  linkDropoutCase(caseId: string): DomainEvent[] {
    const p = this.props;
    if (!this.approved || p.status === 'settled' || p.amountPaid >= p.amountDue || p.dropoutCaseId !== null)
      return [];
    p.dropoutCaseId = caseId;
    if (p.shortSince !== null) return [this.shortEvent()];
    if (p.overdueSince !== null) return [this.unpaidEvent()];
    return [];
  }

  classify(today: string): EntitlementClass {
    const p = this.props;
    if (p.status === 'prepared') return 'prepared';
    if (p.amountPaid >= p.amountDue) return p.paidOnTime >= p.amountDue ? 'on_time' : 'late';
    if (today <= p.dueDate) return 'pending';
    return p.amountPaid > 0 ? 'short' : 'unpaid';
  }

  private unpaidEvent(): DomainEvent<'aid.entitlement.overdue.v1'> {
    const p = this.props;
    return {
      key: 'aid.entitlement.overdue.v1',
      data: {
        entitlementId: p.id,
        ...this.ref(),
        schoolCode: p.schoolCode,
        amountDue: formatYuan(p.amountDue),
        amountPaid: formatYuan(p.amountPaid),
        dueDate: p.dueDate,
        ...(p.dropoutCaseId && { dropoutCaseId: p.dropoutCaseId }),
      },
    };
  }

  private shortEvent(): DomainEvent<'aid.payment.short.v1'> {
    const p = this.props;
    return {
      key: 'aid.payment.short.v1',
      data: {
        entitlementId: p.id,
        ...this.ref(),
        amountDue: formatYuan(p.amountDue),
        amountPaid: formatYuan(p.amountPaid),
        shortfall: formatYuan(p.amountDue - p.amountPaid),
        ...(p.dropoutCaseId && { dropoutCaseId: p.dropoutCaseId }),
      },
    };
  }

  private ref() {
    const p = this.props;
    return { studentKey: p.studentKey, countyCode: p.countyCode, policyCode: p.policyCode, term: p.term };
  }
}
