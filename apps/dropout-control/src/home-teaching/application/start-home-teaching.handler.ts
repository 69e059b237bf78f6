import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Principal } from '@edu/auth';
import { CaseTransition } from '../../dropout-case/application/case-transition.js';
import { HomeTeachingPlan } from '../domain/home-teaching-plan.js';
import { HomeTeachingRepository } from '../persistence/home-teaching.repository.js';

export interface StartHomeTeachingCommand {
  schoolCode: string;
  teachers: string[];
  visitsPerMonth: number;
  startsOn: string;
}

/**
 * Puts a home-teaching plan in place for a severely disabled child's case: the case
 * accepts it (only a severe, open case, once), the plan checks itself, both saved together.
 */
@Injectable()
export class StartHomeTeachingHandler {
  constructor(
    private readonly transition: CaseTransition,
    private readonly plans: HomeTeachingRepository,
  ) {}

  execute(caseId: string, cmd: StartHomeTeachingCommand, by: Principal): Promise<HomeTeachingPlan> {
    return this.transition.runWith(
      caseId,
      by,
      (c, at) => {
        const plan = HomeTeachingPlan.start(
          { ...cmd, id: randomUUID(), caseId: c.state.id, countyCode: c.state.countyCode },
          by.sub,
          at.now,
        );
        return { events: c.attachHomeTeachingPlan(plan.state.id, at), result: plan };
      },
      async (em, _c, plan) => {
        await this.plans.insert(em, plan);
        return plan;
      },
    );
  }
}
