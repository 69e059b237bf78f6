import { Controller, Get, NotFoundException, Param, ParseUUIDPipe, Query } from '@nestjs/common';
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
  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(200) limit = 50;
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

  @Get()
  list(@Query() q: ListImportsQuery, @CurrentUser() user: Principal) {
    return this.imports.list({ ...q, scope: countyScope(user) });
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
