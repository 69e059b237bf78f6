import { DomainError } from '@edu/contracts';

export enum DropoutCaseErrorCode {
  IllegalTransition = 'CASE_ILLEGAL_TRANSITION',
  ReasonRequired = 'CASE_REASON_REQUIRED',
  InvalidReason = 'CASE_INVALID_REASON',
  PersuadersRequired = 'CASE_PERSUADERS_REQUIRED',
  InvalidResolution = 'CASE_INVALID_RESOLUTION',
  SchoolRequired = 'CASE_SCHOOL_REQUIRED',
  ExemptReasonRequired = 'CASE_EXEMPT_REASON_REQUIRED',
  ExemptReasonNotAllowed = 'CASE_EXEMPT_REASON_NOT_ALLOWED',
  EvidenceRequired = 'CASE_EVIDENCE_REQUIRED',
  InvalidDeadlines = 'CASE_INVALID_DEADLINES',
  NotFound = 'CASE_NOT_FOUND',
  OpenInAnotherCounty = 'CASE_OPEN_IN_ANOTHER_COUNTY',
}

/** Messages name the field or state, never the child. */
export const caseError = {
  illegalTransition: (action: string, state: string, allowedFrom: string) =>
    new DomainError(
      DropoutCaseErrorCode.IllegalTransition,
      `cannot ${action} a case that is ${state}: only a case that is ${allowedFrom} can be`,
      'conflict',
    ),
  reasonRequired: () =>
    new DomainError(
      DropoutCaseErrorCode.ReasonRequired,
      'reason is required to verify a case opened without one',
    ),
  invalidReason: (values: readonly string[]) =>
    new DomainError(DropoutCaseErrorCode.InvalidReason, `reason must be one of ${values.join(', ')}`),
  persuadersRequired: (missing: string[]) =>
    new DomainError(
      DropoutCaseErrorCode.PersuadersRequired,
      `a plan needs a persuader from the school, the township and the village; missing: ${missing.join(', ')}`,
    ),
  invalidResolution: (values: readonly string[]) =>
    new DomainError(DropoutCaseErrorCode.InvalidResolution, `resolution must be one of ${values.join(', ')}`),
  schoolRequired: (resolution: string) =>
    new DomainError(
      DropoutCaseErrorCode.SchoolRequired,
      `schoolCode is required when the resolution is ${resolution}`,
    ),
  exemptReasonRequired: (values: readonly string[]) =>
    new DomainError(
      DropoutCaseErrorCode.ExemptReasonRequired,
      `exemptReason is required for an exempt resolution: one of ${values.join(', ')}`,
    ),
  exemptReasonNotAllowed: () =>
    new DomainError(
      DropoutCaseErrorCode.ExemptReasonNotAllowed,
      'exemptReason (and no schoolCode) belongs only to an exempt resolution',
    ),
  evidenceRequired: () =>
    new DomainError(
      DropoutCaseErrorCode.EvidenceRequired,
      'evidence is required to close a case (reconcile and close)',
    ),
  invalidDeadlines: (field: string) =>
    new DomainError(DropoutCaseErrorCode.InvalidDeadlines, `${field} must be a whole number of days from 1`),
  notFound: () => new DomainError(DropoutCaseErrorCode.NotFound, 'no such case', 'not_found'),
  openInAnotherCounty: () =>
    new DomainError(
      DropoutCaseErrorCode.OpenInAnotherCounty,
      'this child already has an open case in another county',
      'conflict',
    ),
};
