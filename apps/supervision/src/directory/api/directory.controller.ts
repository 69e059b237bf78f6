import { Controller, Get, Post, Query, Req, Res, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import type { Request, Response } from 'express';
import { CurrentUser, Roles, scopedCounty, type Principal } from '@edu/auth';
import { ImportOfficialsHandler } from '../application/import-officials.handler.js';
import { DirectoryRepository } from '../persistence/directory.repository.js';
import { csvSource } from './csv-upload.js';

const UPLOAD_LIMIT = { limits: { fileSize: 5 * 1024 * 1024, files: 1 } };

class ListOfficialsQuery {
  @ApiPropertyOptional() @IsOptional() @Matches(/^\d{6}$/) county?: string;
  @ApiPropertyOptional({ description: 'Page size; the total is in the X-Total-Count header' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit = 100;
  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsInt() @Min(0) offset = 0;
}

@ApiTags('directory')
@ApiBearerAuth()
@Controller('api')
export class DirectoryController {
  constructor(
    private readonly importOfficials: ImportOfficialsHandler,
    private readonly directory: DirectoryRepository,
  ) {}

  @Post('officials/import')
  @Roles('city_admin')
  @UseInterceptors(FileInterceptor('file', UPLOAD_LIMIT))
  @ApiConsumes('text/csv', 'multipart/form-data')
  @ApiBody({ description: 'CSV: official_id,name,title,county_code,front,role,phone,email' })
  import(@Req() req: Request, @UploadedFile() file?: { buffer: Buffer }) {
    return this.importOfficials.execute(csvSource(req, file));
  }

  /** By county and id, a page at a time; the total that match is in X-Total-Count. */
  @Get('officials')
  async officials(
    @Query() q: ListOfficialsQuery,
    @CurrentUser() user: Principal,
    @Res({ passthrough: true }) res: Response,
  ) {
    const { items, total } = await this.directory.pageOfficials({
      ...q,
      county: scopedCounty(user, q.county),
    });
    res.setHeader('X-Total-Count', String(total));
    return items;
  }

  @Get('jurisdictions')
  jurisdictions() {
    return this.directory.jurisdictions();
  }
}
