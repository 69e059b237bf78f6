import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import type { EventEnvelope } from '@edu/contracts';
import { Inbox, OnEvent } from '@edu/messaging';
import { RecordRelocationDemandHandler } from '../application/record-relocation-demand.handler.js';

/** dropout-control's count of each relocation site's school-age children, after every cross-check run. */
@Controller()
export class RelocationDemandConsumer {
  constructor(
    private readonly inbox: Inbox,
    private readonly recordDemand: RecordRelocationDemandHandler,
  ) {}

  @OnEvent('dropout.relocation-demand.v1')
  onDemand(@Payload() e: EventEnvelope<'dropout.relocation-demand.v1'>) {
    return this.inbox.handle('construction.relocation-demand', e, (em) => this.recordDemand.execute(em, e));
  }
}
