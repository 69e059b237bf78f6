import { Inject, Injectable } from '@nestjs/common';
import { countyScope, scopedCounty, type Principal } from '@edu/auth';
import { Clock } from '@edu/service';
import { addDays } from '../../dropout-case/domain/calendar-date.js';
import { DROPOUT_CONTROL_CONFIG, type DropoutControlConfig } from '../../dropout-control.config.js';
import { homeTeachingError } from '../domain/home-teaching-plan.js';
import { HomeTeachingRepository } from '../persistence/home-teaching.repository.js';

/** Plans, visits and coverage, kept to the caller's county. */
@Injectable()
export class ReadHomeTeaching {
  constructor(
    private readonly plans: HomeTeachingRepository,
    private readonly clock: Clock,
    @Inject(DROPOUT_CONTROL_CONFIG) private readonly config: DropoutControlConfig,
  ) {}

  list(q: { county?: string; limit: number; offset: number }, by: Principal) {
    return this.plans.list(scopedCounty(by, q.county), q);
  }

  async get(id: string, by: Principal) {
    const plan = await this.plans.find(id);
    const scope = countyScope(by);
    if (!plan || (scope !== undefined && plan.state.countyCode !== scope)) throw homeTeachingError.notFound();
    return { ...plan.state, visits: await this.plans.visits(id) };
  }

  /** Per county: eligible children, those with a plan, and those visited within the window. */
  async coverage(county: string | undefined, by: Principal) {
    const today = this.clock.today();
    const since = addDays(today, 1 - this.config.homeTeachingVisitWindowDays);
    const counties = await this.plans.coverage(scopedCounty(by, county), since);
    const sum = (k: 'eligible' | 'planned' | 'covered') => counties.reduce((n, c) => n + c[k], 0);
    return {
      asOf: today,
      visitedSince: since,
      counties: counties.map((c) => ({ ...c, rate: c.eligible === 0 ? 1 : c.covered / c.eligible })),
      total: { eligible: sum('eligible'), planned: sum('planned'), covered: sum('covered') },
    };
  }
}
