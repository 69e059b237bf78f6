import {
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Patch,
  Post,
  Query,
  Req,
  StreamableFile,
  UnsupportedMediaTypeException,
  UploadedFile,
  UseInterceptors,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiTags } from '@nestjs/swagger';
import { PassThrough, Readable } from 'node:stream';
import type { Request } from 'express';
import { capBytes, uploadLimit, type TabularFormat } from '@edu/imports';
import { countyScope, CurrentUser, Roles, scopedCounty, type Principal } from '@edu/auth';
import { Clock } from '@edu/service';
import { ImportProblemsHandler } from '../application/import-problems.handler.js';
import { LedgerQuery, problemView } from '../application/ledger-query.js';
import { ProblemTransition } from '../application/problem-transition.js';
import { RegisterProblemHandler } from '../application/register-problem.handler.js';
import { SweepOverdueProblemsHandler } from '../application/sweep-overdue-problems.handler.js';
import { rectificationError } from '../domain/rectification-problem.js';
import { RectificationRepository } from '../persistence/rectification.repository.js';
import {
  AddEvidenceDto,
  LedgerQueryDto,
  RegisterProblemDto,
  RejectClosureDto,
  RequestClosureDto,
  ReviseProblemDto,
} from './rectification.dto.js';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const Id = () => new ParseUUIDPipe();

/** The upload as a stream and its format: a multipart field `file`, or a CSV or XLSX body. */
function upload(req: Request, file?: { buffer: Buffer; originalname?: string; mimetype?: string }) {
  if (file) {
    const xlsx = file.mimetype === XLSX || /\.xlsx$/i.test(file.originalname ?? '');
    const format: TabularFormat = xlsx ? 'xlsx' : 'csv';
    return { source: Readable.from(file.buffer), format };
  }
  // A raw body is capped like the multipart file (20 MiB).
  const capped = () => capBytes(req, Math.min(uploadLimit(req), 20 * 1024 * 1024));
  if (req.is(XLSX)) return { source: capped(), format: 'xlsx' as const };
  if (req.is('text/csv') || req.is('text/plain')) return { source: capped(), format: 'csv' as const };
  throw new UnsupportedMediaTypeException(`send a text/csv or ${XLSX} body, or the multipart field "file"`);
}

@ApiTags('rectification ledger')
@ApiBearerAuth()
@Controller('api')
export class RectificationController {
  constructor(
    private readonly register: RegisterProblemHandler,
    private readonly importProblems: ImportProblemsHandler,
    private readonly transition: ProblemTransition,
    private readonly ledgerQuery: LedgerQuery,
    private readonly problems: RectificationRepository,
    private readonly sweep: SweepOverdueProblemsHandler,
    private readonly clock: Clock,
  ) {}

  @Post('rectification/problems')
  @Roles('city_admin', 'county_operator')
  async create(@Body() dto: RegisterProblemDto, @CurrentUser() user: Principal) {
    return problemView(await this.register.execute(dto, user), this.clock.today());
  }

  @Post('rectification/problems/import')
  @Roles('city_admin', 'county_operator')
  @UseInterceptors(FileInterceptor('file', { limits: { fileSize: 20 * 1024 * 1024, files: 1 } }))
  @ApiConsumes('text/csv', XLSX, 'multipart/form-data')
  @ApiBody({
    description:
      'Columns (English names or the exported Chinese headings): ref, source, description, county_code, front, ' +
      'measures, found_on, deadline, lead_department, responsible_leader',
  })
  import(
    @Req() req: Request,
    @CurrentUser() user: Principal,
    @UploadedFile() file?: { buffer: Buffer; originalname?: string; mimetype?: string },
  ) {
    const { source, format } = upload(req, file);
    return this.importProblems.execute(source, format, user);
  }

  @Get('rectification/problems/:id')
  async get(@Param('id', Id()) id: string, @CurrentUser() user: Principal) {
    const p = await this.problems.findById(id);
    const scope = countyScope(user);
    if (!p || (scope !== undefined && p.state.countyCode !== scope)) throw rectificationError.notFound();
    return problemView(p, this.clock.today());
  }

  @Patch('rectification/problems/:id')
  @Roles('city_admin', 'county_operator')
  async revise(@Param('id', Id()) id: string, @Body() dto: ReviseProblemDto, @CurrentUser() user: Principal) {
    return problemView(await this.transition.revise(id, dto, user), this.clock.today());
  }

  @Post('rectification/problems/:id/evidence')
  @HttpCode(200)
  @Roles('city_admin', 'county_operator')
  async evidence(@Param('id', Id()) id: string, @Body() dto: AddEvidenceDto, @CurrentUser() user: Principal) {
    return problemView(await this.transition.addEvidence(id, dto.evidence, user), this.clock.today());
  }

  /** The maker asks to close the problem (对账销号) against the evidence on file. */
  @Post('rectification/problems/:id/closure-request')
  @HttpCode(200)
  @Roles('city_admin', 'county_operator')
  async requestClosure(
    @Param('id', Id()) id: string,
    @Body() dto: RequestClosureDto,
    @CurrentUser() user: Principal,
  ) {
    return problemView(await this.transition.requestClosure(id, dto.evidence, user), this.clock.today());
  }

  /** A second person closes it; the one who asked cannot. */
  @Post('rectification/problems/:id/closure-approval')
  @HttpCode(200)
  @Roles('city_admin', 'county_operator', 'aid_auditor')
  async approveClosure(@Param('id', Id()) id: string, @CurrentUser() user: Principal) {
    return problemView(await this.transition.approveClosure(id, user), this.clock.today());
  }

  @Post('rectification/problems/:id/closure-rejection')
  @HttpCode(200)
  @Roles('city_admin', 'county_operator', 'aid_auditor')
  async rejectClosure(
    @Param('id', Id()) id: string,
    @Body() dto: RejectClosureDto,
    @CurrentUser() user: Principal,
  ) {
    return problemView(await this.transition.rejectClosure(id, dto.reason, user), this.clock.today());
  }

  /** The ledger, filtered; `format=xlsx` (or Accept: the XLSX type) downloads it as a workbook. */
  @Get('rectification/ledger')
  ledger(@Query() q: LedgerQueryDto, @CurrentUser() user: Principal, @Req() req: Request) {
    const filter = {
      county: scopedCounty(user, q.county),
      front: q.front,
      status: q.status,
      source: q.source,
      overdue: q.overdue,
    };
    if (q.format === 'xlsx' || (q.format === undefined && req.accepts(['application/json', XLSX]) === XLSX)) {
      const out = new PassThrough();
      this.ledgerQuery.xlsx(filter, out).catch((e: Error) => out.destroy(e));
      return new StreamableFile(out, {
        type: XLSX,
        disposition: `attachment; filename*=UTF-8''${encodeURIComponent(`整改台账-${this.clock.today()}.xlsx`)}`,
      });
    }
    return this.ledgerQuery.page(filter, q.limit, q.after);
  }

  /** Escalates every problem now past its deadline (also runs every SWEEP_INTERVAL_MS). */
  @Post('sweeps/rectification-overdue')
  @HttpCode(200)
  @Roles('city_admin')
  runSweep() {
    return this.sweep.execute();
  }
}
