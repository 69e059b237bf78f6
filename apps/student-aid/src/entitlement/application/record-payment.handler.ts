import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { randomUUID } from 'node:crypto';
import { studentKeyOf } from '@edu/contracts';
import { countyScope, type Principal } from '@edu/auth';
import { Outbox } from '@edu/messaging';
import { Clock, SERVICE_CONFIG, type ServiceConfig } from '@edu/service';
import type { Entitlement } from '../domain/entitlement.js';
import { entitlementError } from '../domain/entitlement.errors.js';
import { parseYuan } from '../domain/money.js';
import { PaymentEntity } from '../persistence/entitlement.entity.js';
import { EntitlementRepository } from '../persistence/entitlement.repository.js';

export interface RecordPaymentCommand {
  studentIdNumber: string;
  policyCode: string;
  term: string;
  amount: string;
  paidOn: string;
  reference?: string;
}

export interface RecordPaymentResult {
  paymentId: string;
  entitlement: Entitlement;
  /** False when the reference had been recorded before: nothing changed. */
  recorded: boolean;
}

/** Records a payment against its entitlement; settling and irregular payments raise events. */
@Injectable()
export class RecordPaymentHandler {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly entitlements: EntitlementRepository,
    private readonly outbox: Outbox,
    private readonly clock: Clock,
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
  ) {}

  async execute(cmd: RecordPaymentCommand, by: Principal): Promise<RecordPaymentResult> {
    const amount = parseYuan(cmd.amount);
    if (amount === null || amount === 0) throw entitlementError.invalidAmount('amount');
    const studentKey = studentKeyOf(cmd.studentIdNumber, this.config.studentKeySecret);
    return this.dataSource.transaction(async (em) => {
      const entitlement = await this.entitlements.findForUpdate(em, {
        studentKey,
        policyCode: cmd.policyCode,
        term: cmd.term,
      });
      const scope = countyScope(by);
      // Another county's entitlement, and one still awaiting approval, are reported as missing.
      if (
        !entitlement ||
        !entitlement.approved ||
        (scope !== undefined && entitlement.state.countyCode !== scope)
      )
        throw entitlementError.notFound();
      const payment = Object.assign(new PaymentEntity(), {
        id: randomUUID(),
        entitlementId: entitlement.state.id,
        studentKey,
        countyCode: entitlement.state.countyCode,
        policyCode: cmd.policyCode,
        term: cmd.term,
        amountFen: String(amount),
        paidOn: cmd.paidOn,
        reference: cmd.reference ?? null,
        class: entitlement.state.amountPaid + amount > entitlement.state.amountDue ? 'paid_twice' : 'regular',
      });
      if (!(await this.entitlements.insertPayment(em, payment))) {
        return { paymentId: payment.id, entitlement, recorded: false };
      }
      const events = entitlement.recordPayment(payment.id, amount, cmd.paidOn, this.clock.now());
      await this.entitlements.save(em, entitlement);
      await this.outbox.addEvents(em, events, {
        subject: entitlement.state.id,
        county: entitlement.state.countyCode,
      });
      return { paymentId: payment.id, entitlement, recorded: true };
    });
  }
}
