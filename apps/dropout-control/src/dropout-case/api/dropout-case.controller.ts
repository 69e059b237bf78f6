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
import { ApiBearerAuth, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { AuditRead } from '@edu/audit';
import { CurrentUser, Roles, scopedCounty, type Principal } from '@edu/auth';
import { writeXlsx, XLSX_CONTENT_TYPE } from '@edu/imports';
import { Clock } from '@edu/service';
import { AssessDisabilityHandler } from '../application/assess-disability.handler.js';
import { CloseDropoutCaseHandler } from '../application/close-dropout-case.handler.js';
import { LogPersuasionAttemptHandler } from '../application/log-persuasion-attempt.handler.js';
import { OpenDropoutCaseHandler } from '../application/open-dropout-case.handler.js';
import { PlanDropoutCaseHandler } from '../application/plan-dropout-case.handler.js';
import { ReadDropoutCases } from '../application/read-dropout-cases.js';
import { ReopenDropoutCaseHandler } from '../application/reopen-dropout-case.handler.js';
import { ResolveDropoutCaseHandler } from '../application/resolve-dropout-case.handler.js';
import { SweepOverdueCasesHandler } from '../application/sweep-overdue-cases.handler.js';
import { VerifyDropoutCaseHandler } from '../application/verify-dropout-case.handler.js';
import { caseExportColumns } from './case-export.js';
import {
  AssessDisabilityDto,
  CaseFilterQuery,
  caseView,
  CloseDropoutCaseDto,
  ListDropoutCasesQuery,
  LogPersuasionAttemptDto,
  OpenDropoutCaseDto,
  PlanDropoutCaseDto,
  ReopenDropoutCaseDto,
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
    private readonly logAttempt: LogPersuasionAttemptHandler,
    private readonly assessCase: AssessDisabilityHandler,
    private readonly resolveCase: ResolveDropoutCaseHandler,
    private readonly closeCase: CloseDropoutCaseHandler,
    private readonly reopenCase: ReopenDropoutCaseHandler,
    private readonly sweepOverdue: SweepOverdueCasesHandler,
    private readonly read: ReadDropoutCases,
    private readonly clock: Clock,
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

  /** The ledger, most urgent first; the total number of matching cases is in X-Total-Count. */
  @Get('cases')
  async list(
    @Query() q: ListDropoutCasesQuery,
    @CurrentUser() user: Principal,
    @Res({ passthrough: true }) res: Response,
  ) {
    const { cases, total } = await this.read.list({ ...q, county: scopedCounty(user, q.county) }, q);
    res.setHeader('X-Total-Count', String(total));
    return cases.map((c) => caseView(c, user));
  }

  @Get('cases/export')
  @AuditRead()
  @ApiProduces(XLSX_CONTENT_TYPE)
  async export(@Query() q: CaseFilterQuery, @CurrentUser() user: Principal, @Res() res: Response) {
    const filter = { ...q, county: scopedCounty(user, q.county) };
    res.setHeader('Content-Type', XLSX_CONTENT_TYPE);
    res.setHeader('Content-Disposition', 'attachment; filename="dropout-cases.xlsx"');
    await writeXlsx(res, 'cases', caseExportColumns(user, this.clock.today()), this.read.stream(filter));
    res.end();
  }

  @Get('cases/:id')
  async get(@Param('id', CaseId()) id: string, @CurrentUser() user: Principal) {
    return caseView(await this.read.get(id, user), user);
  }

  @Get('cases/:id/history')
  history(@Param('id', CaseId()) id: string, @CurrentUser() user: Principal) {
    return this.read.history(id, user);
  }

  @Get('cases/:id/attempts')
  attempts(@Param('id', CaseId()) id: string, @CurrentUser() user: Principal) {
    return this.read.attempts(id, user);
  }

  @Post('cases/:id/attempts')
  @Roles('city_admin', 'county_operator')
  addAttempt(
    @Param('id', CaseId()) id: string,
    @Body() dto: LogPersuasionAttemptDto,
    @CurrentUser() user: Principal,
  ) {
    return this.logAttempt.execute(id, dto, user);
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

  @Post('cases/:id/assess')
  @HttpCode(200)
  @Roles('city_admin', 'county_operator')
  async assess(
    @Param('id', CaseId()) id: string,
    @Body() dto: AssessDisabilityDto,
    @CurrentUser() user: Principal,
  ) {
    return caseView(await this.assessCase.execute(id, dto, user), user);
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

  @Post('cases/:id/reopen')
  @HttpCode(200)
  @Roles('city_admin', 'county_operator')
  async reopen(
    @Param('id', CaseId()) id: string,
    @Body() dto: ReopenDropoutCaseDto,
    @CurrentUser() user: Principal,
  ) {
    return caseView(await this.reopenCase.execute(id, dto, user), user);
  }

  @Post('sweeps/overdue')
  @HttpCode(200)
  @Roles('city_admin')
  sweep() {
    return this.sweepOverdue.execute();
  }
}
