import { Controller, Get, HttpCode, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { CurrentUser, Roles, scopedCounty, type Principal } from '@edu/auth';
import { ImportRunner, readUpload, XLSX_CONTENT_TYPE } from '@edu/imports';
import { ExportProjectsHandler } from '../application/export-projects.handler.js';
import { ProjectImportKind } from '../application/project-import.kind.js';
import { ImportQuery, ProjectFilterQuery } from './dto/project.dto.js';

/**
 * Projects in and out as spreadsheets. Registered before ProjectController so that
 * `projects/export` is not taken for a project id.
 */
@ApiTags('projects')
@ApiBearerAuth()
@Controller('api/projects')
export class ProjectTransferController {
  constructor(
    private readonly imports: ImportRunner,
    private readonly projectImport: ProjectImportKind,
    private readonly exportProjects: ExportProjectsHandler,
  ) {}

  @Post('import')
  @HttpCode(200)
  @Roles('city_admin', 'county_operator')
  @ApiConsumes('text/csv', XLSX_CONTENT_TYPE, 'multipart/form-data')
  @ApiBody({
    description:
      'CSV or XLSX, one project a row keyed by code. Columns: code, name, kind, county_code, <milestone>_planned ' +
      'for the six milestones; optional site_code, priority, funding_<source>, spent_to_date, seats_<stage>, ' +
      'capacity_seats, capacity_beds. Progress: GET /api/imports/{importId}.',
  })
  async import(@Req() req: Request, @Query() q: ImportQuery, @CurrentUser() user: Principal) {
    return this.imports.run(this.projectImport, await readUpload(req), user, { importId: q.importId });
  }

  @Get('export')
  @ApiProduces(XLSX_CONTENT_TYPE)
  async export(@Query() q: ProjectFilterQuery, @CurrentUser() user: Principal, @Res() res: Response) {
    res.setHeader('content-type', XLSX_CONTENT_TYPE);
    res.setHeader('content-disposition', `attachment; filename="${this.exportProjects.filename()}"`);
    await this.exportProjects.write(res, { ...q, county: scopedCounty(user, q.county) });
    res.end();
  }
}
