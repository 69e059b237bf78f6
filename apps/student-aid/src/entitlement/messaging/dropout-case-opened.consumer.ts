import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import type { EventEnvelope } from '@edu/contracts';
import { Inbox, OnEvent } from '@edu/messaging';
import { LinkDropoutCaseHandler } from '../application/link-dropout-case.handler.js';

/** Links a new dropout case to the student's unpaid or short entitlements. */
@Controller()
export class DropoutCaseOpenedConsumer {
  constructor(
    private readonly inbox: Inbox,
    private readonly link: LinkDropoutCaseHandler,
  ) {}

  @OnEvent('dropout.case.opened.v1')
  async onOpened(@Payload() e: EventEnvelope<'dropout.case.opened.v1'>) {
    await this.inbox.handle('student-aid.dropout-link', e, (em) =>
      this.link.execute(em, e).then(() => undefined),
    );
  }
}
