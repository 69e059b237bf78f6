import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Principal } from '@edu/auth';
import { auditJson, maskIdNumbers, maskSecretsInText } from './audit-mask.js';

export type AuditOutcome = 'done' | 'refused' | 'failed';

export interface AuditEntry {
  requestId?: string;
  by: Principal;
  /** `POST /api/cases/:id/close` */
  action: string;
  target?: string | null;
  status: number;
  request?: unknown;
  before?: unknown;
  after?: unknown;
  client?: string;
}

export interface AuditRecord {
  id: string;
  at: string;
  requestId: string | null;
  actor: string;
  role: string;
  county: string | null;
  action: string;
  target: string | null;
  status: number;
  outcome: AuditOutcome;
  request: unknown;
  before: unknown;
  after: unknown;
  client: string | null;
}

export interface AuditFilter {
  actor?: string;
  action?: string;
  target?: string;
  outcome?: AuditOutcome;
  from?: string;
  to?: string;
  limit: number;
  offset: number;
}

export function outcomeOf(status: number): AuditOutcome {
  if (status < 400) return 'done';
  return status >= 500 ? 'failed' : 'refused';
}

/** Appends to the service's audit log (never updates it) and reads it back. */
@Injectable()
export class AuditLog {
  constructor(private readonly dataSource: DataSource) {}

  async record(e: AuditEntry): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO audit_log (request_id, actor, role, county, action, target, status, outcome, request, before, after, client)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
      [
        e.requestId ?? null,
        e.by.sub,
        e.by.role,
        e.by.county ?? null,
        e.action,
        e.target ? maskIdNumbers(maskSecretsInText(e.target)) : null,
        e.status,
        outcomeOf(e.status),
        JSON.stringify(auditJson(e.request)),
        JSON.stringify(auditJson(e.before)),
        JSON.stringify(auditJson(e.after)),
        e.client ?? null,
      ],
    );
  }

  async list(f: AuditFilter): Promise<{ rows: AuditRecord[]; total: number }> {
    const where = `($1::text IS NULL OR actor = $1) AND ($2::text IS NULL OR action = $2)
      AND ($3::text IS NULL OR target = $3) AND ($4::text IS NULL OR outcome = $4)
      AND ($5::timestamptz IS NULL OR at >= $5) AND ($6::timestamptz IS NULL OR at < $6)`;
    const params = [
      f.actor ?? null,
      f.action ?? null,
      f.target ?? null,
      f.outcome ?? null,
      f.from ?? null,
      f.to ?? null,
    ];
    const [rows, count] = await Promise.all([
      this.dataSource.query<Record<string, unknown>[]>(
        `SELECT * FROM audit_log WHERE ${where} ORDER BY id DESC LIMIT $7 OFFSET $8`,
        [...params, f.limit, f.offset],
      ),
      this.dataSource.query<{ n: number }[]>(
        `SELECT count(*)::int AS n FROM audit_log WHERE ${where}`,
        params,
      ),
    ]);
    return {
      total: count[0]?.n ?? 0,
      rows: rows.map((r) => ({
        id: String(r.id),
        at: (r.at as Date).toISOString(),
        requestId: r.request_id as string | null,
        actor: r.actor as string,
        role: r.role as string,
        county: r.county as string | null,
        action: r.action as string,
        target: r.target as string | null,
        status: r.status as number,
        outcome: r.outcome as AuditOutcome,
        request: r.request,
        before: r.before,
        after: r.after,
        client: r.client as string | null,
      })),
    };
  }
}
