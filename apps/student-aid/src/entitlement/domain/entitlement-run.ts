import { assertMayApprove, type Actor } from './approval.js';
import { entitlementError } from './entitlement.errors.js';

export type RunStatus = 'prepared' | 'approved' | 'rejected';

export interface EntitlementRunProps {
  id: string;
  term: string;
  /** Null: every county. */
  countyCode: string | null;
  status: RunStatus;
  preparedBy: string;
  preparedAt: string;
  decidedBy: string | null;
  decidedAt: string | null;
  entitlements: number;
  amountDue: number;
  /** Policy code → the version the run used. */
  policies: Record<string, number>;
}

/**
 * One computation of a term's entitlements. Its entitlements wait as `prepared` until an
 * aid auditor other than the preparer approves the run; a rejected run's entitlements go.
 */
export class EntitlementRun {
  private constructor(private props: EntitlementRunProps) {}

  static prepare(p: Pick<EntitlementRunProps, 'id' | 'term' | 'countyCode' | 'preparedBy' | 'preparedAt'>) {
    return new EntitlementRun({
      ...p,
      status: 'prepared',
      decidedBy: null,
      decidedAt: null,
      entitlements: 0,
      amountDue: 0,
      policies: {},
    });
  }

  static restore(props: EntitlementRunProps) {
    return new EntitlementRun({ ...props });
  }

  get state(): Readonly<EntitlementRunProps> {
    return this.props;
  }

  /** Whether this pending run covers (part of) what a run for `county` would compute. */
  overlaps(term: string, county: string | null): boolean {
    const p = this.props;
    return (
      p.status === 'prepared' &&
      p.term === term &&
      (p.countyCode === null || county === null || p.countyCode === county)
    );
  }

  computed(entitlements: number, amountDue: number, policies: Record<string, number>) {
    Object.assign(this.props, { entitlements, amountDue, policies });
  }

  approve(by: Actor, at: Date) {
    this.decide(by, at, 'approved');
  }

  reject(by: Actor, at: Date) {
    this.decide(by, at, 'rejected');
  }

  private decide(by: Actor, at: Date, status: RunStatus) {
    if (this.props.status !== 'prepared')
      throw entitlementError.notPending('the computation', this.props.status);
    assertMayApprove(this.props.preparedBy, by);
    Object.assign(this.props, { status, decidedBy: by.sub, decidedAt: at.toISOString() });
  }
}
