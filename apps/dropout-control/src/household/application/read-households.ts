import { Injectable } from '@nestjs/common';
import { countyScope, scopedCounty, type Principal } from '@edu/auth';
import { ReadDropoutCases } from '../../dropout-case/application/read-dropout-cases.js';
import { householdError } from '../domain/household-plan.js';
import { HouseholdPlanRepository } from '../persistence/household-plan.repository.js';

/** Household plans and their children's cases, kept to the caller's county. */
@Injectable()
export class ReadHouseholds {
  constructor(
    private readonly plans: HouseholdPlanRepository,
    private readonly cases: ReadDropoutCases,
  ) {}

  list(q: { county?: string; limit: number; offset: number }, by: Principal) {
    return this.plans.list({ county: scopedCounty(by, q.county) }, q);
  }

  async get(householdId: string, by: Principal) {
    const plan = await this.plans.find(householdId);
    const scope = countyScope(by);
    if (!plan || (scope !== undefined && plan.state.countyCode !== scope)) throw householdError.notFound();
    const { cases } = await this.cases.list(
      { household: householdId, county: scope },
      { limit: 1000, offset: 0 },
    );
    return { plan, cases };
  }
}
