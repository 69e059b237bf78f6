import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Principal } from '@edu/auth';
import { Clock } from '@edu/service';
import { policyError } from '../domain/policy.errors.js';
import { validatePolicy, validatePolicyCode, type PolicyVersion } from '../domain/policy.js';
import { PolicyRepository } from '../persistence/policy.repository.js';

/**
 * Creates a policy (version 1) or edits one: an edit is always a new version, so
 * entitlements computed under an earlier version keep the version they used.
 */
@Injectable()
export class SavePolicyHandler {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly policies: PolicyRepository,
    private readonly clock: Clock,
  ) {}

  create(code: string, body: Record<string, unknown>, by: Principal): Promise<PolicyVersion> {
    return this.save(code, body, by, null);
  }

  /** `expectedVersion` (optional) refuses an edit made against an older version. */
  edit(code: string, body: Record<string, unknown>, by: Principal, expectedVersion?: number) {
    return this.save(code, body, by, expectedVersion ?? 'any');
  }

  private async save(
    code: string,
    body: Record<string, unknown>,
    by: Principal,
    expected: number | 'any' | null,
  ): Promise<PolicyVersion> {
    validatePolicyCode(code);
    const definition = validatePolicy(body);
    return this.dataSource.transaction(async (em) => {
      const latest = await this.policies.latestForUpdate(em, code);
      if (expected === null && latest !== null) throw policyError.exists(code);
      if (expected !== null && latest === null) throw policyError.notFound(code);
      if (typeof expected === 'number' && latest !== expected)
        throw policyError.stale(code, latest as number);
      const version: PolicyVersion = {
        ...definition,
        code,
        version: (latest ?? 0) + 1,
        createdBy: by.sub,
        createdAt: this.clock.now().toISOString(),
      };
      await this.policies.insert(em, version);
      return version;
    });
  }

  /** Retires a policy from a date: a new version that applies to no later term. */
  async retire(code: string, from: string, by: Principal): Promise<PolicyVersion> {
    const versions = await this.policies.versions(code);
    const last = versions.at(-1);
    if (!last) throw policyError.notFound(code);
    const { name, stage, eligibility, amount, terms, dueBy, basis, note } = last;
    return this.edit(
      code,
      {
        name,
        stage,
        eligibility,
        amount,
        terms,
        dueBy,
        basis,
        note,
        effectiveFrom: from,
        effectiveTo: null,
        retired: true,
      },
      by,
      last.version,
    );
  }
}
