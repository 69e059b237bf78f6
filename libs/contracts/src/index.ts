export * from './envelope.js';
export * from './event-map.js';
export * from './identity/resident-id.js';
export * from './identity/uuid.js';
export { COUNTY_CODE, FRONTS, type Front } from './events/common.js';
export { AidCoverageGapV1 } from './events/aid-coverage-gap.v1.js';
export { AidEntitlementOverdueV1 } from './events/aid-entitlement-overdue.v1.js';
export { AidEntitlementSettledV1 } from './events/aid-entitlement-settled.v1.js';
export { AidPaymentIrregularV1 } from './events/aid-payment-irregular.v1.js';
export { AidPaymentShortV1 } from './events/aid-payment-short.v1.js';
export { ConstructionBudgetOverrunV1 } from './events/construction-budget-overrun.v1.js';
export { ConstructionBudgetRestoredV1 } from './events/construction-budget-restored.v1.js';
export { ConstructionCapacityRestoredV1 } from './events/construction-capacity-restored.v1.js';
export { ConstructionCapacityShortfallV1 } from './events/construction-capacity-shortfall.v1.js';
export { ConstructionMilestoneCompletedV1 } from './events/construction-milestone-completed.v1.js';
export { ConstructionMilestoneOverdueV1 } from './events/construction-milestone-overdue.v1.js';
export { ConstructionProgressResumedV1 } from './events/construction-progress-resumed.v1.js';
export { ConstructionProgressStalledV1 } from './events/construction-progress-stalled.v1.js';
export { DropoutCaseOpenedV1 } from './events/dropout-case-opened.v1.js';
export { DropoutCaseOverdueV1 } from './events/dropout-case-overdue.v1.js';
export { DropoutCaseReopenedV1 } from './events/dropout-case-reopened.v1.js';
export { DropoutCaseResolvedV1 } from './events/dropout-case-resolved.v1.js';
export { DropoutRelocationDemandV1 } from './events/dropout-relocation-demand.v1.js';
export { NotificationDeliveredV1 } from './events/notification-delivered.v1.js';
export { NotificationFailedV1 } from './events/notification-failed.v1.js';
export {
  CHANNELS,
  NOTICE_KINDS,
  NoticeAttachment,
  NoticeRecipient,
  NotificationRequestedV1,
  type Channel,
  type NoticeKind,
} from './events/notification-requested.v1.js';
export { NotificationSentV1 } from './events/notification-sent.v1.js';
export { SupervisionEscalationOpenedV1 } from './events/supervision-escalation-opened.v1.js';
export { SupervisionEscalationResolvedV1 } from './events/supervision-escalation-resolved.v1.js';
export * from './domain-error.js';
