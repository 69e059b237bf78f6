import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import type { Front } from '@edu/contracts';
import { Escalation, type EscalationProps } from '../domain/escalation.js';
import type { EscalationPolicy, Level } from '../domain/escalation-policy.js';
import type { Breach } from '../domain/breach.js';

interface EscalationRow {
  id: string;
  front: Front;
  county_code: string;
  status: EscalationProps['status'];
  level: Level | null;
  policy: EscalationPolicy;
  steps_done: number;
  item_count: number;
  open_item_count: number;
  amount_fen: string;
  opened_at: Date;
  resolved_at: Date | null;
}

const toDomain = (r: EscalationRow) =>
  Escalation.restore({
    id: r.id,
    front: r.front,
    countyCode: r.county_code,
    status: r.status,
    level: r.level,
    policy: r.policy,
    stepsDone: r.steps_done,
    itemCount: r.item_count,
    openItemCount: r.open_item_count,
    amountFen: Number(r.amount_fen),
    openedAt: r.opened_at.toISOString(),
    resolvedAt: r.resolved_at?.toISOString() ?? null,
  });

export interface NoticeRecord {
  id: string;
  escalationId: string;
  stepIndex: number;
  level: Level;
  kind: string;
  officialId: string;
  officialName: string;
  channels: string[];
  fallback: boolean;
}

@Injectable()
export class EscalationRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async currentPolicy(em: EntityManager, front: Front): Promise<EscalationPolicy | null> {
    const rows: { version: number; steps: EscalationPolicy['steps'] }[] = await em.query(
      `SELECT version, steps FROM escalation_policy WHERE front = $1 AND effective_from <= now()
       ORDER BY version DESC LIMIT 1`,
      [front],
    );
    return rows[0] ? { front, version: rows[0].version, steps: rows[0].steps } : null;
  }

  async seedPolicies(em: EntityManager, policies: EscalationPolicy[]): Promise<number> {
    const rows: unknown[] = await em.query(
      `INSERT INTO escalation_policy (front, version, steps)
       SELECT * FROM unnest($1::text[], $2::int[], $3::jsonb[]) ON CONFLICT DO NOTHING RETURNING front`,
      [
        policies.map((p) => p.front),
        policies.map((p) => p.version),
        policies.map((p) => JSON.stringify(p.steps)),
      ],
    );
    return rows.length;
  }

  /** The open escalation of a front and county, locked; created from `create` if there is none. */
  async lockOpen(
    em: EntityManager,
    front: Front,
    county: string,
    create: () => Escalation,
  ): Promise<{ escalation: Escalation; created: boolean }> {
    const select = () =>
      em.query<EscalationRow[]>(
        `SELECT * FROM escalation WHERE front = $1 AND county_code = $2 AND status = 'open' FOR UPDATE`,
        [front, county],
      );
    const found = await select();
    if (found[0]) return { escalation: toDomain(found[0]), created: false };
    const fresh = create();
    const s = fresh.state;
    const inserted: unknown[] = await em.query(
      `INSERT INTO escalation (id, front, county_code, status, level, policy, steps_done, item_count, open_item_count, amount_fen, opened_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
       ON CONFLICT (front, county_code) WHERE status = 'open' DO NOTHING RETURNING id`,
      [
        s.id,
        s.front,
        s.countyCode,
        s.status,
        s.level,
        JSON.stringify(s.policy),
        s.stepsDone,
        s.itemCount,
        s.openItemCount,
        s.amountFen,
        s.openedAt,
      ],
    );
    if (inserted.length > 0) return { escalation: fresh, created: true };
    // Another consumer opened it a moment ago: join theirs.
    const again = await select();
    return { escalation: toDomain(again[0]), created: false };
  }

  async lockById(em: EntityManager, id: string): Promise<Escalation | null> {
    const rows = await em.query<EscalationRow[]>('SELECT * FROM escalation WHERE id = $1 FOR UPDATE', [id]);
    return rows[0] ? toDomain(rows[0]) : null;
  }

  async save(em: EntityManager, e: Escalation): Promise<void> {
    const s = e.state;
    await em.query(
      `UPDATE escalation SET status = $2, level = $3, steps_done = $4, item_count = $5, open_item_count = $6,
         amount_fen = $7, resolved_at = $8 WHERE id = $1`,
      [s.id, s.status, s.level, s.stepsDone, s.itemCount, s.openItemCount, s.amountFen, s.resolvedAt],
    );
  }

  /** Adds the item unless it is already open in this escalation. */
  async addItem(em: EntityManager, escalationId: string, breach: Breach, eventId: string): Promise<boolean> {
    const rows: unknown[] = await em.query(
      `INSERT INTO escalation_item (escalation_id, item_key, breach_type, amount_fen, first_event_id)
       VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING RETURNING item_key`,
      [escalationId, breach.itemKey, breach.breachType, breach.amountFen, eventId],
    );
    return rows.length > 0;
  }

  /** Whether the item was settled by an event that happened at or after `since`. */
  async settledSince(em: EntityManager, itemKey: string, since: string): Promise<boolean> {
    const rows: unknown[] = await em.query(
      'SELECT 1 FROM item_settlement WHERE item_key = $1 AND occurred_at >= $2',
      [itemKey, since],
    );
    return rows.length > 0;
  }

  /** Records the settlement and closes the item wherever it is open; returns the escalations touched. */
  async settleItem(em: EntityManager, itemKey: string, occurredAt: string): Promise<string[]> {
    await em.query(
      `INSERT INTO item_settlement (item_key, occurred_at) VALUES ($1, $2)
       ON CONFLICT (item_key) DO UPDATE SET occurred_at = GREATEST(item_settlement.occurred_at, EXCLUDED.occurred_at)`,
      [itemKey, occurredAt],
    );
    const rows: { escalation_id: string }[] = await em.query(
      // Wrapped in a SELECT: TypeORM returns [rows, count] for a bare UPDATE ... RETURNING.
      `WITH settled AS (
         UPDATE escalation_item SET settled_at = $2 WHERE item_key = $1 AND settled_at IS NULL RETURNING escalation_id
       ) SELECT escalation_id FROM settled`,
      [itemKey, occurredAt],
    );
    return rows.map((r) => r.escalation_id);
  }

  async insertNotices(em: EntityManager, notices: NoticeRecord[]): Promise<void> {
    for (const n of notices) {
      await em.query(
        `INSERT INTO escalation_notice (id, escalation_id, step_index, level, kind, official_id, official_name, channels, fallback)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        [
          n.id,
          n.escalationId,
          n.stepIndex,
          n.level,
          n.kind,
          n.officialId,
          n.officialName,
          n.channels,
          n.fallback,
        ],
      );
    }
  }

  async list(filter: { county?: string; status?: string; limit: number }) {
    const rows: (EscalationRow & { notices: unknown[] | null })[] = await this.dataSource.query(
      `SELECT e.*, (
         SELECT json_agg(json_build_object('id', n.id, 'level', n.level, 'kind', n.kind, 'officialId', n.official_id,
                  'officialName', n.official_name, 'channels', n.channels, 'fallback', n.fallback,
                  'requestedAt', n.requested_at) ORDER BY n.requested_at, n.step_index, n.official_id)
         FROM escalation_notice n WHERE n.escalation_id = e.id) AS notices
       FROM escalation e
       WHERE ($1::char(6) IS NULL OR e.county_code = $1) AND ($2::text IS NULL OR e.status = $2)
       ORDER BY e.opened_at DESC LIMIT $3`,
      [filter.county ?? null, filter.status ?? null, filter.limit],
    );
    return rows.map((r) => ({ escalation: toDomain(r), notices: r.notices ?? [] }));
  }
}
