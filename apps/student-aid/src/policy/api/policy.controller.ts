import { Body, Controller, Delete, Get, Param, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Roles, type Principal } from '@edu/auth';
import { SavePolicyHandler } from '../application/save-policy.handler.js';
import { PolicyCatalogue } from '../application/policy-catalogue.js';
import { CreatePolicyDto, EditPolicyDto, ListPoliciesQuery, RetirePolicyQuery } from './dto/policy.dto.js';

/** The aid policy catalogue: every edit is a new version with its own effective dates. */
@ApiTags('policies')
@ApiBearerAuth()
@Controller('api/policies')
export class PolicyController {
  constructor(
    private readonly save: SavePolicyHandler,
    private readonly catalogue: PolicyCatalogue,
  ) {}

  @Get()
  list(@Query() q: ListPoliciesQuery) {
    return q.term ? this.catalogue.forTerm(q.term) : this.catalogue.latest();
  }

  @Get(':code')
  versions(@Param('code') code: string) {
    return this.catalogue.versions(code);
  }

  @Post()
  @Roles('city_admin')
  create(@Body() dto: CreatePolicyDto, @CurrentUser() user: Principal) {
    const { code, ...definition } = dto;
    return this.save.create(code, definition, user);
  }

  @Put(':code')
  @Roles('city_admin')
  edit(@Param('code') code: string, @Body() dto: EditPolicyDto, @CurrentUser() user: Principal) {
    const { expectedVersion, ...definition } = dto;
    return this.save.edit(code, definition, user, expectedVersion);
  }

  @Delete(':code')
  @Roles('city_admin')
  retire(@Param('code') code: string, @Query() q: RetirePolicyQuery, @CurrentUser() user: Principal) {
    return this.save.retire(code, q.from, user);
  }
}
