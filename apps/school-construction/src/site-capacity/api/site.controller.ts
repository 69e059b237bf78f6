import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import type { Response } from 'express';
import { countyScope, CurrentUser, scopedCounty, type Principal } from '@edu/auth';
import { siteCapacityError } from '../domain/site-capacity.errors.js';
import { SiteRepository } from '../persistence/site.repository.js';

export class ListSitesQuery {
  @ApiPropertyOptional() @IsOptional() @Matches(/^\d{6}$/) county?: string;

  @ApiPropertyOptional({ description: 'Only sites with a stage short of seats' })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  short?: boolean;

  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(1000) limit = 100;
  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsInt() @Min(0) offset = 0;
}

/** Relocation sites: children counted by stage, seats of the projects serving them, open shortfalls. */
@ApiTags('sites')
@ApiBearerAuth()
@Controller('api/sites')
export class SiteController {
  constructor(private readonly sites: SiteRepository) {}

  /** By county and code, a page at a time; the total that match is in X-Total-Count. */
  @Get()
  async list(
    @Query() q: ListSitesQuery,
    @CurrentUser() user: Principal,
    @Res({ passthrough: true }) res: Response,
  ) {
    const { items, total } = await this.sites.list({ ...q, county: scopedCounty(user, q.county) });
    res.setHeader('X-Total-Count', String(total));
    return items;
  }

  @Get(':siteCode')
  async get(@Param('siteCode') siteCode: string, @CurrentUser() user: Principal) {
    const site = await this.sites.find(siteCode);
    const scope = countyScope(user);
    if (!site || (scope !== undefined && site.countyCode !== scope)) throw siteCapacityError.notFound();
    return site;
  }
}
