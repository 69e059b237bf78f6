import { Controller, Get, Post, Query, Req, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { CurrentUser, Roles, scopedCounty, type Principal } from '@edu/auth';
import { ImportOfficialsHandler } from '../application/import-officials.handler.js';
import { DirectoryRepository } from '../persistence/directory.repository.js';
import { csvSource } from './csv-upload.js';

const UPLOAD_LIMIT = { limits: { fileSize: 5 * 1024 * 1024, files: 1 } };

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

  @Get('officials')
  @ApiQuery({ name: 'county', required: false })
  officials(@CurrentUser() user: Principal, @Query('county') county?: string) {
    return this.directory.listOfficials(scopedCounty(user, county));
  }

  @Get('jurisdictions')
  jurisdictions() {
    return this.directory.jurisdictions();
  }
}
