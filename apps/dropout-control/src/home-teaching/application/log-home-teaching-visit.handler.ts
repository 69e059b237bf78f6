import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { countyScope, type Principal } from '@edu/auth';
import { Clock } from '@edu/service';
import { homeTeachingError } from '../domain/home-teaching-plan.js';
import { HomeTeachingRepository, type StoredVisit } from '../persistence/home-teaching.repository.js';

export interface LogVisitCommand {
  visitedOn: string;
  teacher: string;
  hours: number;
  content: string;
  note?: string;
}

/** Logs one home-teaching visit on the plan. */
@Injectable()
export class LogHomeTeachingVisitHandler {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly plans: HomeTeachingRepository,
    private readonly clock: Clock,
  ) {}

  execute(planId: string, cmd: LogVisitCommand, by: Principal): Promise<StoredVisit> {
    return this.dataSource.transaction(async (em) => {
      const plan = await this.plans.find(planId, em, true);
      const scope = countyScope(by);
      if (!plan || (scope !== undefined && plan.state.countyCode !== scope))
        throw homeTeachingError.notFound();
      const visit = plan.logVisit(cmd, this.clock.today());
      return this.plans.addVisit(em, plan, visit, by.sub, this.clock.now());
    });
  }
}
