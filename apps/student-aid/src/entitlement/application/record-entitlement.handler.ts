import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { randomUUID } from 'node:crypto';
import { studentKeyOf } from '@edu/contracts';
import { assertCountyAccess, type Principal } from '@edu/auth';
import { Clock, SERVICE_CONFIG, type ServiceConfig } from '@edu/service';
import { PolicyCatalogue } from '../../policy/application/policy-catalogue.js';
import { Entitlement } from '../domain/entitlement.js';
import { entitlementError } from '../domain/entitlement.errors.js';
import { parseYuan } from '../domain/money.js';
import { EntitlementRepository } from '../persistence/entitlement.repository.js';

export interface RecordEntitlementCommand {
  studentIdNumber: string;
  countyCode: string;
  schoolCode: string;
  policyCode: string;
  term: string;
  amountDue: string;
  dueDate: string;
}

/**
 * Grants one entitlement by hand (e.g. a scholarship awarded by selection); repeating the
 * same request returns the same entitlement. The city aid centre's grant counts at once;
 * a county operator's waits for an aid auditor.
 */
@Injectable()
export class RecordEntitlementHandler {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly entitlements: EntitlementRepository,
    private readonly catalogue: PolicyCatalogue,
    private readonly clock: Clock,
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
  ) {}

  async execute(
    cmd: RecordEntitlementCommand,
    by: Principal,
  ): Promise<{ entitlement: Entitlement; created: boolean }> {
    assertCountyAccess(by, cmd.countyCode);
    const amountDue = parseYuan(cmd.amountDue);
    if (amountDue === null) throw entitlementError.invalidAmount('amountDue');
    if (!(await this.catalogue.exists(cmd.policyCode))) throw entitlementError.unknownPolicy(cmd.policyCode);
    const wanted = Entitlement.grant(
      {
        id: randomUUID(),
        studentKey: studentKeyOf(cmd.studentIdNumber, this.config.studentKeySecret),
        countyCode: cmd.countyCode,
        schoolCode: cmd.schoolCode,
        policyCode: cmd.policyCode,
        term: cmd.term,
        amountDue,
        dueDate: cmd.dueDate,
      },
      by,
      this.clock.now(),
    );
    return this.dataSource.transaction(async (em) => {
      const existing = await this.entitlements.findForUpdate(em, wanted.state);
      if (existing) {
        if (!existing.sameGrantAs(wanted)) throw entitlementError.conflictingGrant();
        return { entitlement: existing, created: false };
      }
      await this.entitlements.insert(em, wanted);
      return { entitlement: wanted, created: true };
    });
  }
}
