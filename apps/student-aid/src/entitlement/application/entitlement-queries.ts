import { Injectable } from '@nestjs/common';
import { countyScope, type Principal } from '@edu/auth';
import type { Entitlement } from '../domain/entitlement.js';
import { entitlementError } from '../domain/entitlement.errors.js';
import { EntitlementRepository, type EntitlementFilter } from '../persistence/entitlement.repository.js';
import { EntitlementRunRepository } from '../persistence/entitlement-run.repository.js';

@Injectable()
export class EntitlementQueries {
  constructor(
    private readonly entitlements: EntitlementRepository,
    private readonly runs: EntitlementRunRepository,
  ) {}

  list(filter: EntitlementFilter): Promise<{ items: Entitlement[]; total: number }> {
    return this.entitlements.list(filter);
  }

  async detail(
    id: string,
    user: Principal,
  ): Promise<{ entitlement: Entitlement; inputs: Record<string, unknown> | null }> {
    const {
      items: [e],
    } = await this.entitlements.list({ id, limit: 1, offset: 0 });
    const scope = countyScope(user);
    if (!e || (scope !== undefined && e.state.countyCode !== scope)) throw entitlementError.notFound();
    const inputs = await this.runs.inputs(e.state.id);
    return { entitlement: e, inputs };
  }
}
