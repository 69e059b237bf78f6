import { Column, Entity, PrimaryColumn } from 'typeorm';
import type {
  CaseState,
  DropoutReason,
  ExemptReason,
  Persuaders,
  Resolution,
} from '../domain/dropout-case.js';

@Entity('dropout_case')
export class DropoutCaseEntity {
  @PrimaryColumn('uuid') id: string;
  @Column('char', { length: 64 }) studentKey: string;
  @Column('text') studentIdNumber: string;
  @Column('text') studentName: string;
  @Column('char', { length: 6 }) countyCode: string;
  @Column('text') schoolCode: string;
  @Column('boolean') registeredPoor: boolean;
  @Column('text', { nullable: true }) reason: DropoutReason | null;
  @Column('text') state: CaseState;
  @Column('date') stateEnteredOn: string;
  @Column('date', { nullable: true }) deadline: string | null;
  @Column('text', { array: true, default: () => "'{}'" }) overdueStates: CaseState[];
  @Column('jsonb', { nullable: true }) persuaders: Persuaders | null;
  @Column('text', { nullable: true }) resolution: Resolution | null;
  @Column('text', { nullable: true }) resolutionSchoolCode: string | null;
  @Column('text', { nullable: true }) exemptReason: ExemptReason | null;
  @Column('text', { nullable: true }) closeEvidence: string | null;
  @Column('timestamptz') openedAt: Date;
  @Column('timestamptz', { nullable: true }) verifiedAt: Date | null;
  @Column('timestamptz', { nullable: true }) plannedAt: Date | null;
  @Column('timestamptz', { nullable: true }) resolvedAt: Date | null;
  @Column('timestamptz', { nullable: true }) closedAt: Date | null;
}
