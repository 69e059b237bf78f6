import {
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Post,
  Put,
  Query,
  Res,
  ServiceUnavailableException,
} from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { countyScope, CurrentUser, Roles, scopedCounty, type Principal } from '@edu/auth';
import { DocumentFontError, type OfficialDocument } from '@edu/documents';
import { DomainError } from '@edu/contracts';
import { DocumentRenderer } from '../application/document-renderer.js';
import { FollowUpSweepHandler } from '../application/follow-up-sweep.handler.js';
import { InterviewTransition } from '../application/interview-transition.js';
import {
  accountabilityDocument,
  interviewMinutesDocument,
  interviewNoticeDocument,
} from '../domain/documents.js';
import { interviewError } from '../domain/interview.js';
import { InterviewRepository } from '../persistence/interview.repository.js';
import {
  DocumentQuery,
  HoldInterviewDto,
  interviewView,
  ListInterviewsQuery,
  ListRecommendationsQuery,
  recommendationView,
  RecordMinutesDto,
  RescheduleInterviewDto,
} from './interview.dto.js';

const Id = () => new ParseUUIDPipe();

@ApiTags('interviews')
@ApiBearerAuth()
@Controller('api')
export class InterviewController {
  constructor(
    private readonly interviews: InterviewRepository,
    private readonly transition: InterviewTransition,
    private readonly documents: DocumentRenderer,
    private readonly followUps: FollowUpSweepHandler,
  ) {}

  /** Reminds of the follow-up reports coming due and marks those now due (also runs every SWEEP_INTERVAL_MS). */
  @Post('sweeps/interview-follow-ups')
  @HttpCode(200)
  @Roles('city_admin')
  sweepFollowUps() {
    return this.followUps.execute();
  }

  /** Newest first, a page at a time; the total that match is in X-Total-Count. */
  @Get('interviews')
  async list(
    @Query() q: ListInterviewsQuery,
    @CurrentUser() user: Principal,
    @Res({ passthrough: true }) res: Response,
  ) {
    const { items, total } = await this.interviews.list({ ...q, county: scopedCounty(user, q.county) });
    res.setHeader('X-Total-Count', String(total));
    return items.map(interviewView);
  }

  /** The interview, with the notices that followed it (the minutes, the follow-up reminder). */
  @Get('interviews/:id')
  async get(@Param('id', Id()) id: string, @CurrentUser() user: Principal) {
    return { ...interviewView(await this.visible(id, user)), notices: await this.interviews.notices(id) };
  }

  @Put('interviews/:id/schedule')
  @Roles('city_admin')
  async reschedule(
    @Param('id', Id()) id: string,
    @Body() dto: RescheduleInterviewDto,
    @CurrentUser() user: Principal,
  ) {
    return interviewView(await this.transition.reschedule(id, dto, user));
  }

  @Post('interviews/:id/held')
  @HttpCode(200)
  @Roles('city_admin')
  async hold(@Param('id', Id()) id: string, @Body() dto: HoldInterviewDto, @CurrentUser() user: Principal) {
    return interviewView(await this.transition.hold(id, dto, user));
  }

  @Post('interviews/:id/minutes')
  @HttpCode(200)
  @Roles('city_admin')
  async minutes(
    @Param('id', Id()) id: string,
    @Body() dto: RecordMinutesDto,
    @CurrentUser() user: Principal,
  ) {
    const recorded = await this.transition.recordMinutes(id, dto, user);
    return { ...interviewView(recorded), notices: await this.interviews.notices(id) };
  }

  /** The interview notice (约谈通知书) or its minutes (约谈纪要), as PDF or HTML. */
  @Get('interviews/:id/documents/:document')
  async document(
    @Param('id', Id()) id: string,
    @Param('document') document: string,
    @Query() q: DocumentQuery,
    @CurrentUser() user: Principal,
    @Res() res: Response,
  ) {
    const i = (await this.visible(id, user)).state;
    if (document === 'notice')
      return this.send(res, interviewNoticeDocument(i), `约谈通知书-${i.serial}`, q.format, i.noticedAt);
    if (document === 'minutes' && i.minutes)
      return this.send(
        res,
        interviewMinutesDocument(i),
        `约谈纪要-${i.serial}`,
        q.format,
        i.minutesRecordedAt ?? i.noticedAt,
      );
    throw new DomainError(
      'INTERVIEW_DOCUMENT_NOT_FOUND',
      `no ${document} document for this interview yet`,
      'not_found',
    );
  }

  /** Newest first, a page at a time; the total that match is in X-Total-Count. */
  @Get('accountability-recommendations')
  async recommendations(
    @Query() q: ListRecommendationsQuery,
    @CurrentUser() user: Principal,
    @Res({ passthrough: true }) res: Response,
  ) {
    const { items, total } = await this.interviews.recommendations({
      ...q,
      county: scopedCounty(user, q.county),
    });
    res.setHeader('X-Total-Count', String(total));
    return items.map(recommendationView);
  }

  @Get('accountability-recommendations/:id')
  async recommendation(@Param('id', Id()) id: string, @CurrentUser() user: Principal) {
    return recommendationView(await this.visibleRecommendation(id, user));
  }

  /** The recommendation (追责问责建议书) as PDF or HTML. */
  @Get('accountability-recommendations/:id/document')
  async recommendationDocument(
    @Param('id', Id()) id: string,
    @Query() q: DocumentQuery,
    @CurrentUser() user: Principal,
    @Res() res: Response,
  ) {
    const r = await this.visibleRecommendation(id, user);
    return this.send(res, accountabilityDocument(r), `追责问责建议书-${r.serial}`, q.format, r.generatedAt);
  }

  private async visible(id: string, user: Principal) {
    const i = await this.interviews.findById(id);
    const scope = countyScope(user);
    if (!i || (scope !== undefined && i.state.countyCode !== scope)) throw interviewError.notFound();
    return i;
  }

  private async visibleRecommendation(id: string, user: Principal) {
    const r = await this.interviews.recommendation(id);
    const scope = countyScope(user);
    if (!r || (scope !== undefined && r.countyCode !== scope))
      throw new DomainError('ACCOUNTABILITY_NOT_FOUND', 'no such recommendation', 'not_found');
    return r;
  }

  private async send(res: Response, doc: OfficialDocument, name: string, format: 'pdf' | 'html', at: string) {
    const disposition = `inline; filename*=UTF-8''${encodeURIComponent(`${name}.${format}`)}`;
    if (format === 'html') {
      res.type('text/html; charset=utf-8').setHeader('content-disposition', disposition);
      res.send(this.documents.html(doc));
      return;
    }
    try {
      const pdf = await this.documents.pdf(doc, new Date(at));
      res.type('application/pdf').setHeader('content-disposition', disposition);
      res.send(pdf);
    } catch (e) {
      if (e instanceof DocumentFontError) throw new ServiceUnavailableException(e.message);
      throw e;
    }
  }
}
