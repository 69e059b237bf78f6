import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { ApiExcludeController } from '@nestjs/swagger';
import type { EventEnvelope } from '@edu/contracts';
import { OnEvent } from '@edu/messaging';
import { CancelEscalationNotificationsHandler } from '../application/cancel-escalation-notifications.handler.js';

@ApiExcludeController()
@Controller()
export class EscalationResolvedConsumer {
  constructor(private readonly cancel: CancelEscalationNotificationsHandler) {}

  @OnEvent('supervision.escalation.resolved.v1')
  async onResolved(@Payload() event: EventEnvelope<'supervision.escalation.resolved.v1'>) {
    await this.cancel.execute(event);
  }
}
