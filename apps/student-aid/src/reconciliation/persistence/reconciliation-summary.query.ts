import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

/** Every entitlement and payment of a term, by class (see Entitlement.classify for the rules). */
export interface ReconciliationSummary {
  entitlements: {
    prepared: number;
    pending: number;
    onTime: number;
    late: number;
    short: number;
    unpaid: number;
  };
  payments: {
    regular: number;
    paidTwice: number;
    withoutEntitlement: number;
    nameMismatch: number;
    reversal: number;
  };
  coverageGaps: number;
}

@Injectable()
export class ReconciliationSummaryQuery {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async summary(term: string, county: string | undefined, today: string): Promise<ReconciliationSummary> {
    const args = [term, county ?? null, today];
    const [e]: Record<string, number>[] = await this.dataSource.query(
      `SELECT count(*) FILTER (WHERE status = 'prepared')::int AS prepared,
              count(*) FILTER (WHERE status <> 'prepared' AND amount_paid_fen < amount_due_fen AND due_date >= $3::date)::int AS pending,
              count(*) FILTER (WHERE status <> 'prepared' AND amount_paid_fen >= amount_due_fen AND paid_on_time_fen >= amount_due_fen)::int AS "onTime",
              count(*) FILTER (WHERE status <> 'prepared' AND amount_paid_fen >= amount_due_fen AND paid_on_time_fen < amount_due_fen)::int AS late,
              count(*) FILTER (WHERE status <> 'prepared' AND amount_paid_fen > 0 AND amount_paid_fen < amount_due_fen AND due_date < $3::date)::int AS short,
              count(*) FILTER (WHERE status <> 'prepared' AND amount_paid_fen = 0 AND due_date < $3::date)::int AS unpaid
       FROM entitlement WHERE term = $1 AND ($2::char(6) IS NULL OR county_code = $2)`,
      args,
    );
    const [p]: Record<string, number>[] = await this.dataSource.query(
      `SELECT count(*) FILTER (WHERE class = 'regular')::int AS regular, count(*) FILTER (WHERE class = 'paid_twice')::int AS "paidTwice",
              count(*) FILTER (WHERE class = 'without_entitlement')::int AS "withoutEntitlement",
              count(*) FILTER (WHERE class = 'name_mismatch')::int AS "nameMismatch", count(*) FILTER (WHERE class = 'reversal')::int AS reversal
       FROM payment WHERE term = $1 AND ($2::char(6) IS NULL OR county_code = $2)`,
      args.slice(0, 2),
    );
    const [g]: { n: number }[] = await this.dataSource.query(
      `SELECT count(*)::int AS n FROM coverage_gap WHERE term = $1 AND ($2::char(6) IS NULL OR county_code = $2)`,
      args.slice(0, 2),
    );
    return {
      entitlements: e as ReconciliationSummary['entitlements'],
      payments: p as ReconciliationSummary['payments'],
      coverageGaps: g.n,
    };
  }
}
