import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { validateAmountRule, validateCondition } from '../domain/rules.js';
import type { PolicyDefinition, PolicyVersion } from '../domain/policy.js';

interface PolicyRow {
  code: string;
  version: number;
  name: string;
  stage: PolicyDefinition['stage'];
  eligibility: unknown;
  amount: unknown;
  terms: string[];
  due_by: PolicyDefinition['dueBy'];
  effective_from: string;
  effective_to: string | null;
  retired: boolean;
  basis: PolicyDefinition['basis'];
  note: string | null;
  created_by: string;
  created_at: Date;
}

const COLUMNS = `code, version, name, stage, eligibility, amount, terms, due_by,
  to_char(effective_from, 'YYYY-MM-DD') AS effective_from, to_char(effective_to, 'YYYY-MM-DD') AS effective_to,
  retired, basis, note, created_by, created_at`;

/** Rows are validated again on the way in: a rule reaches the SQL compiler only if it is well formed. */
function toVersion(r: PolicyRow): PolicyVersion {
  return {
    code: r.code,
    version: r.version,
    name: r.name,
    stage: r.stage,
    eligibility: validateCondition(r.eligibility),
    amount: validateAmountRule(r.amount),
    terms: r.terms as PolicyVersion['terms'],
    dueBy: r.due_by,
    effectiveFrom: r.effective_from,
    effectiveTo: r.effective_to,
    retired: r.retired,
    basis: r.basis,
    note: r.note,
    createdBy: r.created_by,
    createdAt: r.created_at.toISOString(),
  };
}

@Injectable()
export class PolicyRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async all(em: EntityManager = this.dataSource.manager): Promise<PolicyVersion[]> {
    const rows: PolicyRow[] = await em.query(`SELECT ${COLUMNS} FROM aid_policy ORDER BY code, version`);
    return rows.map(toVersion);
  }

  async versions(code: string): Promise<PolicyVersion[]> {
    const rows: PolicyRow[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM aid_policy WHERE code = $1 ORDER BY version`,
      [code],
    );
    return rows.map(toVersion);
  }

  async exists(code: string): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query('SELECT 1 FROM aid_policy WHERE code = $1 LIMIT 1', [
      code,
    ]);
    return rows.length > 0;
  }

  /** The latest version, locked so two edits of one policy queue up. */
  async latestForUpdate(em: EntityManager, code: string): Promise<number | null> {
    await em.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`aid_policy:${code}`]);
    const rows: { version: number }[] = await em.query(
      'SELECT max(version) AS version FROM aid_policy WHERE code = $1',
      [code],
    );
    return rows[0]?.version ?? null;
  }

  async insert(em: EntityManager, p: PolicyVersion): Promise<void> {
    await em.query(
      `INSERT INTO aid_policy (code, version, name, stage, eligibility, amount, terms, due_by, effective_from,
         effective_to, retired, basis, note, created_by, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`,
      [
        p.code,
        p.version,
        p.name,
        p.stage,
        JSON.stringify(p.eligibility),
        JSON.stringify(p.amount),
        p.terms,
        JSON.stringify(p.dueBy),
        p.effectiveFrom,
        p.effectiveTo,
        p.retired,
        p.basis,
        p.note,
        p.createdBy,
        p.createdAt,
      ],
    );
  }
}
