import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import type { EventEnvelope } from '@edu/contracts';
import { Inbox, OnEvent } from '@edu/messaging';
import { RecordBreachHandler } from '../application/record-breach.handler.js';
import { SettleItemHandler } from '../application/settle-item.handler.js';
import { caseKey, reopenedCasePrefix } from '../domain/breach.js';

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

  private settle(e: EventEnvelope, itemKey: string, alsoUnder?: { prefix: string; upTo: string }) {
    return this.inbox.handle('supervision.settlement', e, (em) =>
      this.settleItem.execute(em, itemKey, e, undefined, alsoUnder),
    );
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

  @OnEvent('dropout.case.reopened.v1')
  onReopened(@Payload() e: EventEnvelope<'dropout.case.reopened.v1'>) {
    return this.breach(e);
  }

  @OnEvent('construction.budget.overrun.v1')
  onOverrun(@Payload() e: EventEnvelope<'construction.budget.overrun.v1'>) {
    return this.breach(e);
  }

  @OnEvent('construction.progress.stalled.v1')
  onStalled(@Payload() e: EventEnvelope<'construction.progress.stalled.v1'>) {
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
    // The case, and any reopening of it before this resolution (the same clock stamps both).
    return this.settle(e, caseKey(e.data.caseId), {
      prefix: reopenedCasePrefix(e.data.caseId),
      upTo: e.data.resolvedAt,
    });
  }

  @OnEvent('construction.budget.restored.v1')
  onRestored(@Payload() e: EventEnvelope<'construction.budget.restored.v1'>) {
    return this.settle(e, `construction.budget:${e.data.projectId}`);
  }

  @OnEvent('construction.capacity.restored.v1')
  onCapacity(@Payload() e: EventEnvelope<'construction.capacity.restored.v1'>) {
    return this.settle(e, `construction.capacity:${e.data.siteCode}:${e.data.stage}`);
  }

  @OnEvent('construction.progress.resumed.v1')
  onResumed(@Payload() e: EventEnvelope<'construction.progress.resumed.v1'>) {
    return this.settle(e, `construction.progress:${e.data.projectId}`);
  }

  @OnEvent('construction.milestone.completed.v1')
  onCompleted(@Payload() e: EventEnvelope<'construction.milestone.completed.v1'>) {
    return this.settle(e, `construction.milestone:${e.data.milestoneId}`);
  }
}
