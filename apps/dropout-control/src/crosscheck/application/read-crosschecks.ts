import { Injectable } from '@nestjs/common';
import { countyScope, scopedCounty, type Principal } from '@edu/auth';
import { crosscheckError, type CrosscheckPolicy } from '../domain/school-age.js';
import { CrosscheckRepository, type Ledger } from '../persistence/crosscheck.repository.js';

/** Runs and their ledgers as the caller may see them; and the policy rows. */
@Injectable()
export class ReadCrosschecks {
  constructor(private readonly runs: CrosscheckRepository) {}

  async get(id: string, by: Principal) {
    const run = await this.runs.summary(id, countyScope(by));
    if (!run) throw crosscheckError.notFound();
    return run;
  }

  recent(by: Principal, limit: number) {
    return this.runs.recent(countyScope(by), limit);
  }

  async children(
    id: string,
    q: { ledger: Ledger; county?: string; limit: number; offset: number },
    by: Principal,
  ) {
    await this.get(id, by);
    return this.runs.children(id, { ledger: q.ledger, county: scopedCounty(by, q.county) }, q);
  }

  policies(): Promise<CrosscheckPolicy[]> {
    return this.runs.policies();
  }
}
