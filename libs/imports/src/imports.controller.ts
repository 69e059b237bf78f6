import { Controller, Get, NotFoundException, Param, ParseUUIDPipe, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { ApiBearerAuth, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, Min } from 'class-validator';
import { countyScope, CurrentUser, type Principal } from '@edu/auth';
import { ImportRunner } from './import-runner.js';

class ListImportsQuery {
  @ApiPropertyOptional() @IsOptional() @IsString() kind?: string;
  @ApiPropertyOptional({ enum: ['running', 'completed', 'duplicate', 'failed'] })
  @IsOptional()
  @IsIn(['running', 'completed', 'duplicate', 'failed'])
  status?: string;
  @ApiPropertyOptional({ description: 'Page size; the total is in the X-Total-Count header' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit = 50;
  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsInt() @Min(0) offset = 0;
}

class ImportErrorsQuery {
  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(10000) errorsLimit = 1000;
  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsInt() @Min(0) errorsOffset = 0;
}

/** Progress and results of imports; a county operator sees only the imports made for their county. */
@ApiTags('imports')
@ApiBearerAuth()
@Controller('api/imports')
export class ImportsController {
  constructor(private readonly imports: ImportRunner) {}

  /** Newest first, a page at a time; the total that match is in X-Total-Count. */
  @Get()
  async list(
    @Query() q: ListImportsQuery,
    @CurrentUser() user: Principal,
    @Res({ passthrough: true }) res: Response,
  ) {
    const filter = { ...q, scope: countyScope(user) };
    res.setHeader('X-Total-Count', String(await this.imports.count(filter)));
    return this.imports.list(filter);
  }

  @Get(':id')
  async get(
    @Param('id', ParseUUIDPipe) id: string,
    @Query() q: ImportErrorsQuery,
    @CurrentUser() user: Principal,
  ) {
    const summary = await this.imports.summary(id, countyScope(user));
    if (!summary) throw new NotFoundException(`no import ${id}`);
    return { ...summary, rejected: await this.imports.rejectedRows(id, q.errorsLimit, q.errorsOffset) };
  }
}
