import { Controller, HttpStatus, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, IsUUID } from 'class-validator';
import type { Request, Response } from 'express';
import { CurrentUser, Roles, type Principal } from '@edu/auth';
import { readUpload, XLSX_CONTENT_TYPE } from '@edu/imports';
import { ImportRegistryHandler, type Registry } from '../application/import-registry.handler.js';

class ImportQuery {
  @ApiPropertyOptional({
    description: 'Choose the import id, to follow its progress at GET /api/imports/{id}',
  })
  @IsOptional()
  @IsUUID()
  importId?: string;
}

const FILE_BODY = {
  schema: { type: 'object', properties: { file: { type: 'string', format: 'binary' } } },
  description: 'multipart field "file" (.csv or .xlsx), or the raw CSV / XLSX body',
};

/**
 * Registry imports: each row checked (ID check digit and birth date, codes, enums); the
 * response lists every rejected row; the same file twice changes nothing; a cross-check runs after.
 */
@ApiTags('registries')
@ApiBearerAuth()
@Controller('api/registry')
export class RegistryController {
  constructor(private readonly imports: ImportRegistryHandler) {}

  @Post('students/import')
  @Roles('city_admin', 'county_operator')
  @ApiConsumes('multipart/form-data', 'text/csv', XLSX_CONTENT_TYPE)
  @ApiBody(FILE_BODY)
  importStudents(
    @Req() req: Request,
    @Query() q: ImportQuery,
    @CurrentUser() user: Principal,
    @Res({ passthrough: true }) res: Response,
  ) {
    return this.run('students', req, q, user, res);
  }

  @Post('poverty/import')
  @Roles('city_admin', 'county_operator')
  @ApiConsumes('multipart/form-data', 'text/csv', XLSX_CONTENT_TYPE)
  @ApiBody(FILE_BODY)
  importPoverty(
    @Req() req: Request,
    @Query() q: ImportQuery,
    @CurrentUser() user: Principal,
    @Res({ passthrough: true }) res: Response,
  ) {
    return this.run('poverty', req, q, user, res);
  }

  private async run(registry: Registry, req: Request, q: ImportQuery, user: Principal, res: Response) {
    const result = await this.imports.execute(registry, await readUpload(req), user, q.importId);
    // 200 for a file already imported: nothing changed.
    res.status(result.status === 'duplicate' ? HttpStatus.OK : HttpStatus.CREATED);
    return result;
  }
}
