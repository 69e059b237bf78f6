import { DomainError } from '@edu/contracts';

export enum EntitlementErrorCode {
  InvalidAmount = 'ENTITLEMENT_INVALID_AMOUNT',
  InvalidDate = 'ENTITLEMENT_INVALID_DATE',
  ConflictingGrant = 'ENTITLEMENT_CONFLICTING_GRANT',
  NotFound = 'ENTITLEMENT_NOT_FOUND',
  UnknownPolicy = 'ENTITLEMENT_UNKNOWN_POLICY',
  NotAuditor = 'ENTITLEMENT_APPROVER_NOT_AUDITOR',
  OwnWork = 'ENTITLEMENT_APPROVER_IS_PREPARER',
  NotPending = 'ENTITLEMENT_NOT_PENDING',
  RunPending = 'ENTITLEMENT_RUN_PENDING',
  RunNotFound = 'ENTITLEMENT_RUN_NOT_FOUND',
}

export const entitlementError = {
  invalidAmount: (field: string) =>
    new DomainError(
      EntitlementErrorCode.InvalidAmount,
      `${field} must be a positive amount in yuan with at most 2 decimals`,
    ),
  invalidDate: (field: string) =>
    new DomainError(EntitlementErrorCode.InvalidDate, `${field} must be a date YYYY-MM-DD`),
  conflictingGrant: () =>
    new DomainError(
      EntitlementErrorCode.ConflictingGrant,
      'an entitlement for this student, policy and term already exists with different values',
      'conflict',
    ),
  notFound: () => new DomainError(EntitlementErrorCode.NotFound, 'no such entitlement', 'not_found'),
  unknownPolicy: (code: string) =>
    new DomainError(EntitlementErrorCode.UnknownPolicy, `policyCode ${code} is not in the catalogue`),
  notAuditor: () =>
    new DomainError(EntitlementErrorCode.NotAuditor, 'only an aid auditor may approve', 'forbidden'),
  ownWork: () =>
    new DomainError(
      EntitlementErrorCode.OwnWork,
      'the auditor who approves must not be the one who prepared it',
      'forbidden',
    ),
  notPending: (what: string, status: string) =>
    new DomainError(
      EntitlementErrorCode.NotPending,
      `${what} is ${status}, not awaiting approval`,
      'conflict',
    ),
  runPending: (runId: string) =>
    new DomainError(
      EntitlementErrorCode.RunPending,
      `computation ${runId} for this term is awaiting approval: approve or reject it first`,
      'conflict',
    ),
  runNotFound: () => new DomainError(EntitlementErrorCode.RunNotFound, 'no such computation', 'not_found'),
};
