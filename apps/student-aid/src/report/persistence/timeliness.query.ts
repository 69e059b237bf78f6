import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

/** One line of the "timely and in full" report: a policy in a county, amounts in fen. */
export interface TimelinessLine {
  policyCode: string;
  countyCode: string;
  studentsEntitled: number;
  entitlements: number;
  amountDueFen: number;
  paidOnTimeFen: number;
  paidLateFen: number;
  /** What is missing from entitlements part paid past their due date. */
  shortFen: number;
  /** Amount due of entitlements past their due date with nothing paid. */
  unpaidFen: number;
  paidInFullOnTime: number;
}

/**
 * Per policy and county: approved entitlements, money due, paid by the due date, paid after
 * it, short and unpaid past the due date, and how many were paid in full on time.
 */
@Injectable()
export class TimelinessQuery {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async lines(term: string, county: string | undefined, today: string): Promise<TimelinessLine[]> {
    const rows: Record<string, string | number>[] = await this.dataSource.query(
      `SELECT policy_code, county_code, count(DISTINCT student_key)::int AS students, count(*)::int AS entitlements,
              sum(amount_due_fen)::bigint AS due,
              sum(LEAST(paid_on_time_fen, amount_due_fen))::bigint AS on_time,
              sum(GREATEST(LEAST(amount_paid_fen, amount_due_fen) - LEAST(paid_on_time_fen, amount_due_fen), 0))::bigint AS late,
              sum(CASE WHEN amount_paid_fen > 0 AND amount_paid_fen < amount_due_fen AND due_date < $3::date
                       THEN amount_due_fen - amount_paid_fen ELSE 0 END)::bigint AS short,
              sum(CASE WHEN amount_paid_fen = 0 AND due_date < $3::date THEN amount_due_fen ELSE 0 END)::bigint AS unpaid,
              count(*) FILTER (WHERE paid_on_time_fen >= amount_due_fen)::int AS full_on_time
       FROM entitlement
       WHERE term = $1 AND status <> 'prepared' AND ($2::char(6) IS NULL OR county_code = $2)
       GROUP BY policy_code, county_code ORDER BY policy_code, county_code`,
      [term, county ?? null, today],
    );
    return rows.map((r) => ({
      policyCode: r.policy_code as string,
      countyCode: r.county_code as string,
      studentsEntitled: r.students as number,
      entitlements: r.entitlements as number,
      amountDueFen: Number(r.due),
      paidOnTimeFen: Number(r.on_time),
      paidLateFen: Number(r.late),
      shortFen: Number(r.short),
      unpaidFen: Number(r.unpaid),
      paidInFullOnTime: r.full_on_time as number,
    }));
  }
}
