import { Body, Controller, Get, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Roles, type Principal } from '@edu/auth';
import { Clock } from '@edu/service';
import { DefineNoticeTemplateHandler } from '../application/define-notice-template.handler.js';
import { NoticeTemplateRepository } from '../persistence/notice-template.repository.js';
import {
  DefineNoticeTemplateDto,
  ListNoticeTemplatesQuery,
  NoticeTemplateView,
  noticeTemplateViews,
} from './dto/notice-template.dto.js';

@ApiTags('notice templates')
@ApiBearerAuth()
@Controller('api')
export class NoticeTemplateController {
  constructor(
    private readonly templates: NoticeTemplateRepository,
    private readonly define: DefineNoticeTemplateHandler,
    private readonly clock: Clock,
  ) {}

  /** Every version of every notice template, marking the ones in effect now. */
  @Get('notice-templates')
  @ApiOkResponse({ type: NoticeTemplateView, isArray: true })
  async list(@Query() q: ListNoticeTemplatesQuery): Promise<NoticeTemplateView[]> {
    return noticeTemplateViews(await this.templates.list(q), this.clock.now());
  }

  /** A new version; it applies to notices requested from its effectiveFrom on. */
  @Post('notice-templates')
  @Roles('city_admin')
  @ApiCreatedResponse({ type: NoticeTemplateView })
  async add(
    @Body() dto: DefineNoticeTemplateDto,
    @CurrentUser() user: Principal,
  ): Promise<NoticeTemplateView> {
    const { effectiveFrom, ...draft } = dto;
    const t = await this.define.execute(
      { ...draft, effectiveFrom: effectiveFrom ? new Date(effectiveFrom) : undefined },
      user.sub,
    );
    return noticeTemplateViews([t], this.clock.now())[0];
  }
}
