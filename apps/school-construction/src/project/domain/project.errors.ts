import { DomainError } from '@edu/contracts';

export enum ProjectErrorCode {
  InvalidKind = 'PROJECT_INVALID_KIND',
  InvalidName = 'PROJECT_INVALID_NAME',
  InvalidCapacity = 'PROJECT_INVALID_CAPACITY',
  InvalidMilestones = 'PROJECT_INVALID_MILESTONES',
  InvalidDate = 'PROJECT_INVALID_DATE',
  UnknownMilestone = 'MILESTONE_UNKNOWN',
  OutOfOrder = 'MILESTONE_OUT_OF_ORDER',
  BeforePredecessor = 'MILESTONE_BEFORE_PREDECESSOR',
  CompletedInFuture = 'MILESTONE_COMPLETED_IN_FUTURE',
  AlreadyCompleted = 'MILESTONE_ALREADY_COMPLETED',
  NotFound = 'PROJECT_NOT_FOUND',
  InvalidFunding = 'PROJECT_INVALID_FUNDING',
  InvalidAmount = 'PROJECT_INVALID_AMOUNT',
  InvalidCode = 'PROJECT_INVALID_CODE',
  CodeInUse = 'PROJECT_CODE_IN_USE',
  InvalidReport = 'PROGRESS_REPORT_INVALID',
  ReportInFuture = 'PROGRESS_REPORT_IN_FUTURE',
}

export const projectError = {
  invalidKind: (values: readonly string[]) =>
    new DomainError(ProjectErrorCode.InvalidKind, `kind must be one of ${values.join(', ')}`),
  invalidName: () => new DomainError(ProjectErrorCode.InvalidName, 'name must not be empty'),
  invalidCapacity: (field: string, min = 1) =>
    new DomainError(ProjectErrorCode.InvalidCapacity, `${field} must be a whole number from ${min}`),
  seatsBelowStages: (total: number, staged: number) =>
    new DomainError(
      ProjectErrorCode.InvalidCapacity,
      `capacitySeats (${total}) cannot be fewer than the seats by stage (${staged})`,
    ),
  invalidMilestones: (why: string) =>
    new DomainError(ProjectErrorCode.InvalidMilestones, `milestones: ${why}`),
  invalidDate: (field: string) =>
    new DomainError(ProjectErrorCode.InvalidDate, `${field} must be a date YYYY-MM-DD`),
  unknownMilestone: (values: readonly string[]) =>
    new DomainError(
      ProjectErrorCode.UnknownMilestone,
      `milestone must be one of ${values.join(', ')}`,
      'not_found',
    ),
  outOfOrder: (milestone: string, predecessor: string) =>
    new DomainError(
      ProjectErrorCode.OutOfOrder,
      `${milestone} cannot be completed before ${predecessor} is completed`,
      'conflict',
    ),
  beforePredecessor: (milestone: string, predecessor: string, on: string) =>
    new DomainError(
      ProjectErrorCode.BeforePredecessor,
      `${milestone} cannot be completed before ${predecessor} was (${on})`,
    ),
  completedInFuture: (today: string) =>
    new DomainError(ProjectErrorCode.CompletedInFuture, `completedOn cannot be later than today (${today})`),
  alreadyCompleted: (milestone: string, on: string) =>
    new DomainError(
      ProjectErrorCode.AlreadyCompleted,
      `${milestone} was already completed on ${on}`,
      'conflict',
    ),
  notFound: () => new DomainError(ProjectErrorCode.NotFound, 'no such project', 'not_found'),
  invalidFunding: (why: string) => new DomainError(ProjectErrorCode.InvalidFunding, `funding: ${why}`),
  invalidAmount: (field: string) =>
    new DomainError(ProjectErrorCode.InvalidAmount, `${field} must be an amount in yuan, e.g. 1250000.00`),
  invalidCode: () => new DomainError(ProjectErrorCode.InvalidCode, 'code must be 1 to 64 characters'),
  codeInUse: (code: string) =>
    new DomainError(ProjectErrorCode.CodeInUse, `project code ${code} is already registered`, 'conflict'),
  invalidReport: (why: string) => new DomainError(ProjectErrorCode.InvalidReport, why),
  reportInFuture: (today: string) =>
    new DomainError(ProjectErrorCode.ReportInFuture, `reportedOn cannot be later than today (${today})`),
};
