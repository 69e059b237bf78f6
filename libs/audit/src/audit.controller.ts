import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsISO8601, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import type { Response } from 'express';
import { Roles } from '@edu/auth';
import { AuditLog, type AuditOutcome } from './audit-log.js';

export class AuditQuery {
  @ApiPropertyOptional({ description: 'Who (the token subject)' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  actor?: string;

  @ApiPropertyOptional({ description: 'e.g. POST /api/cases/:id/close' })
  @IsOptional()
  @IsString()
  @MaxLength(300)
  action?: string;

  @ApiPropertyOptional({ description: 'The path acted on, e.g. /api/cases/<id>/close' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  target?: string;

  @ApiPropertyOptional({ enum: ['done', 'refused', 'failed'] })
  @IsOptional()
  @IsIn(['done', 'refused', 'failed'])
  outcome?: AuditOutcome;

  @ApiPropertyOptional({ description: 'From (inclusive), ISO 8601' })
  @IsOptional()
  @IsISO8601({ strict: true })
  from?: string;

  @ApiPropertyOptional({ description: 'To (exclusive), ISO 8601' })
  @IsOptional()
  @IsISO8601({ strict: true })
  to?: string;

  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(1000) limit = 100;
  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsInt() @Min(0) @Max(10_000_000) offset = 0;
}

@ApiTags('audit')
@ApiBearerAuth()
@Controller('api/audit')
export class AuditController {
  constructor(private readonly audit: AuditLog) {}

  /** The service's audit log, newest first (city admins only); the total in X-Total-Count. */
  @Get()
  @Roles('city_admin')
  async list(@Query() q: AuditQuery, @Res({ passthrough: true }) res: Response) {
    const { rows, total } = await this.audit.list(q);
    res.setHeader('X-Total-Count', String(total));
    return rows;
  }
}
