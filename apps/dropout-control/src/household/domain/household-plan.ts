import { DomainError } from '@edu/contracts';

export enum HouseholdErrorCode {
  NotFound = 'HOUSEHOLD_NOT_FOUND',
  InvalidPlan = 'HOUSEHOLD_INVALID_PLAN',
}

export const householdError = {
  notFound: () => new DomainError(HouseholdErrorCode.NotFound, 'no such household plan', 'not_found'),
  invalidPlan: (why: string) => new DomainError(HouseholdErrorCode.InvalidPlan, why),
};

export interface HouseholdPlanProps {
  householdId: string;
  countyCode: string;
  township: string | null;
  village: string | null;
  measures: string | null;
  responsible: string | null;
  updatedBy: string | null;
  updatedAt: string | null;
}

/**
 * 一家一案: the plan of one household, under which each child's case (一生一案) sits. It is
 * created when the household's first case opens; the county writes its measures and names
 * the person responsible.
 */
export class HouseholdPlan {
  private constructor(private props: HouseholdPlanProps) {}

  static restore(props: HouseholdPlanProps): HouseholdPlan {
    return new HouseholdPlan({ ...props });
  }

  get state(): Readonly<HouseholdPlanProps> {
    return this.props;
  }

  record(input: { measures: string; responsible: string }, by: string, now: Date): void {
    const measures = input.measures?.trim() ?? '';
    const responsible = input.responsible?.trim() ?? '';
    if (measures === '') throw householdError.invalidPlan('measures are required');
    if (responsible === '')
      throw householdError.invalidPlan('responsible (the person in charge) is required');
    this.props = {
      ...this.props,
      measures,
      responsible,
      updatedBy: by,
      updatedAt: now.toISOString(),
    };
  }
}
