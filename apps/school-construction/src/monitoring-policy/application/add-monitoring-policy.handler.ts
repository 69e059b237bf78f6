import { Injectable } from '@nestjs/common';
import { DomainError } from '@edu/contracts';
import type { Principal } from '@edu/auth';
import {
  checkMonitoringPolicy,
  MonitoringPolicyErrorCode,
  type MonitoringPolicy,
} from '../domain/monitoring-policy.js';
import { MonitoringPolicyRepository } from '../persistence/monitoring-policy.repository.js';

/** Adds a policy row taking effect on a date; the next sweep applies it. Rows are never rewritten. */
@Injectable()
export class AddMonitoringPolicyHandler {
  constructor(private readonly policies: MonitoringPolicyRepository) {}

  async execute(input: MonitoringPolicy, by: Principal): Promise<MonitoringPolicy> {
    const policy = checkMonitoringPolicy(input);
    if (!(await this.policies.insert(policy, by.sub))) {
      throw new DomainError(
        MonitoringPolicyErrorCode.Exists,
        `a policy taking effect on ${policy.effectiveFrom} exists already`,
        'conflict',
      );
    }
    return policy;
  }
}
