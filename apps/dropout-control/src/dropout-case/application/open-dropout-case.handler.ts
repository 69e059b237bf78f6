import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { randomUUID } from 'node:crypto';
import { studentKeyOf } from '@edu/contracts';
import { assertCountyAccess, countyScope, type Principal } from '@edu/auth';
import { Outbox } from '@edu/messaging';
import { DropoutCase } from '../domain/dropout-case.js';
import { caseError } from '../domain/dropout-case.errors.js';
import { DropoutCaseRepository } from '../persistence/dropout-case.repository.js';
import { DROPOUT_CONTROL_CONFIG, type DropoutControlConfig } from '../../dropout-control.config.js';
import { CaseMoments } from './case-moment.js';

export interface OpenDropoutCaseCommand {
  studentIdNumber: string;
  name: string;
  countyCode: string;
  schoolCode: string;
  registeredPoor: boolean;
  reason?: string;
  householdId?: string;
  disabilityLevel?: string;
}

/**
 * Opens a case and raises `dropout.case.opened` in the same transaction. A child has at
 * most one open case: asking again returns the open one and raises nothing.
 */
@Injectable()
export class OpenDropoutCaseHandler {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly cases: DropoutCaseRepository,
    private readonly outbox: Outbox,
    private readonly moments: CaseMoments,
    @Inject(DROPOUT_CONTROL_CONFIG) private readonly config: DropoutControlConfig,
  ) {}

  async execute(
    cmd: OpenDropoutCaseCommand,
    by: Principal,
  ): Promise<{ dropoutCase: DropoutCase; created: boolean }> {
    assertCountyAccess(by, cmd.countyCode);
    const { dropoutCase, events } = DropoutCase.open(
      {
        id: randomUUID(),
        studentKey: studentKeyOf(cmd.studentIdNumber, this.config.studentKeySecret),
        studentIdNumber: cmd.studentIdNumber,
        name: cmd.name,
        countyCode: cmd.countyCode,
        schoolCode: cmd.schoolCode,
        registeredPoor: cmd.registeredPoor,
        reason: cmd.reason,
        householdId: cmd.householdId,
        disabilityLevel: cmd.disabilityLevel,
        source: 'manual',
      },
      this.moments.at(by),
    );
    return this.dataSource.transaction(async (em) => {
      if (await this.cases.insertIfNoOpenCase(em, dropoutCase)) {
        await this.outbox.addEvents(em, events, {
          subject: dropoutCase.state.id,
          county: dropoutCase.state.countyCode,
        });
        return { dropoutCase, created: true };
      }
      const existing = await this.cases.findOpenByStudentKey(em, dropoutCase.state.studentKey);
      if (!existing) throw new Error('open case vanished while opening another');
      const scope = countyScope(by);
      // Another county's case file is not shown to this county's operator.
      if (scope !== undefined && existing.state.countyCode !== scope) throw caseError.openInAnotherCounty();
      return { dropoutCase: existing, created: false };
    });
  }
}
