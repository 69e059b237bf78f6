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
  InvalidAttempt = 'CASE_INVALID_ATTEMPT',
  AttemptRequired = 'CASE_ATTEMPT_REQUIRED',
  ExemptDocumentRequired = 'CASE_EXEMPT_DOCUMENT_REQUIRED',
  SecondPersonRequired = 'CASE_SECOND_PERSON_REQUIRED',
  PlacementMismatch = 'CASE_PLACEMENT_MISMATCH',
  HomeTeachingPlanRequired = 'CASE_HOME_TEACHING_PLAN_REQUIRED',
  HomeTeachingNotExpected = 'CASE_HOME_TEACHING_NOT_EXPECTED',
  HomeTeachingPlanExists = 'CASE_HOME_TEACHING_PLAN_EXISTS',
  InvalidDisabilityLevel = 'CASE_INVALID_DISABILITY_LEVEL',
  InvalidFinding = 'CASE_INVALID_FINDING',
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
  invalidAttempt: (why: string) => new DomainError(DropoutCaseErrorCode.InvalidAttempt, why),
  attemptRequired: () =>
    new DomainError(
      DropoutCaseErrorCode.AttemptRequired,
      'a case is resolved as returned only after at least one persuasion attempt is logged',
    ),
  exemptDocumentRequired: () =>
    new DomainError(
      DropoutCaseErrorCode.ExemptDocumentRequired,
      'exemptDocument (the reference of the supporting document) is required for an exempt resolution',
    ),
  secondPersonRequired: () =>
    new DomainError(
      DropoutCaseErrorCode.SecondPersonRequired,
      'a case is closed by a second person: not the one who resolved it',
      'forbidden',
    ),
  placementMismatch: (level: string, expected: string, resolution: string) =>
    new DomainError(
      DropoutCaseErrorCode.PlacementMismatch,
      `the child's disability level (${level}) calls for ${expected}, not ${resolution}; reassess the level first if it changed`,
      'conflict',
    ),
  homeTeachingPlanRequired: () =>
    new DomainError(
      DropoutCaseErrorCode.HomeTeachingPlanRequired,
      'a case is resolved as home teaching only once a home-teaching plan is in place',
    ),
  homeTeachingNotExpected: (level: string) =>
    new DomainError(
      DropoutCaseErrorCode.HomeTeachingNotExpected,
      `home teaching is the placement for severe disability, and this child's level is ${level}`,
      'conflict',
    ),
  homeTeachingPlanExists: () =>
    new DomainError(
      DropoutCaseErrorCode.HomeTeachingPlanExists,
      'this case already has a home-teaching plan',
      'conflict',
    ),
  invalidDisabilityLevel: (values: readonly string[]) =>
    new DomainError(
      DropoutCaseErrorCode.InvalidDisabilityLevel,
      `disabilityLevel must be one of ${values.join(', ')}`,
    ),
  invalidFinding: (values: readonly string[]) =>
    new DomainError(DropoutCaseErrorCode.InvalidFinding, `finding must be one of ${values.join(', ')}`),
  openInAnotherCounty: () =>
    new DomainError(
      DropoutCaseErrorCode.OpenInAnotherCounty,
      'this child already has an open case in another county',
      'conflict',
    ),
};
