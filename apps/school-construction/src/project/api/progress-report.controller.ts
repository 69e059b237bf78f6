import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { countyScope, CurrentUser, Roles, type Principal } from '@edu/auth';
import { ReportProgressHandler } from '../application/report-progress.handler.js';
import { projectError } from '../domain/project.errors.js';
import { ProjectRepository } from '../persistence/project.repository.js';
import { ListReportsQuery, ReportProgressDto, reportView } from './dto/project.dto.js';
import { ProjectId } from './project.controller.js';

@ApiTags('progress reports')
@ApiBearerAuth()
@Controller('api/projects/:id/progress-reports')
export class ProgressReportController {
  constructor(
    private readonly reportProgress: ReportProgressHandler,
    private readonly projects: ProjectRepository,
  ) {}

  @Post()
  @Roles('city_admin', 'county_operator')
  async report(
    @Param('id', ProjectId()) id: string,
    @Body() dto: ReportProgressDto,
    @CurrentUser() user: Principal,
  ) {
    return reportView(await this.reportProgress.execute(id, dto, user));
  }

  @Get()
  async list(
    @Param('id', ProjectId()) id: string,
    @Query() q: ListReportsQuery,
    @CurrentUser() user: Principal,
  ) {
    const p = await this.projects.findById(id);
    const scope = countyScope(user);
    if (!p || (scope !== undefined && p.state.countyCode !== scope)) throw projectError.notFound();
    return (await this.projects.reports(id, q.limit, q.offset)).map(reportView);
  }
}
