import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { randomUUID } from 'node:crypto';
import { studentKeyOf } from '@edu/contracts';
import { assertCountyAccess, type Principal } from '@edu/auth';
import { SERVICE_CONFIG, type ServiceConfig } from '@edu/service';
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

/** Grants one entitlement; repeating the same request returns the same entitlement. */
@Injectable()
export class RecordEntitlementHandler {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly entitlements: EntitlementRepository,
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
  ) {}

  async execute(
    cmd: RecordEntitlementCommand,
    by: Principal,
  ): Promise<{ entitlement: Entitlement; created: boolean }> {
    assertCountyAccess(by, cmd.countyCode);
    const amountDue = parseYuan(cmd.amountDue);
    if (amountDue === null) throw entitlementError.invalidAmount('amountDue');
    const wanted = Entitlement.grant({
      id: randomUUID(),
      studentKey: studentKeyOf(cmd.studentIdNumber, this.config.studentKeySecret),
      countyCode: cmd.countyCode,
      schoolCode: cmd.schoolCode,
      policyCode: cmd.policyCode,
      term: cmd.term,
      amountDue,
      dueDate: cmd.dueDate,
    });
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
