import { DomainError } from '@edu/contracts';

export enum PolicyErrorCode {
  InvalidRule = 'POLICY_INVALID_RULE',
  InvalidTerm = 'POLICY_INVALID_TERM',
  NotFound = 'POLICY_NOT_FOUND',
  Exists = 'POLICY_EXISTS',
  StaleVersion = 'POLICY_STALE_VERSION',
}

export const policyError = {
  invalid: (path: string, why: string) => new DomainError(PolicyErrorCode.InvalidRule, `${path} ${why}`),
  invalidTerm: () =>
    new DomainError(PolicyErrorCode.InvalidTerm, 'term must look like 2020-autumn or 2020-spring'),
  notFound: (code: string) => new DomainError(PolicyErrorCode.NotFound, `no policy ${code}`, 'not_found'),
  exists: (code: string) =>
    new DomainError(
      PolicyErrorCode.Exists,
      `policy ${code} exists: edit it to make a new version`,
      'conflict',
    ),
  stale: (code: string, current: number) =>
    new DomainError(
      PolicyErrorCode.StaleVersion,
      `policy ${code} is at version ${current}: edit that version`,
      'conflict',
    ),
};
