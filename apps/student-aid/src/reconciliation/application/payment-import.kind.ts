import { Inject, Injectable } from '@nestjs/common';
import type { ImportKind } from '@edu/imports';
import { Clock, SERVICE_CONFIG, type ServiceConfig } from '@edu/service';
import { parsePaymentRow, PAYMENT_COLUMNS, type PaymentLine } from '../domain/payment-row.js';
import { ReconciliationRepository } from '../persistence/reconciliation.repository.js';

/** A bank or treasury return file: staged, then applied and classified set-based. */
@Injectable()
export class PaymentImportKind implements ImportKind<PaymentLine> {
  readonly kind = 'aid-payments';
  readonly columns = PAYMENT_COLUMNS;
  readonly staging = [
    { name: 'payment_ref', type: 'text' },
    { name: 'student_key', type: 'char(64)' },
    { name: 'id_region', type: 'char(6)' },
    { name: 'name', type: 'text' },
    { name: 'policy_code', type: 'text' },
    { name: 'term', type: 'text' },
    { name: 'amount_fen', type: 'bigint' },
    { name: 'paid_on', type: 'date' },
    { name: 'reverses', type: 'text' },
  ];
  readonly apply: ImportKind<PaymentLine>['apply'];

  constructor(
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
    reconciliation: ReconciliationRepository,
    clock: Clock,
  ) {
    this.apply = (em, ctx) => reconciliation.applyPayments(em, ctx, { now: clock.now().toISOString() });
  }

  parse(record: Record<string, string>, line: number) {
    return parsePaymentRow(record, line, this.config.studentKeySecret);
  }

  toRow(p: PaymentLine) {
    return [
      p.paymentRef,
      p.studentKey,
      p.idRegion,
      p.name,
      p.policyCode,
      p.term,
      p.amountFen,
      p.paidOn,
      p.reversesRef,
    ];
  }
}
