import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import type { SupervisedFront } from '../../directory/domain/front.js';
import type { Breach } from '../domain/breach.js';
import type { BreachType } from '../domain/breach-type.js';
import { Escalation, type EscalationProps, type StepDecision } from '../domain/escalation.js';
import type { EscalationPolicy, Level } from '../domain/escalation-policy.js';

interface EscalationRow {
  id: string;
  breach_type: BreachType;
  front: SupervisedFront;
  county_code: string;
  status: EscalationProps['status'];
  level: Level | null;
  policy: Partial<EscalationPolicy> & { steps: EscalationPolicy['steps'] };
  steps_done: number;
  reported_through: number;
  last_step_at: Date;
  next_step_at: Date | null;
  recurrence_of: string | null;
  opened_at: Date;
  resolved_at: Date | null;
  acknowledged_at: Date | null;
  // The tally, read from the items.
  item_count: string;
  open_item_count: string;
  amount_fen: string;
  open_amount_fen: string;
  unreported_count: string;
  unreported_amount_fen: string;
  open_before_step: string;
}

/** The escalation with its counts read from its items (the items are the record; nothing is kept twice). */
const WITH_TALLY = `
  SELECT e.*, t.* FROM escalation e
  CROSS JOIN LATERAL (
    SELECT count(*) AS item_count,
           count(*) FILTER (WHERE i.settled_at IS NULL) AS open_item_count,
           COALESCE(sum(i.amount_fen), 0) AS amount_fen,
           COALESCE(sum(i.amount_fen) FILTER (WHERE i.settled_at IS NULL), 0) AS open_amount_fen,
           count(*) FILTER (WHERE i.settled_at IS NULL AND (i.joined_step >= e.reported_through
                                                         OR i.reopened_step >= e.reported_through)) AS unreported_count,
           COALESCE(sum(i.amount_fen) FILTER (WHERE i.settled_at IS NULL AND (i.joined_step >= e.reported_through
                                                         OR i.reopened_step >= e.reported_through)), 0)
             AS unreported_amount_fen,
           count(*) FILTER (WHERE i.settled_at IS NULL AND i.joined_step < e.steps_done) AS open_before_step
    FROM escalation_item i WHERE i.escalation_id = e.id
  ) t`;

const toDomain = (r: EscalationRow) =>
  Escalation.restore({
    id: r.id,
    breachType: r.breach_type,
    front: r.front,
    countyCode: r.county_code,
    status: r.status,
    level: r.level,
    // Snapshots taken before policies were per breach type lack these two.
    policy: {
      version: r.policy.version ?? 1,
      steps: r.policy.steps,
      breachType: r.policy.breachType ?? r.breach_type,
      recurrenceWindowDays: r.policy.recurrenceWindowDays ?? 90,
    },
    stepsDone: r.steps_done,
    itemCount: Number(r.item_count),
    openItemCount: Number(r.open_item_count),
    amountFen: Number(r.amount_fen),
    openAmountFen: Number(r.open_amount_fen),
    unreportedCount: Number(r.unreported_count),
    unreportedAmountFen: Number(r.unreported_amount_fen),
    reportedThrough: r.reported_through,
    openBeforeStep: Number(r.open_before_step),
    lastStepAt: r.last_step_at.toISOString(),
    nextStepAt: r.next_step_at?.toISOString() ?? null,
    recurrenceOf: r.recurrence_of,
    openedAt: r.opened_at.toISOString(),
    resolvedAt: r.resolved_at?.toISOString() ?? null,
    acknowledgedAt: r.acknowledged_at?.toISOString() ?? null,
  });

export interface EscalationKey {
  breachType: BreachType;
  front: SupervisedFront;
  countyCode: string;
}

export interface NoticeRecord {
  id: string;
  escalationId: string;
  stepIndex: number;
  level: Level;
  kind: string;
  officialId: string;
  officialName: string;
  role: string;
  channels: string[];
  fallback: boolean;
  scope: 'county' | 'city';
  itemCount: number;
  amountFen: number;
  newItemCount: number;
  urgent: boolean;
  attachments: string[];
  requestedAt: string;
}

export interface PolicyVersion extends EscalationPolicy {
  effectiveFrom: string;
  createdBy: string | null;
}

/** Where the seeded first versions start: the 2020 campaign, whatever the clock says. */
export const SEED_EFFECTIVE_FROM = '2020-01-01T00:00:00+08:00';

@Injectable()
export class EscalationRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** For reads outside a transaction. */
  get manager(): EntityManager {
    return this.dataSource.manager;
  }

  // ---- policies

  async currentPolicy(em: EntityManager, breachType: BreachType, at: Date): Promise<EscalationPolicy | null> {
    const rows: { version: number; steps: EscalationPolicy['steps']; recurrence_window_days: number }[] =
      await em.query(
        `SELECT version, steps, recurrence_window_days FROM escalation_policy
         WHERE breach_type = $1 AND effective_from <= $2 ORDER BY version DESC LIMIT 1`,
        [breachType, at],
      );
    const r = rows[0];
    return r
      ? { breachType, version: r.version, steps: r.steps, recurrenceWindowDays: r.recurrence_window_days }
      : null;
  }

  async policyVersions(breachType?: string): Promise<PolicyVersion[]> {
    const rows: {
      breach_type: BreachType;
      version: number;
      steps: EscalationPolicy['steps'];
      recurrence_window_days: number;
      effective_from: Date;
      created_by: string | null;
    }[] = await this.dataSource.query(
      `SELECT * FROM escalation_policy WHERE ($1::text IS NULL OR breach_type = $1) ORDER BY breach_type, version`,
      [breachType ?? null],
    );
    return rows.map((r) => ({
      breachType: r.breach_type,
      version: r.version,
      steps: r.steps,
      recurrenceWindowDays: r.recurrence_window_days,
      effectiveFrom: r.effective_from.toISOString(),
      createdBy: r.created_by,
    }));
  }

  async seedPolicies(em: EntityManager, policies: EscalationPolicy[]): Promise<number> {
    const rows: unknown[] = await em.query(
      `INSERT INTO escalation_policy (breach_type, version, steps, recurrence_window_days, effective_from, created_by)
       SELECT u.*, $5::timestamptz, 'seed' FROM unnest($1::text[], $2::int[], $3::jsonb[], $4::int[]) AS u
       ON CONFLICT DO NOTHING RETURNING breach_type`,
      [
        policies.map((p) => p.breachType),
        policies.map((p) => p.version),
        policies.map((p) => JSON.stringify(p.steps)),
        policies.map((p) => p.recurrenceWindowDays),
        SEED_EFFECTIVE_FROM,
      ],
    );
    return rows.length;
  }

  /** Adds the next version of a breach type's policy (versions are never edited). */
  async addPolicyVersion(
    em: EntityManager,
    p: Omit<EscalationPolicy, 'version'>,
    effectiveFrom: Date,
    by: string,
  ): Promise<number> {
    await em.query(`SELECT pg_advisory_xact_lock(hashtext('policy:' || $1))`, [p.breachType]);
    const [row]: { version: number }[] = await em.query(
      `INSERT INTO escalation_policy (breach_type, version, steps, recurrence_window_days, effective_from, created_by)
       SELECT $1, COALESCE(max(version), 0) + 1, $2, $3, $4, $5 FROM escalation_policy WHERE breach_type = $1
       RETURNING version`,
      [p.breachType, JSON.stringify(p.steps), p.recurrenceWindowDays, effectiveFrom, by],
    );
    return row.version;
  }

  // ---- escalations
  //
  // Locks, weakest first: a breach joining an open escalation takes KEY SHARE (many at once,
  // never waiting on each other); a ladder decision, an acknowledgement or a calendar edit
  // takes NO KEY UPDATE (does not wait on joining breaches); resolving takes FOR UPDATE, so
  // that no breach can join an escalation in the moment it closes.

  /** The open escalation of the key, read without a lock (the hot path). */
  async findOpen(
    em: EntityManager,
    k: EscalationKey,
  ): Promise<{ id: string; nextStepAt: Date | null } | null> {
    const rows: { id: string; next_step_at: Date | null }[] = await em.query(
      `SELECT id, next_step_at FROM escalation WHERE breach_type = $1 AND front = $2 AND county_code = $3
         AND status = 'open'`,
      [k.breachType, k.front, k.countyCode],
    );
    return rows[0] ? { id: rows[0].id, nextStepAt: rows[0].next_step_at } : null;
  }

  /**
   * Holds the escalation open while items join it (KEY SHARE: joins do not block each other,
   * resolution waits for them); the steps decided so far, or null when it has closed.
   */
  async holdOpen(em: EntityManager, id: string): Promise<number | null> {
    const rows: { steps_done: number }[] = await em.query(
      `SELECT steps_done FROM escalation WHERE id = $1 AND status = 'open' FOR KEY SHARE`,
      [id],
    );
    return rows[0]?.steps_done ?? null;
  }

  /** The escalation of the same kind that closed last, if it closed at or after `since`. */
  async resolvedSince(em: EntityManager, k: EscalationKey, since: Date): Promise<string | null> {
    const rows: { id: string }[] = await em.query(
      `SELECT id FROM escalation WHERE breach_type = $1 AND front = $2 AND county_code = $3
         AND status = 'resolved' AND resolved_at >= $4
       ORDER BY resolved_at DESC LIMIT 1`,
      [k.breachType, k.front, k.countyCode, since],
    );
    return rows[0]?.id ?? null;
  }

  /** Inserts a new open escalation; false when another consumer opened one for the same key first. */
  async insertOpen(em: EntityManager, e: Escalation): Promise<boolean> {
    const s = e.state;
    const inserted: unknown[] = await em.query(
      `INSERT INTO escalation (id, breach_type, front, county_code, status, level, policy, steps_done,
         reported_through, last_step_at, next_step_at, recurrence_of, opened_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
       ON CONFLICT (breach_type, front, county_code) WHERE status = 'open' DO NOTHING RETURNING id`,
      [
        s.id,
        s.breachType,
        s.front,
        s.countyCode,
        s.status,
        s.level,
        JSON.stringify(s.policy),
        s.stepsDone,
        s.reportedThrough,
        s.lastStepAt,
        s.nextStepAt,
        s.recurrenceOf,
        s.openedAt,
      ],
    );
    return inserted.length > 0;
  }

  private async lock(
    em: EntityManager,
    id: string,
    mode: 'NO KEY UPDATE' | 'UPDATE',
  ): Promise<Escalation | null> {
    const locked: unknown[] = await em.query(`SELECT id FROM escalation WHERE id = $1 FOR ${mode}`, [id]);
    if (locked.length === 0) return null;
    return this.findById(id, em);
  }

  /** For a ladder decision or an acknowledgement: joining breaches go on; a second decider waits. */
  lockForDecision(em: EntityManager, id: string): Promise<Escalation | null> {
    return this.lock(em, id, 'NO KEY UPDATE');
  }

  /** Serialises the settlements of one open escalation; false when it is no longer open. */
  async holdForSettlement(em: EntityManager, id: string): Promise<boolean> {
    const rows: unknown[] = await em.query(
      `SELECT 1 FROM escalation WHERE id = $1 AND status = 'open' FOR NO KEY UPDATE`,
      [id],
    );
    return rows.length > 0;
  }

  /** For resolving: waits for the breaches joining it to commit, and keeps new ones out. */
  lockForResolution(em: EntityManager, id: string): Promise<Escalation | null> {
    return this.lock(em, id, 'UPDATE');
  }

  async findById(id: string, em: EntityManager = this.dataSource.manager): Promise<Escalation | null> {
    const rows = await em.query<EscalationRow[]>(`${WITH_TALLY} WHERE e.id = $1`, [id]);
    return rows[0] ? toDomain(rows[0]) : null;
  }

  /**
   * One open escalation whose next step is due, claimed so that replicas take different ones
   * (SKIP LOCKED), then held against new items while its step is decided (so the digest is
   * exact). Null when none is due.
   */
  async claimDue(em: EntityManager, now: Date): Promise<Escalation | null> {
    const rows: { id: string }[] = await em.query(
      `SELECT id FROM escalation WHERE status = 'open' AND next_step_at <= $1
       ORDER BY next_step_at LIMIT 1 FOR NO KEY UPDATE SKIP LOCKED`,
      [now],
    );
    if (!rows[0]) return null;
    return this.lock(em, rows[0].id, 'UPDATE');
  }

  async lockAllOpen(em: EntityManager): Promise<Escalation[]> {
    const ids: { id: string }[] = await em.query(
      `SELECT id FROM escalation WHERE status = 'open' ORDER BY id FOR NO KEY UPDATE`,
    );
    const all: Escalation[] = [];
    for (const { id } of ids) {
      const e = await this.findById(id, em);
      if (e) all.push(e);
    }
    return all;
  }

  /** Writes the ladder's state (the counts live in the items). */
  async save(em: EntityManager, e: Escalation): Promise<void> {
    const s = e.state;
    await em.query(
      `UPDATE escalation SET status = $2, level = $3, steps_done = $4, reported_through = $5, last_step_at = $6,
         next_step_at = $7, resolved_at = $8, acknowledged_at = $9
       WHERE id = $1`,
      [
        s.id,
        s.status,
        s.level,
        s.stepsDone,
        s.reportedThrough,
        s.lastStepAt,
        s.nextStepAt,
        s.resolvedAt,
        s.acknowledgedAt,
      ],
    );
  }

  async hasOpenItems(em: EntityManager, escalationId: string): Promise<boolean> {
    const rows: unknown[] = await em.query(
      'SELECT 1 FROM escalation_item WHERE escalation_id = $1 AND settled_at IS NULL LIMIT 1',
      [escalationId],
    );
    return rows.length > 0;
  }

  // ---- items

  /**
   * Adds the items not already in this escalation, and reopens those it holds settled: an
   * item reported again after it was settled is back (`reopened_step` makes the next notice
   * report it as new); one still open is left as it is. Keys are taken in order, so that two
   * batches sharing items never wait on each other in a cycle. Returns the keys added and reopened.
   */
  async addItems(
    em: EntityManager,
    escalationId: string,
    batch: { breach: Breach; eventId: string | null }[],
    joinedStep: number,
    at: Date,
  ): Promise<{ added: Set<string>; reopened: Set<string> }> {
    if (batch.length === 0) return { added: new Set(), reopened: new Set() };
    const items = [...new Map(batch.map((i) => [i.breach.itemKey, i])).values()].sort((a, b) =>
      a.breach.itemKey < b.breach.itemKey ? -1 : a.breach.itemKey > b.breach.itemKey ? 1 : 0,
    );
    const rows: { item_key: string }[] = await em.query(
      `INSERT INTO escalation_item (escalation_id, item_key, kind, amount_fen, first_event_id, joined_step, overdue,
         reported_at)
       SELECT $1, u.k, u.t, u.a, u.e, $6, u.o, $7
       FROM unnest($2::text[], $3::text[], $4::bigint[], $5::uuid[], $8::boolean[]) AS u(k, t, a, e, o)
       ON CONFLICT DO NOTHING RETURNING item_key`,
      [
        escalationId,
        items.map((i) => i.breach.itemKey),
        items.map((i) => i.breach.kind),
        items.map((i) => i.breach.amountFen),
        items.map((i) => i.eventId),
        joinedStep,
        at,
        items.map((i) => i.breach.overdue),
      ],
    );
    const added = new Set(rows.map((r) => r.item_key));
    const present = items.filter((i) => !added.has(i.breach.itemKey)).map((i) => i.breach.itemKey);
    if (present.length === 0) return { added, reopened: new Set() };
    // Only items already here reach this statement; an open one is not touched (nor locked).
    const back: { item_key: string }[] = await em.query(
      `WITH back AS (
         UPDATE escalation_item SET settled_at = NULL, reopened_at = $3, reopened_step = $4
         WHERE escalation_id = $1 AND item_key = ANY($2::text[]) AND settled_at IS NOT NULL
         RETURNING item_key
       ) SELECT item_key FROM back`,
      [escalationId, present, at, joinedStep],
    );
    return { added, reopened: new Set(back.map((r) => r.item_key)) };
  }

  /**
   * Whether the item has a settlement at or after `since`, decided holding the item's row in
   * item_settlement (created empty if it has none): a settlement of the item handled at the
   * same moment writes that row first, so one of the two waits for the other's commit.
   */
  settledSinceLocked(em: EntityManager, itemKey: string, since: string): Promise<boolean> {
    return this.holdSettlementRow(em, itemKey, since, null);
  }

  /**
   * Records a breach of the item that happened at `occurredAt` (the latest is kept); true when
   * the item has a settlement at or after it. A settlement writes the same row: the two take
   * turns, and each decides on what the other committed.
   */
  noteBreach(em: EntityManager, itemKey: string, occurredAt: string): Promise<boolean> {
    return this.holdSettlementRow(em, itemKey, occurredAt, occurredAt);
  }

  /** Locks the item's row (created if need be), keeping `breachedAt` if later; whether it was settled at or after `since`. */
  private async holdSettlementRow(
    em: EntityManager,
    itemKey: string,
    since: string,
    breachedAt: string | null,
  ): Promise<boolean> {
    const [row]: { settled: boolean }[] = await em.query(
      `INSERT INTO item_settlement (item_key, breached_at) VALUES ($1, $3::timestamptz)
       ON CONFLICT (item_key) DO UPDATE SET breached_at = GREATEST(item_settlement.breached_at, EXCLUDED.breached_at)
       RETURNING COALESCE(occurred_at >= $2::timestamptz, false) AS settled`,
      [itemKey, since, breachedAt],
    );
    return row.settled;
  }

  /**
   * Records the settlement and closes the item wherever it is open; returns the escalations
   * touched. A settlement older than the item's latest breach (handled after it) is recorded
   * but closes nothing: the item breached again since.
   */
  async settleItem(em: EntityManager, itemKey: string, occurredAt: string): Promise<string[]> {
    const [row]: { breached_since: boolean }[] = await em.query(
      `INSERT INTO item_settlement (item_key, occurred_at) VALUES ($1, $2::timestamptz)
       ON CONFLICT (item_key) DO UPDATE SET occurred_at = GREATEST(item_settlement.occurred_at, EXCLUDED.occurred_at)
       RETURNING COALESCE(breached_at > $2::timestamptz, false) AS breached_since`,
      [itemKey, occurredAt],
    );
    if (row.breached_since) return [];
    const rows: { escalation_id: string }[] = await em.query(
      // Wrapped in a SELECT: TypeORM returns [rows, count] for a bare UPDATE ... RETURNING.
      `WITH settled AS (
         UPDATE escalation_item SET settled_at = $2 WHERE item_key = $1 AND settled_at IS NULL RETURNING escalation_id
       ) SELECT DISTINCT escalation_id FROM settled`,
      [itemKey, occurredAt],
    );
    return rows.map((r) => r.escalation_id);
  }

  /** Open items whose key starts with `prefix` (the failed notices of an escalation). */
  async openItemKeys(em: EntityManager, prefix: string): Promise<string[]> {
    const rows: { item_key: string }[] = await em.query(
      `SELECT item_key FROM escalation_item WHERE settled_at IS NULL AND item_key LIKE $1`,
      [`${prefix.replace(/[\\%_]/g, '\\$&')}%`],
    );
    return rows.map((r) => r.item_key);
  }

  /** The open items by kind: counts and amounts for a notice's table. */
  async openItemsByKind(em: EntityManager, escalationId: string) {
    const rows: { kind: string; count: string; amount_fen: string }[] = await em.query(
      `SELECT kind, count(*) AS count, sum(amount_fen) AS amount_fen FROM escalation_item
       WHERE escalation_id = $1 AND settled_at IS NULL GROUP BY kind ORDER BY count(*) DESC, kind`,
      [escalationId],
    );
    return rows.map((r) => ({ kind: r.kind, count: Number(r.count), amountFen: Number(r.amount_fen) }));
  }

  // ---- the ladder's record

  async insertSteps(em: EntityManager, escalationId: string, decisions: StepDecision[]): Promise<void> {
    for (const d of decisions) {
      await em.query(
        `INSERT INTO escalation_step (escalation_id, step_index, level, outcome, reason_code, reason, open_item_count,
           open_amount_fen, new_item_count, new_amount_fen, at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT DO NOTHING`,
        [
          escalationId,
          d.index,
          d.step.level,
          d.outcome,
          d.reason?.code ?? null,
          d.reason?.text ?? null,
          d.digest.openItemCount,
          d.digest.openAmountFen,
          d.digest.newItemCount,
          d.digest.newAmountFen,
          d.at,
        ],
      );
    }
  }

  async steps(em: EntityManager, escalationId: string) {
    const rows: {
      step_index: number;
      level: Level;
      outcome: 'taken' | 'skipped';
      reason_code: string | null;
      reason: string | null;
      open_item_count: number;
      open_amount_fen: string;
      new_item_count: number;
      new_amount_fen: string;
      at: Date;
    }[] = await em.query('SELECT * FROM escalation_step WHERE escalation_id = $1 ORDER BY step_index', [
      escalationId,
    ]);
    return rows.map((r) => ({
      index: r.step_index,
      level: r.level,
      outcome: r.outcome,
      reasonCode: r.reason_code,
      reason: r.reason,
      openItemCount: r.open_item_count,
      openAmountFen: Number(r.open_amount_fen),
      newItemCount: r.new_item_count,
      newAmountFen: Number(r.new_amount_fen),
      at: r.at.toISOString(),
    }));
  }

  async insertNotices(em: EntityManager, notices: NoticeRecord[]): Promise<void> {
    for (const n of notices) {
      await em.query(
        `INSERT INTO escalation_notice (id, escalation_id, step_index, level, kind, official_id, official_name, role,
           channels, fallback, scope, item_count, amount_fen, new_item_count, urgent, attachments, requested_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)`,
        [
          n.id,
          n.escalationId,
          n.stepIndex,
          n.level,
          n.kind,
          n.officialId,
          n.officialName,
          n.role,
          n.channels,
          n.fallback,
          n.scope,
          n.itemCount,
          n.amountFen,
          n.newItemCount,
          n.urgent,
          n.attachments,
          n.requestedAt,
        ],
      );
    }
  }

  async notices(em: EntityManager, escalationId: string) {
    const rows: {
      id: string;
      step_index: number;
      level: Level;
      kind: string;
      official_id: string;
      official_name: string;
      fallback: boolean;
      requested_at: Date;
      failed_at: Date | null;
      delivered_at: Date | null;
    }[] = await em.query(
      'SELECT * FROM escalation_notice WHERE escalation_id = $1 ORDER BY requested_at, step_index, official_id',
      [escalationId],
    );
    return rows.map((r) => ({
      id: r.id,
      stepIndex: r.step_index,
      level: r.level,
      kind: r.kind,
      officialId: r.official_id,
      officialName: r.official_name,
      fallback: r.fallback,
      requestedAt: r.requested_at.toISOString(),
      failedAt: r.failed_at?.toISOString() ?? null,
      deliveredAt: r.delivered_at?.toISOString() ?? null,
    }));
  }

  /** The notice a notification request was made for (its id is the request id). */
  async noticeForUpdate(em: EntityManager, requestId: string) {
    const rows: {
      id: string;
      escalation_id: string;
      kind: string;
      delivered_at: Date | null;
      failed_at: Date | null;
    }[] = await em.query('SELECT * FROM escalation_notice WHERE id = $1 FOR UPDATE', [requestId]);
    return rows[0] ?? null;
  }

  async markNotice(
    em: EntityManager,
    requestId: string,
    outcome: { deliveredAt: string } | { failedAt: string; channel: string },
  ): Promise<void> {
    if ('deliveredAt' in outcome) {
      await em.query('UPDATE escalation_notice SET delivered_at = COALESCE(delivered_at, $2) WHERE id = $1', [
        requestId,
        outcome.deliveredAt,
      ]);
    } else {
      await em.query(
        'UPDATE escalation_notice SET failed_at = COALESCE(failed_at, $2), failed_channel = COALESCE(failed_channel, $3) WHERE id = $1',
        [requestId, outcome.failedAt, outcome.channel],
      );
    }
  }

  async insertAck(
    em: EntityManager,
    a: { id: string; escalationId: string; by: string; role: string; note: string | null; at: string },
  ): Promise<void> {
    await em.query(
      `INSERT INTO escalation_ack (id, escalation_id, acknowledged_by, role, note, at) VALUES ($1, $2, $3, $4, $5, $6)`,
      [a.id, a.escalationId, a.by, a.role, a.note, a.at],
    );
  }

  async acks(escalationId: string) {
    const rows: { acknowledged_by: string; role: string; note: string | null; at: Date }[] =
      await this.dataSource.query('SELECT * FROM escalation_ack WHERE escalation_id = $1 ORDER BY at', [
        escalationId,
      ]);
    return rows.map((r) => ({ by: r.acknowledged_by, role: r.role, note: r.note, at: r.at.toISOString() }));
  }

  // ---- reading

  async list(filter: {
    county?: string;
    status?: string;
    front?: string;
    breachType?: string;
    limit: number;
    offset: number;
  }) {
    const where = `($1::char(6) IS NULL OR e.county_code = $1) AND ($2::text IS NULL OR e.status = $2)
           AND ($3::text IS NULL OR e.front = $3) AND ($4::text IS NULL OR e.breach_type = $4)`;
    const params = [
      filter.county ?? null,
      filter.status ?? null,
      filter.front ?? null,
      filter.breachType ?? null,
    ];
    const rows: (EscalationRow & { notices: unknown[] | null })[] = await this.dataSource.query(
      `SELECT x.*, (
         SELECT json_agg(json_build_object('id', n.id, 'stepIndex', n.step_index, 'level', n.level, 'kind', n.kind,
                  'officialId', n.official_id, 'officialName', n.official_name, 'role', n.role,
                  'channels', n.channels, 'fallback', n.fallback, 'scope', n.scope, 'itemCount', n.item_count,
                  'newItemCount', n.new_item_count, 'urgent', n.urgent, 'attachments', n.attachments,
                  'requestedAt', n.requested_at, 'deliveredAt', n.delivered_at, 'failedAt', n.failed_at)
                ORDER BY n.requested_at, n.step_index, n.official_id)
         FROM escalation_notice n WHERE n.escalation_id = x.id) AS notices
       FROM (${WITH_TALLY}
         WHERE ${where}
         ORDER BY e.opened_at DESC, e.id DESC LIMIT $5 OFFSET $6) x
       ORDER BY x.opened_at DESC, x.id DESC`,
      [...params, filter.limit, filter.offset],
    );
    const [{ total }]: { total: number }[] = await this.dataSource.query(
      `SELECT count(*)::int AS total FROM escalation e WHERE ${where}`,
      params,
    );
    return { rows: rows.map((r) => ({ escalation: toDomain(r), notices: r.notices ?? [] })), total };
  }
}
