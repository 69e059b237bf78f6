import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { countyScope, type Principal } from '@edu/auth';
import { Clock } from '@edu/service';
import { householdError, type HouseholdPlan } from '../domain/household-plan.js';
import { HouseholdPlanRepository } from '../persistence/household-plan.repository.js';

/** The county writes the household's measures and names who is responsible. */
@Injectable()
export class RecordHouseholdPlanHandler {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly plans: HouseholdPlanRepository,
    private readonly clock: Clock,
  ) {}

  execute(
    householdId: string,
    cmd: { measures: string; responsible: string },
    by: Principal,
  ): Promise<HouseholdPlan> {
    return this.dataSource.transaction(async (em) => {
      const plan = await this.plans.find(householdId, em, true);
      const scope = countyScope(by);
      if (!plan || (scope !== undefined && plan.state.countyCode !== scope)) throw householdError.notFound();
      plan.record(cmd, by.sub, this.clock.now());
      await this.plans.save(em, plan);
      return plan;
    });
  }
}
