import { Controller, Get, Param, ParseUUIDPipe, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { countyScope, CurrentUser, scopedCounty, type Principal } from '@edu/auth';
import { GetNotificationHandler } from '../application/get-notification.handler.js';
import { NotificationRepository } from '../persistence/notification.repository.js';
import {
  ListNotificationsQuery,
  NotificationDetailView,
  notificationDetailView,
  NotificationView,
  notificationView,
} from './dto/notification.dto.js';

@ApiTags('notifications')
@ApiBearerAuth()
@Controller('api')
export class NotificationController {
  constructor(
    private readonly notifications: NotificationRepository,
    private readonly getNotification: GetNotificationHandler,
  ) {}

  /** Messages, newest first, a page at a time (X-Total-Count: all that match); a county operator sees its county only. */
  @Get('notifications')
  @ApiOkResponse({ type: NotificationView, isArray: true })
  async list(
    @Query() q: ListNotificationsQuery,
    @CurrentUser() user: Principal,
    @Res({ passthrough: true }) res: Response,
  ): Promise<NotificationView[]> {
    const { from, to, ...rest } = q;
    const { items, total } = await this.notifications.list({
      ...rest,
      from: from ? new Date(from) : undefined,
      to: to ? new Date(to) : undefined,
      county: scopedCounty(user, q.county),
    });
    res.setHeader('X-Total-Count', String(total));
    return items.map(notificationView);
  }

  /** One message with every attempt, its provider ids and receipts. */
  @Get('notifications/:id')
  @ApiOkResponse({ type: NotificationDetailView })
  async get(
    @Param('id', new ParseUUIDPipe()) id: string,
    @CurrentUser() user: Principal,
  ): Promise<NotificationDetailView> {
    const detail = await this.getNotification.execute(id, countyScope(user));
    return notificationDetailView(detail.notification, detail);
  }
}
