import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DomainError } from '@edu/contracts';
import type { Principal } from '@edu/auth';
import { Clock } from '@edu/service';
import { isBreachType } from '../domain/breach-type.js';
import { policyProblems, type PolicyStep } from '../domain/escalation-policy.js';
import { EscalationRepository } from '../persistence/escalation.repository.js';

export enum PolicyErrorCode {
  Invalid = 'POLICY_INVALID',
  UnknownBreachType = 'POLICY_UNKNOWN_BREACH_TYPE',
}

/**
 * A new version of a breach type's policy, effective from a date (now by default). Running
 * escalations keep the version they started with; new ones take the new version.
 */
@Injectable()
export class EditPolicyHandler {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly escalations: EscalationRepository,
    private readonly clock: Clock,
  ) {}

  async execute(
    breachType: string,
    cmd: { steps: PolicyStep[]; recurrenceWindowDays: number; effectiveFrom?: string },
    by: Principal,
  ): Promise<{ breachType: string; version: number; effectiveFrom: string }> {
    if (!isBreachType(breachType))
      throw new DomainError(
        PolicyErrorCode.UnknownBreachType,
        `${breachType} is not a breach type`,
        'not_found',
      );
    const problems = policyProblems(cmd);
    if (problems.length > 0)
      throw new DomainError(
        PolicyErrorCode.Invalid,
        problems.map((p) => `${p.field}: ${p.reason}`).join('; '),
      );
    const effectiveFrom = cmd.effectiveFrom ? new Date(cmd.effectiveFrom) : this.clock.now();
    const version = await this.dataSource.transaction((em) =>
      this.escalations.addPolicyVersion(
        em,
        { breachType, steps: cmd.steps, recurrenceWindowDays: cmd.recurrenceWindowDays },
        effectiveFrom,
        by.sub,
      ),
    );
    return { breachType, version, effectiveFrom: effectiveFrom.toISOString() };
  }
}
