import { DomainError } from '@edu/contracts';

export enum EntitlementErrorCode {
  InvalidAmount = 'ENTITLEMENT_INVALID_AMOUNT',
  InvalidDate = 'ENTITLEMENT_INVALID_DATE',
  ConflictingGrant = 'ENTITLEMENT_CONFLICTING_GRANT',
  NotFound = 'ENTITLEMENT_NOT_FOUND',
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
};
