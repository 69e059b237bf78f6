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
  @Column('text') term: string;
  @Column('bigint') amountDueFen: string;
  @Column('bigint') amountPaidFen: string;
  @Column('date') dueDate: string;
  @Column('text') status: EntitlementStatus;
  @Column('date', { nullable: true }) overdueSince: string | null;
  @Column('timestamptz', { nullable: true }) settledAt: Date | null;
  @Column('timestamptz', { default: () => 'now()' }) createdAt: Date;
}

@Entity('payment')
export class PaymentEntity {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid', { nullable: true }) entitlementId: string | null;
  @Column('char', { length: 64 }) studentKey: string;
  @Column('text') policyCode: string;
  @Column('text') term: string;
  @Column('bigint') amountFen: string;
  @Column('date') paidOn: string;
  /** The bank or treasury serial number; a repeated reference is the same payment. */
  @Column('text', { nullable: true, unique: true }) reference: string | null;
  @Column('timestamptz', { default: () => 'now()' }) recordedAt: Date;
}
