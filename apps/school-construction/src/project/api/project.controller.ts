import {
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Patch,
  Post,
  Query,
  Res,
} from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { countyScope, CurrentUser, Roles, scopedCounty, type Principal } from '@edu/auth';
import { CompleteMilestoneHandler } from '../application/complete-milestone.handler.js';
import { CreateProjectHandler } from '../application/create-project.handler.js';
import { ReviseProjectHandler } from '../application/revise-project.handler.js';
import { projectError } from '../domain/project.errors.js';
import { ProjectRepository } from '../persistence/project.repository.js';
import {
  CompleteMilestoneDto,
  CreateProjectDto,
  ListProjectsQuery,
  projectView,
  ReviseProjectDto,
} from './dto/project.dto.js';

export const ProjectId = () => new ParseUUIDPipe({ version: '4' });

@ApiTags('projects')
@ApiBearerAuth()
@Controller('api')
export class ProjectController {
  constructor(
    private readonly createProject: CreateProjectHandler,
    private readonly reviseProject: ReviseProjectHandler,
    private readonly completeMilestone: CompleteMilestoneHandler,
    private readonly projects: ProjectRepository,
  ) {}

  @Post('projects')
  @Roles('city_admin', 'county_operator')
  async create(@Body() dto: CreateProjectDto, @CurrentUser() user: Principal) {
    return projectView(await this.createProject.execute(dto, user));
  }

  /** Oldest first, a page at a time; the total that match is in X-Total-Count. */
  @Get('projects')
  async list(
    @Query() q: ListProjectsQuery,
    @CurrentUser() user: Principal,
    @Res({ passthrough: true }) res: Response,
  ) {
    const { items, total } = await this.projects.list({ ...q, county: scopedCounty(user, q.county) });
    res.setHeader('X-Total-Count', String(total));
    return items.map(projectView);
  }

  @Get('projects/:id')
  async get(@Param('id', ProjectId()) id: string, @CurrentUser() user: Principal) {
    const p = await this.projects.findById(id);
    const scope = countyScope(user);
    if (!p || (scope !== undefined && p.state.countyCode !== scope)) throw projectError.notFound();
    return projectView(p);
  }

  @Patch('projects/:id')
  @Roles('city_admin', 'county_operator')
  async revise(
    @Param('id', ProjectId()) id: string,
    @Body() dto: ReviseProjectDto,
    @CurrentUser() user: Principal,
  ) {
    return projectView(await this.reviseProject.execute(id, dto, user));
  }

  @Post('projects/:id/milestones/:kind/complete')
  @HttpCode(200)
  @Roles('city_admin', 'county_operator')
  async complete(
    @Param('id', ProjectId()) id: string,
    @Param('kind') kind: string,
    @Body() dto: CompleteMilestoneDto,
    @CurrentUser() user: Principal,
  ) {
    return projectView(await this.completeMilestone.execute(id, kind, dto.completedOn, user));
  }
}
