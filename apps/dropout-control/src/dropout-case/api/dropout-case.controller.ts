import {
  Body,
  Controller,
  Get,
  HttpCode,
  HttpStatus,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
  Res,
} from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { countyScope, CurrentUser, Roles, scopedCounty, type Principal } from '@edu/auth';
import { CloseDropoutCaseHandler } from '../application/close-dropout-case.handler.js';
import { OpenDropoutCaseHandler } from '../application/open-dropout-case.handler.js';
import { PlanDropoutCaseHandler } from '../application/plan-dropout-case.handler.js';
import { ResolveDropoutCaseHandler } from '../application/resolve-dropout-case.handler.js';
import { SweepOverdueCasesHandler } from '../application/sweep-overdue-cases.handler.js';
import { VerifyDropoutCaseHandler } from '../application/verify-dropout-case.handler.js';
import { caseError } from '../domain/dropout-case.errors.js';
import { DropoutCaseRepository } from '../persistence/dropout-case.repository.js';
import {
  caseView,
  CloseDropoutCaseDto,
  ListDropoutCasesQuery,
  OpenDropoutCaseDto,
  PlanDropoutCaseDto,
  ResolveDropoutCaseDto,
  VerifyDropoutCaseDto,
} from './dto/dropout-case.dto.js';

const CaseId = () => new ParseUUIDPipe({ version: '4' });

@ApiTags('dropout cases')
@ApiBearerAuth()
@Controller('api')
export class DropoutCaseController {
  constructor(
    private readonly openCase: OpenDropoutCaseHandler,
    private readonly verifyCase: VerifyDropoutCaseHandler,
    private readonly planCase: PlanDropoutCaseHandler,
    private readonly resolveCase: ResolveDropoutCaseHandler,
    private readonly closeCase: CloseDropoutCaseHandler,
    private readonly sweepOverdue: SweepOverdueCasesHandler,
    private readonly cases: DropoutCaseRepository,
  ) {}

  @Post('cases')
  @Roles('city_admin', 'county_operator')
  async open(
    @Body() dto: OpenDropoutCaseDto,
    @CurrentUser() user: Principal,
    @Res({ passthrough: true }) res: Response,
  ) {
    const { dropoutCase, created } = await this.openCase.execute(dto, user);
    // 201 for a new case, 200 for the child's case that was already open.
    res.status(created ? HttpStatus.CREATED : HttpStatus.OK);
    return { ...caseView(dropoutCase, user), created };
  }

  @Get('cases')
  async list(@Query() q: ListDropoutCasesQuery, @CurrentUser() user: Principal) {
    const rows = await this.cases.list({ ...q, county: scopedCounty(user, q.county) });
    return rows.map((c) => caseView(c, user));
  }

  @Get('cases/:id')
  async get(@Param('id', CaseId()) id: string, @CurrentUser() user: Principal) {
    const c = await this.cases.findById(id);
    const scope = countyScope(user);
    if (!c || (scope !== undefined && c.state.countyCode !== scope)) throw caseError.notFound();
    return caseView(c, user);
  }

  @Post('cases/:id/verify')
  @HttpCode(200)
  @Roles('city_admin', 'county_operator')
  async verify(
    @Param('id', CaseId()) id: string,
    @Body() dto: VerifyDropoutCaseDto,
    @CurrentUser() user: Principal,
  ) {
    return caseView(await this.verifyCase.execute(id, dto, user), user);
  }

  @Post('cases/:id/plan')
  @HttpCode(200)
  @Roles('city_admin', 'county_operator')
  async plan(
    @Param('id', CaseId()) id: string,
    @Body() dto: PlanDropoutCaseDto,
    @CurrentUser() user: Principal,
  ) {
    return caseView(await this.planCase.execute(id, dto, user), user);
  }

  @Post('cases/:id/resolve')
  @HttpCode(200)
  @Roles('city_admin', 'county_operator')
  async resolve(
    @Param('id', CaseId()) id: string,
    @Body() dto: ResolveDropoutCaseDto,
    @CurrentUser() user: Principal,
  ) {
    return caseView(await this.resolveCase.execute(id, dto, user), user);
  }

  @Post('cases/:id/close')
  @HttpCode(200)
  @Roles('city_admin', 'county_operator')
  async close(
    @Param('id', CaseId()) id: string,
    @Body() dto: CloseDropoutCaseDto,
    @CurrentUser() user: Principal,
  ) {
    return caseView(await this.closeCase.execute(id, dto, user), user);
  }

  @Post('sweeps/overdue')
  @HttpCode(200)
  @Roles('city_admin')
  sweep() {
    return this.sweepOverdue.execute();
  }
}
