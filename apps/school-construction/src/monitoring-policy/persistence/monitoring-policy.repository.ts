import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { policyInForce, type MonitoringPolicy } from '../domain/monitoring-policy.js';

interface PolicyRow {
  effective_from: string;
  stalled_after_days: number;
  overrun_tolerance_percent: number;
  created_by: string;
  created_at: Date;
}

const toPolicy = (r: PolicyRow): MonitoringPolicy => ({
  effectiveFrom: r.effective_from,
  stalledAfterDays: r.stalled_after_days,
  overrunTolerancePercent: r.overrun_tolerance_percent,
});

@Injectable()
export class MonitoringPolicyRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The policy in force on `day`. */
  async inForce(day: string, em: EntityManager = this.dataSource.manager): Promise<MonitoringPolicy> {
    const rows: PolicyRow[] = await em.query(
      `SELECT effective_from::text, stalled_after_days, overrun_tolerance_percent, created_by, created_at
       FROM monitoring_policy WHERE effective_from <= $1 ORDER BY effective_from DESC LIMIT 1`,
      [day],
    );
    return policyInForce(rows.map(toPolicy), day);
  }

  async list(): Promise<(MonitoringPolicy & { createdBy: string; createdAt: string })[]> {
    const rows: PolicyRow[] = await this.dataSource.query(
      `SELECT effective_from::text, stalled_after_days, overrun_tolerance_percent, created_by, created_at
       FROM monitoring_policy ORDER BY effective_from`,
    );
    return rows.map((r) => ({
      ...toPolicy(r),
      createdBy: r.created_by,
      createdAt: r.created_at.toISOString(),
    }));
  }

  /** False when a row with that effective date exists already. */
  async insert(p: MonitoringPolicy, by: string): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(
      `INSERT INTO monitoring_policy (effective_from, stalled_after_days, overrun_tolerance_percent, created_by)
       VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING RETURNING effective_from`,
      [p.effectiveFrom, p.stalledAfterDays, p.overrunTolerancePercent, by],
    );
    return rows.length === 1;
  }
}
