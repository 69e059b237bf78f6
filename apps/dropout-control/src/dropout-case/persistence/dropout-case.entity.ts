import { Column, Entity, PrimaryColumn } from 'typeorm';
import type {
  CaseSource,
  CaseState,
  DropoutReason,
  ExemptReason,
  Finding,
  Persuaders,
  Resolution,
} from '../domain/dropout-case.js';
import type { DisabilityLevel } from '../domain/placement.js';

@Entity('dropout_case')
export class DropoutCaseEntity {
  @PrimaryColumn('uuid') id: string;
  @Column('char', { length: 64 }) studentKey: string;
  @Column('text') studentIdNumber: string;
  @Column('text') studentName: string;
  @Column('char', { length: 6 }) countyCode: string;
  @Column('text') schoolCode: string;
  @Column('boolean') registeredPoor: boolean;
  @Column('text', { nullable: true }) householdId: string | null;
  @Column('text', { nullable: true }) township: string | null;
  @Column('text', { nullable: true }) village: string | null;
  @Column('text') disabilityLevel: DisabilityLevel;
  @Column('text') source: CaseSource;
  @Column('text', { nullable: true }) finding: Finding | null;
  @Column('text', { nullable: true }) reason: DropoutReason | null;
  @Column('text') state: CaseState;
  @Column('date') stateEnteredOn: string;
  @Column('date', { nullable: true }) deadline: string | null;
  @Column('text', { array: true, default: () => "'{}'" }) overdueStates: CaseState[];
  @Column('jsonb', { nullable: true }) persuaders: Persuaders | null;
  @Column('int') attemptsInCycle: number;
  @Column('uuid', { nullable: true }) homeTeachingPlanId: string | null;
  @Column('text', { nullable: true }) resolution: Resolution | null;
  @Column('text', { nullable: true }) resolutionSchoolCode: string | null;
  @Column('text', { nullable: true }) exemptReason: ExemptReason | null;
  @Column('text', { nullable: true }) exemptDocument: string | null;
  @Column('text', { nullable: true }) closeEvidence: string | null;
  @Column('int') reopenCount: number;
  @Column('timestamptz') openedAt: Date;
  @Column('text', { nullable: true }) openedBy: string | null;
  @Column('timestamptz', { nullable: true }) verifiedAt: Date | null;
  @Column('text', { nullable: true }) verifiedBy: string | null;
  @Column('timestamptz', { nullable: true }) plannedAt: Date | null;
  @Column('text', { nullable: true }) plannedBy: string | null;
  @Column('timestamptz', { nullable: true }) resolvedAt: Date | null;
  @Column('text', { nullable: true }) resolvedBy: string | null;
  @Column('timestamptz', { nullable: true }) closedAt: Date | null;
  @Column('text', { nullable: true }) closedBy: string | null;
  @Column('timestamptz', { nullable: true }) reopenedAt: Date | null;
}
