import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { randomUUID } from 'node:crypto';
import { assertCountyAccess, type Principal } from '@edu/auth';
import { Project } from '../domain/project.js';
import { ProjectRepository } from '../persistence/project.repository.js';

export interface CreateProjectCommand {
  name: string;
  kind: string;
  countyCode: string;
  siteCode?: string;
  capacitySeats?: number;
  capacityBeds?: number;
  milestones: { kind: string; plannedDate: string }[];
}

/** Registers a project with its six planned milestones. */
@Injectable()
export class CreateProjectHandler {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly projects: ProjectRepository,
  ) {}

  async execute(cmd: CreateProjectCommand, by: Principal): Promise<Project> {
    assertCountyAccess(by, cmd.countyCode);
    const project = Project.create({
      ...cmd,
      id: randomUUID(),
      milestones: cmd.milestones.map((m) => ({ id: randomUUID(), kind: m.kind, plannedDate: m.plannedDate })),
    });
    await this.dataSource.transaction((em) => this.projects.insert(em, project));
    return project;
  }
}
