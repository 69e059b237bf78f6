import {
  Body,
  Controller,
  Get,
  Param,
  Post,
  Put,
  Query,
  Req,
  UploadedFile,
  UseInterceptors,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiPropertyOptional, ApiQuery, ApiTags } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import type { Request } from 'express';
import { CurrentUser, Roles, scopedCounty, type Principal } from '@edu/auth';
import { csvSource } from '../../directory/api/csv-upload.js';
import { EditMatrixHandler } from '../application/edit-matrix.handler.js';
import { MatrixView } from '../application/matrix-view.js';

class MatrixEntryDto {
  @ApiPropertyOptional({ example: '学生资助管理中心' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  leadDepartment?: string | null;
  @ApiPropertyOptional({ description: 'official_id of the responsible official' })
  @IsOptional()
  @IsString()
  responsibleOfficialId?: string | null;
  @ApiPropertyOptional({ description: "official_id of the county bureau's head" })
  @IsOptional()
  @IsString()
  bureauHeadOfficialId?: string | null;
  @ApiPropertyOptional({ description: 'official_id of the county party committee contact' })
  @IsOptional()
  @IsString()
  partyCommitteeOfficialId?: string | null;
}

@ApiTags('responsibility')
@ApiBearerAuth()
@Controller('api/responsibility-matrix')
export class ResponsibilityController {
  constructor(
    private readonly view: MatrixView,
    private readonly edit: EditMatrixHandler,
  ) {}

  /** Per jurisdiction and front: lead department, responsible official, bureau head, party committee contact. */
  @Get()
  @ApiQuery({ name: 'county', required: false })
  matrix(@CurrentUser() user: Principal, @Query('county') county?: string) {
    return this.view.matrixOf(scopedCounty(user, county));
  }

  /** Every role or lead department nobody fills: reported, and where its notices go instead. */
  @Get('gaps')
  @ApiQuery({ name: 'county', required: false })
  gaps(@CurrentUser() user: Principal, @Query('county') county?: string) {
    return this.view.gaps(scopedCounty(user, county));
  }

  @Put(':county/:front')
  @Roles('city_admin')
  put(
    @Param('county') county: string,
    @Param('front') front: string,
    @Body() dto: MatrixEntryDto,
    @CurrentUser() user: Principal,
  ) {
    return this.edit.put(county, front, dto, user);
  }

  @Post('import')
  @Roles('city_admin')
  @UseInterceptors(FileInterceptor('file', { limits: { fileSize: 5 * 1024 * 1024, files: 1 } }))
  @ApiConsumes('text/csv', 'multipart/form-data')
  @ApiBody({
    description:
      'CSV: county_code,front,lead_department,responsible_official_id,bureau_head_official_id,party_committee_official_id',
  })
  import(@Req() req: Request, @CurrentUser() user: Principal, @UploadedFile() file?: { buffer: Buffer }) {
    return this.edit.import(csvSource(req, file), user);
  }
}
