import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { ApiExcludeController } from '@nestjs/swagger';
import type { EventEnvelope } from '@edu/contracts';
import { OnEvent } from '@edu/messaging';
import { AcceptNotificationRequestHandler } from '../application/accept-notification-request.handler.js';

@ApiExcludeController()
@Controller()
export class NotificationRequestedConsumer {
  constructor(private readonly accept: AcceptNotificationRequestHandler) {}

  /** A template that cannot be rendered is a permanent error: the event goes to the dead-letter queue. */
  @OnEvent('notification.requested.v1')
  async onRequested(@Payload() event: EventEnvelope<'notification.requested.v1'>) {
    await this.accept.execute(event);
  }
}
