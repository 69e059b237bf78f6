import { Module } from '@nestjs/common';
import { NotificationController } from './api/notification.controller.js';
import { AcceptNotificationRequestHandler } from './application/accept-notification-request.handler.js';
import { DispatchNotificationsHandler } from './application/dispatch-notifications.handler.js';
import { NotificationDispatcher } from './application/notification-dispatcher.js';
import { RecordSmsReceiptHandler } from './application/record-sms-receipt.handler.js';
import { channelProviders } from './channels/channel-providers.js';
import { NotificationRequestedConsumer } from './messaging/notification-requested.consumer.js';
import { NotificationRepository } from './persistence/notification.repository.js';

@Module({
  controllers: [NotificationController, NotificationRequestedConsumer],
  providers: [
    ...channelProviders,
    NotificationRepository,
    AcceptNotificationRequestHandler,
    DispatchNotificationsHandler,
    RecordSmsReceiptHandler,
    NotificationDispatcher,
  ],
})
export class NotificationModule {}
