import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
  type Provider,
} from '@nestjs/common';
import { NOTIFICATIONS_CONFIG, type NotificationsSettings } from '../../notifications.config.js';
import { EMAIL_SENDER, type EmailSender } from './email-sender.js';
import { SmtpEmailSender } from './email/smtp-email-sender.js';
import { AliyunSmsGateway } from './http/aliyun-sms-gateway.js';
import type { HttpSmsOptions } from './http/http-sms-gateway.js';
import { TencentSmsGateway } from './http/tencent-sms-gateway.js';
import { LocalSmppSink } from './local/local-smpp-sink.js';
import { LocalSmtpSink } from './local/local-smtp-sink.js';
import { SMS_GATEWAY, type SmsGateway } from './sms-gateway.js';
import { SmppSmsGateway } from './smpp/smpp-sms-gateway.js';

/** Where SMS and email go: the configured servers, or local sinks started here when none is set. */
export class ChannelEndpoints {
  constructor(
    readonly smppUrl: string,
    readonly smtpUrl: string,
    readonly sinks: { smpp?: LocalSmppSink; smtp?: LocalSmtpSink } = {},
  ) {}

  static async resolve(settings: NotificationsSettings): Promise<ChannelEndpoints> {
    const sinks: { smpp?: LocalSmppSink; smtp?: LocalSmtpSink } = {};
    if (settings.smsProvider === 'smpp' && !settings.smppUrl) sinks.smpp = await LocalSmppSink.start();
    if (!settings.smtpUrl) sinks.smtp = await LocalSmtpSink.start();
    return new ChannelEndpoints(
      settings.smppUrl ?? sinks.smpp?.url ?? '',
      settings.smtpUrl ?? sinks.smtp?.url ?? '',
      sinks,
    );
  }

  /** Says loudly that messages stay on this machine. */
  announce(logger: Logger): void {
    if (this.sinks.smpp) {
      logger.warn(
        `SMPP_URL is not set: using a LOCAL SMPP SINK on 127.0.0.1:${this.sinks.smpp.port} — no SMS leaves this machine`,
      );
    }
    if (this.sinks.smtp) {
      logger.warn(
        `SMTP_URL is not set: using a LOCAL SMTP SINK on 127.0.0.1:${this.sinks.smtp.port} — no email leaves this machine`,
      );
    }
  }

  async close(): Promise<void> {
    await Promise.all([this.sinks.smpp?.close(), this.sinks.smtp?.close()]);
  }
}

/** Connects the SMS gateway at start; closes the channels (after the dispatcher stopped) at shutdown. */
@Injectable()
export class ChannelLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Channels');

  constructor(
    @Inject(SMS_GATEWAY) private readonly sms: SmsGateway,
    @Inject(EMAIL_SENDER) private readonly email: EmailSender,
    private readonly endpoints: ChannelEndpoints,
  ) {}

  onApplicationBootstrap() {
    this.endpoints.announce(this.logger);
    if (this.sms.provider !== 'smpp') this.logger.log(`SMS go through ${this.sms.provider} SendSms`);
    this.sms.start();
  }

  async onApplicationShutdown() {
    await Promise.allSettled([this.sms.close(), this.email.close()]);
    await this.endpoints.close();
  }
}

/** The SMS gateway SMS_PROVIDER names. */
export function smsGateway(endpoints: ChannelEndpoints, settings: NotificationsSettings): SmsGateway {
  const http = (): HttpSmsOptions => ({
    url: settings.smsApiUrl,
    accessKeyId: settings.smsAccessKeyId ?? '',
    accessKeySecret: settings.smsAccessKeySecret ?? '',
    appId: settings.smsSdkAppId,
    region: settings.smsRegion,
  });
  switch (settings.smsProvider) {
    case 'smpp':
      return new SmppSmsGateway({ url: endpoints.smppUrl });
    case 'aliyun':
      return new AliyunSmsGateway(http());
    case 'tencent':
      return new TencentSmsGateway(http());
  }
}

export const channelProviders: Provider[] = [
  {
    provide: ChannelEndpoints,
    inject: [NOTIFICATIONS_CONFIG],
    useFactory: (settings: NotificationsSettings) => ChannelEndpoints.resolve(settings),
  },
  {
    provide: SMS_GATEWAY,
    inject: [ChannelEndpoints, NOTIFICATIONS_CONFIG],
    useFactory: (endpoints: ChannelEndpoints, settings: NotificationsSettings): SmsGateway =>
      smsGateway(endpoints, settings),
  },
  {
    provide: EMAIL_SENDER,
    inject: [ChannelEndpoints, NOTIFICATIONS_CONFIG],
    useFactory: (endpoints: ChannelEndpoints, settings: NotificationsSettings): EmailSender =>
      new SmtpEmailSender({ url: endpoints.smtpUrl, from: settings.emailFrom }),
  },
  ChannelLifecycle,
];
