import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { MilestoneKind, ProjectKind } from '../domain/project.js';

@Entity('project')
export class ProjectEntity {
  @PrimaryColumn('uuid') id: string;
  @Column('text') name: string;
  @Column('text') kind: ProjectKind;
  @Column('char', { length: 6 }) countyCode: string;
  @Column('text', { nullable: true }) siteCode: string | null;
  @Column('integer', { nullable: true }) capacitySeats: number | null;
  @Column('integer', { nullable: true }) capacityBeds: number | null;
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
