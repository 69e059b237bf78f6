import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { policyError } from '../domain/policy.errors.js';
import { applicableVersions, type PolicyVersion } from '../domain/policy.js';
import { parseTerm, type Term } from '../domain/term.js';
import { PolicyRepository } from '../persistence/policy.repository.js';

/** Reads the catalogue: the latest versions, every version of one policy, what applies to a term. */
@Injectable()
export class PolicyCatalogue {
  constructor(private readonly policies: PolicyRepository) {}

  async latest(): Promise<PolicyVersion[]> {
    const latest = new Map<string, PolicyVersion>();
    for (const v of await this.policies.all()) latest.set(v.code, v);
    return [...latest.values()];
  }

  async versions(code: string): Promise<PolicyVersion[]> {
    const versions = await this.policies.versions(code);
    if (versions.length === 0) throw policyError.notFound(code);
    return versions;
  }

  async forTerm(term: string | Term, em?: EntityManager): Promise<PolicyVersion[]> {
    const t = typeof term === 'string' ? parseTerm(term) : term;
    return applicableVersions(await this.policies.all(em), t);
  }

  exists(code: string): Promise<boolean> {
    return this.policies.exists(code);
  }
}
