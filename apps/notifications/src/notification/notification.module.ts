import { Module } from '@nestjs/common';
import { NOTIFICATIONS_CONFIG, type NotificationsSettings } from '../notifications.config.js';
import { NoticeTemplateController } from './api/notice-template.controller.js';
import { NotificationController } from './api/notification.controller.js';
import { SmsReceiptController } from './api/sms-receipt.controller.js';
import { AcceptNotificationRequestHandler } from './application/accept-notification-request.handler.js';
import { AcceptSmsReportsHandler } from './application/accept-sms-reports.handler.js';
import { CancelEscalationNotificationsHandler } from './application/cancel-escalation-notifications.handler.js';
import { DefineNoticeTemplateHandler } from './application/define-notice-template.handler.js';
import { DispatchNotificationsHandler } from './application/dispatch-notifications.handler.js';
import { ExpireUnreceiptedSmsHandler } from './application/expire-unreceipted-sms.handler.js';
import { GetNotificationHandler } from './application/get-notification.handler.js';
import { NoticeTemplateSeeder } from './application/notice-template-seeder.js';
import { NotificationDispatcher } from './application/notification-dispatcher.js';
import { NotificationSettlement } from './application/notification-settlement.js';
import { RecordSmsReceiptHandler } from './application/record-sms-receipt.handler.js';
import { channelProviders } from './channels/channel-providers.js';
import { SendWindow } from './domain/send-window.js';
import { EscalationResolvedConsumer } from './messaging/escalation-resolved.consumer.js';
import { NotificationRequestedConsumer } from './messaging/notification-requested.consumer.js';
import { NoticeRequestRepository } from './persistence/notice-request.repository.js';
import { NoticeTemplateRepository } from './persistence/notice-template.repository.js';
import { NotificationRepository } from './persistence/notification.repository.js';
import { ProviderRateRepository } from './persistence/provider-rate.repository.js';

@Module({
  controllers: [
    NotificationController,
    NoticeTemplateController,
    SmsReceiptController,
    NotificationRequestedConsumer,
    EscalationResolvedConsumer,
  ],
  providers: [
    ...channelProviders,
    {
      provide: SendWindow,
      inject: [NOTIFICATIONS_CONFIG],
      useFactory: (s: NotificationsSettings) =>
        SendWindow.parse(s.smsSendWindow, s.smsSendTimeZone) ?? SendWindow.always(s.smsSendTimeZone),
    },
    NotificationRepository,
    NoticeRequestRepository,
    NoticeTemplateRepository,
    ProviderRateRepository,
    NoticeTemplateSeeder,
    NotificationSettlement,
    AcceptNotificationRequestHandler,
    DispatchNotificationsHandler,
    RecordSmsReceiptHandler,
    ExpireUnreceiptedSmsHandler,
    AcceptSmsReportsHandler,
    CancelEscalationNotificationsHandler,
    DefineNoticeTemplateHandler,
    GetNotificationHandler,
    NotificationDispatcher,
  ],
})
export class NotificationModule {}
