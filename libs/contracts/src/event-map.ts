import { AidCoverageGapV1 } from './events/aid-coverage-gap.v1.js';
import { AidEntitlementOverdueV1 } from './events/aid-entitlement-overdue.v1.js';
import { AidEntitlementSettledV1 } from './events/aid-entitlement-settled.v1.js';
import { AidPaymentIrregularV1 } from './events/aid-payment-irregular.v1.js';
import { AidPaymentShortV1 } from './events/aid-payment-short.v1.js';
import { ConstructionBudgetOverrunV1 } from './events/construction-budget-overrun.v1.js';
import { ConstructionBudgetRestoredV1 } from './events/construction-budget-restored.v1.js';
import { ConstructionCapacityRestoredV1 } from './events/construction-capacity-restored.v1.js';
import { ConstructionCapacityShortfallV1 } from './events/construction-capacity-shortfall.v1.js';
import { ConstructionMilestoneCompletedV1 } from './events/construction-milestone-completed.v1.js';
import { ConstructionMilestoneOverdueV1 } from './events/construction-milestone-overdue.v1.js';
import { ConstructionProgressResumedV1 } from './events/construction-progress-resumed.v1.js';
import { ConstructionProgressStalledV1 } from './events/construction-progress-stalled.v1.js';
import { DropoutCaseOpenedV1 } from './events/dropout-case-opened.v1.js';
import { DropoutCaseOverdueV1 } from './events/dropout-case-overdue.v1.js';
import { DropoutCaseReopenedV1 } from './events/dropout-case-reopened.v1.js';
import { DropoutCaseResolvedV1 } from './events/dropout-case-resolved.v1.js';
import { DropoutRelocationDemandV1 } from './events/dropout-relocation-demand.v1.js';
import { NotificationDeliveredV1 } from './events/notification-delivered.v1.js';
import { NotificationFailedV1 } from './events/notification-failed.v1.js';
import { NotificationRequestedV1 } from './events/notification-requested.v1.js';
import { NotificationSentV1 } from './events/notification-sent.v1.js';
import { SupervisionEscalationOpenedV1 } from './events/supervision-escalation-opened.v1.js';
import { SupervisionEscalationResolvedV1 } from './events/supervision-escalation-resolved.v1.js';

/**
 * Every published event version, keyed by its routing key `<type>.v<version>`.
 * A breaking change adds a new key beside the old one.
 */
export const EVENT_SCHEMAS = {
  'dropout.case.opened.v1': DropoutCaseOpenedV1,
  'dropout.case.overdue.v1': DropoutCaseOverdueV1,
  'dropout.case.resolved.v1': DropoutCaseResolvedV1,
  'dropout.case.reopened.v1': DropoutCaseReopenedV1,
  'dropout.relocation-demand.v1': DropoutRelocationDemandV1,
  'aid.entitlement.overdue.v1': AidEntitlementOverdueV1,
  'aid.payment.short.v1': AidPaymentShortV1,
  'aid.payment.irregular.v1': AidPaymentIrregularV1,
  'aid.coverage.gap.v1': AidCoverageGapV1,
  'aid.entitlement.settled.v1': AidEntitlementSettledV1,
  'construction.milestone.overdue.v1': ConstructionMilestoneOverdueV1,
  'construction.milestone.completed.v1': ConstructionMilestoneCompletedV1,
  'construction.capacity.shortfall.v1': ConstructionCapacityShortfallV1,
  'construction.capacity.restored.v1': ConstructionCapacityRestoredV1,
  'construction.budget.overrun.v1': ConstructionBudgetOverrunV1,
  'construction.budget.restored.v1': ConstructionBudgetRestoredV1,
  'construction.progress.stalled.v1': ConstructionProgressStalledV1,
  'construction.progress.resumed.v1': ConstructionProgressResumedV1,
  'supervision.escalation.opened.v1': SupervisionEscalationOpenedV1,
  'supervision.escalation.resolved.v1': SupervisionEscalationResolvedV1,
  'notification.requested.v1': NotificationRequestedV1,
  'notification.sent.v1': NotificationSentV1,
  'notification.delivered.v1': NotificationDeliveredV1,
  'notification.failed.v1': NotificationFailedV1,
} as const;

export type EventKey = keyof typeof EVENT_SCHEMAS;
export type EventMap = { [K in EventKey]: InstanceType<(typeof EVENT_SCHEMAS)[K]> };

/** An event a domain method caused; the handler writes it to the outbox with the aggregate as subject. */
export interface DomainEvent<K extends EventKey = EventKey> {
  key: K;
  data: EventMap[K];
}

export function isEventKey(key: string): key is EventKey {
  return Object.hasOwn(EVENT_SCHEMAS, key);
}

/** `aid.entitlement.overdue.v1` → `{ type: 'aid.entitlement.overdue', version: 1 }` */
export function splitEventKey(key: EventKey): { type: string; version: number } {
  const at = key.lastIndexOf('.v');
  return { type: key.slice(0, at), version: Number(key.slice(at + 2)) };
}
