import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentUser, scopedCounty, type Principal } from '@edu/auth';
import { NotificationRepository } from '../persistence/notification.repository.js';
import { ListNotificationsQuery, NotificationView, notificationView } from './dto/notification.dto.js';

@ApiTags('notifications')
@ApiBearerAuth()
@Controller('api')
export class NotificationController {
  constructor(private readonly notifications: NotificationRepository) {}

  /** Messages, newest first; a county operator sees those of its county only. */
  @Get('notifications')
  @ApiOkResponse({ type: NotificationView, isArray: true })
  async list(
    @Query() q: ListNotificationsQuery,
    @CurrentUser() user: Principal,
  ): Promise<NotificationView[]> {
    const rows = await this.notifications.list({ ...q, county: scopedCounty(user, q.county) });
    return rows.map(notificationView);
  }
}
