import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import type { EventEnvelope } from '@edu/contracts';
import { Inbox, OnEvent } from '@edu/messaging';
import { RecordBreachHandler } from '../application/record-breach.handler.js';
import { SettleItemHandler } from '../application/settle-item.handler.js';

type Breach = Parameters<RecordBreachHandler['execute']>[1];

/** Breaches from the three fronts open or join escalations; settlements close their items. */
@Controller()
export class BreachConsumer {
  constructor(
    private readonly inbox: Inbox,
    private readonly recordBreach: RecordBreachHandler,
    private readonly settleItem: SettleItemHandler,
  ) {}

  private breach(e: Breach) {
    return this.inbox.handle('supervision.breach', e, (em) => this.recordBreach.execute(em, e));
  }

  private settle(e: EventEnvelope, itemKey: string) {
    return this.inbox.handle('supervision.settlement', e, (em) => this.settleItem.execute(em, itemKey, e));
  }

  @OnEvent('aid.entitlement.overdue.v1')
  onUnpaid(@Payload() e: EventEnvelope<'aid.entitlement.overdue.v1'>) {
    return this.breach(e);
  }

  @OnEvent('aid.payment.short.v1')
  onShort(@Payload() e: EventEnvelope<'aid.payment.short.v1'>) {
    return this.breach(e);
  }

  @OnEvent('aid.payment.irregular.v1')
  onIrregular(@Payload() e: EventEnvelope<'aid.payment.irregular.v1'>) {
    return this.breach(e);
  }

  @OnEvent('aid.coverage.gap.v1')
  onGap(@Payload() e: EventEnvelope<'aid.coverage.gap.v1'>) {
    return this.breach(e);
  }

  @OnEvent('dropout.case.opened.v1')
  onDropout(@Payload() e: EventEnvelope<'dropout.case.opened.v1'>) {
    return this.breach(e);
  }

  @OnEvent('dropout.case.overdue.v1')
  onCaseOverdue(@Payload() e: EventEnvelope<'dropout.case.overdue.v1'>) {
    return this.breach(e);
  }

  @OnEvent('construction.milestone.overdue.v1')
  onMilestoneOverdue(@Payload() e: EventEnvelope<'construction.milestone.overdue.v1'>) {
    return this.breach(e);
  }

  @OnEvent('construction.capacity.shortfall.v1')
  onShortfall(@Payload() e: EventEnvelope<'construction.capacity.shortfall.v1'>) {
    return this.breach(e);
  }

  @OnEvent('aid.entitlement.settled.v1')
  onSettled(@Payload() e: EventEnvelope<'aid.entitlement.settled.v1'>) {
    return this.settle(e, `aid.entitlement:${e.data.entitlementId}`);
  }

  @OnEvent('dropout.case.resolved.v1')
  onResolved(@Payload() e: EventEnvelope<'dropout.case.resolved.v1'>) {
    return this.settle(e, `dropout.case:${e.data.caseId}`);
  }

  @OnEvent('construction.milestone.completed.v1')
  onCompleted(@Payload() e: EventEnvelope<'construction.milestone.completed.v1'>) {
    return this.settle(e, `construction.milestone:${e.data.milestoneId}`);
  }
}
