import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { EntitlementStatus } from '../domain/entitlement.js';

@Entity('entitlement')
@Index(['studentKey', 'policyCode', 'term'], { unique: true })
export class EntitlementEntity {
  @PrimaryColumn('uuid') id: string;
  @Column('char', { length: 64 }) studentKey: string;
  @Column('char', { length: 6 }) countyCode: string;
  @Column('text') schoolCode: string;
  @Column('text') policyCode: string;
  @Column('int', { nullable: true }) policyVersion: number | null;
  @Column('uuid', { nullable: true }) runId: string | null;
  @Column('text') term: string;
  @Column('bigint') amountDueFen: string;
  @Column('bigint') amountPaidFen: string;
  @Column('bigint') paidOnTimeFen: string;
  @Column('date') dueDate: string;
  @Column('text') status: EntitlementStatus;
  @Column('text', { nullable: true }) preparedBy: string | null;
  @Column('text', { nullable: true }) approvedBy: string | null;
  @Column('timestamptz', { nullable: true }) approvedAt: Date | null;
  @Column('date', { nullable: true }) overdueSince: string | null;
  @Column('date', { nullable: true }) shortSince: string | null;
  @Column('timestamptz', { nullable: true }) settledAt: Date | null;
  @Column('date', { nullable: true }) settledOn: string | null;
  @Column('uuid', { nullable: true }) dropoutCaseId: string | null;
  @Column('timestamptz', { default: () => 'now()' }) createdAt: Date;
}

export type PaymentClass = 'regular' | 'paid_twice' | 'without_entitlement' | 'name_mismatch' | 'reversal';

@Entity('payment')
export class PaymentEntity {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid', { nullable: true }) entitlementId: string | null;
  @Column('char', { length: 64 }) studentKey: string;
  @Column('char', { length: 6, nullable: true }) countyCode: string | null;
  @Column('text') policyCode: string;
  @Column('text') term: string;
  /** Negative for a reversal. */
  @Column('bigint') amountFen: string;
  @Column('date') paidOn: string;
  /** The bank or treasury serial number (payment_ref); a repeated reference is the same payment. */
  @Column('text', { nullable: true, unique: true }) reference: string | null;
  @Column('text', { default: 'regular' }) class: PaymentClass;
  /** For a reversal: the payment_ref it reverses. */
  @Column('text', { nullable: true }) reverses: string | null;
  @Column('bigint', { default: 0 }) reversedFen: string;
  @Column('uuid', { nullable: true }) importId: string | null;
  @Column('int', { nullable: true }) line: number | null;
  @Column('timestamptz', { default: () => 'now()' }) recordedAt: Date;
}
