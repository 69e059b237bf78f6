import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { DocumentRef, FundingSource, MilestoneKind, ProjectKind } from '../domain/project.js';

@Entity('project')
export class ProjectEntity {
  @PrimaryColumn('uuid') id: string;
  @Column('text', { nullable: true }) code: string | null;
  @Column('text') name: string;
  @Column('text') kind: ProjectKind;
  @Column('char', { length: 6 }) countyCode: string;
  @Column('text', { nullable: true }) siteCode: string | null;
  @Column('boolean') priority: boolean;
  /** bigint: pg returns it as text. */
  @Column('bigint') spentFen: string;
  @Column('integer') seatsPreschool: number;
  @Column('integer') seatsPrimary: number;
  @Column('integer') seatsJunior: number;
  @Column('integer', { nullable: true }) capacitySeats: number | null;
  @Column('integer', { nullable: true }) capacityBeds: number | null;
  @Column('date') registeredOn: string;
  @Column('smallint', { nullable: true }) percentComplete: number | null;
  @Column('date', { nullable: true }) lastReportOn: string | null;
  @Column('date', { nullable: true }) stalledSince: string | null;
  @Column('date', { nullable: true }) overrunSince: string | null;
  @Column('timestamptz', { default: () => 'now()' }) createdAt: Date;
}

@Entity('project_milestone')
export class ProjectMilestoneEntity {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid') projectId: string;
  @Column('text') kind: MilestoneKind;
  /** Index in the fixed milestone order. */
  @Column('smallint') position: number;
  @Column('date') plannedDate: string;
  @Column('date', { nullable: true }) completedOn: string | null;
  @Column('date', { nullable: true }) overdueRaisedOn: string | null;
}

@Entity('project_funding')
export class ProjectFundingEntity {
  @PrimaryColumn('uuid') projectId: string;
  @PrimaryColumn('text') source: FundingSource;
  @Column('bigint') amountFen: string;
}

@Entity('progress_report')
export class ProgressReportEntity {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid') projectId: string;
  @Column('date') reportedOn: string;
  @Column('smallint') percentComplete: number;
  @Column('text') narrative: string;
  @Column('jsonb') documents: DocumentRef[];
  @Column('bigint', { nullable: true }) spentFen: string | null;
  @Column('text') reportedBy: string;
  @Column('timestamptz', { default: () => 'now()' }) createdAt: Date;
}

export const PROJECT_ENTITIES = [
  ProjectEntity,
  ProjectMilestoneEntity,
  ProjectFundingEntity,
  ProgressReportEntity,
];
