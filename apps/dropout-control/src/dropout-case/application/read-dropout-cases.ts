import { Injectable } from '@nestjs/common';
import { countyScope, type Principal } from '@edu/auth';
import { Clock } from '@edu/service';
import type { DropoutCase } from '../domain/dropout-case.js';
import { caseError } from '../domain/dropout-case.errors.js';
import { DropoutCaseRepository, type CaseFilter } from '../persistence/dropout-case.repository.js';

/** Reads of the ledger, each kept to the caller's county (another county's case reads as missing). */
@Injectable()
export class ReadDropoutCases {
  constructor(
    private readonly cases: DropoutCaseRepository,
    private readonly clock: Clock,
  ) {}

  list(filter: Omit<CaseFilter, 'today'>, page: { limit: number; offset: number }) {
    return this.cases.list({ ...filter, today: this.clock.today() }, page);
  }

  stream(filter: Omit<CaseFilter, 'today'>): AsyncGenerator<DropoutCase> {
    return this.cases.stream({ ...filter, today: this.clock.today() });
  }

  async get(id: string, by: Principal): Promise<DropoutCase> {
    const c = await this.cases.findById(id);
    const scope = countyScope(by);
    if (!c || (scope !== undefined && c.state.countyCode !== scope)) throw caseError.notFound();
    return c;
  }

  async history(id: string, by: Principal) {
    await this.get(id, by);
    return this.cases.history(id);
  }

  async attempts(id: string, by: Principal) {
    await this.get(id, by);
    return this.cases.attempts(id);
  }
}
