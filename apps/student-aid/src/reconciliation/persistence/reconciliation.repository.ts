import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { ApplyContext, ApplyResult, RowProblem } from '@edu/imports';
import { OUTBOX_CHANNEL } from '@edu/messaging';
import { SERVICE_CONFIG, type ServiceConfig } from '@edu/service';
import type { PolicyVersion } from '../../policy/domain/policy.js';
import type { Term } from '../../policy/domain/term.js';
import { policyRowsSql } from '../../policy/persistence/policy-sql.js';
import { dateSql, outboxInsertSql, yuanSql } from './outbox-sql.js';

const REF = `jsonb_build_object('studentKey', x.student_key, 'countyCode', x.county_code, 'policyCode', x.policy_code, 'term', x.term)`;
const DROPOUT = `CASE WHEN x.dropout_case_id IS NULL THEN '{}'::jsonb ELSE jsonb_build_object('dropoutCaseId', x.dropout_case_id) END`;

/** A DELETE … RETURNING's rows (em.query alone would return [rows, count]). */
function deleted<T = { line: number }>(
  em: EntityManager,
  statement: string,
  params: unknown[] = [],
): Promise<T[]> {
  return em.query(`WITH d AS (${statement}) SELECT * FROM d`, params);
}

/** aid.entitlement.overdue.v1 data for entitlement rows `x`. */
const UNPAID_DATA = `${REF} || jsonb_build_object('entitlementId', x.id, 'schoolCode', x.school_code,
  'amountDue', ${yuanSql('x.amount_due_fen')}, 'amountPaid', ${yuanSql('x.amount_paid_fen')},
  'dueDate', ${dateSql('x.due_date')}) || ${DROPOUT}`;
/** aid.payment.short.v1 data for entitlement rows `x`. */
const SHORT_DATA = `${REF} || jsonb_build_object('entitlementId', x.id, 'amountDue', ${yuanSql('x.amount_due_fen')},
  'amountPaid', ${yuanSql('x.amount_paid_fen')}, 'shortfall', ${yuanSql('x.amount_due_fen - x.amount_paid_fen')}) || ${DROPOUT}`;

export interface SweepCounts {
  unpaid: number;
  short: number;
}

export interface PaymentApplyOptions {
  /** ISO timestamp of now (the clock's): envelopes' occurredAt and settledAt. */
  now: string;
}

/**
 * The set-based reconciliation: payment files applied to entitlements, breaches swept and
 * coverage gaps found, each with its outbox events in the same statement's transaction.
 * The rules are Entitlement's (domain/entitlement.ts), applied to whole sets.
 */
@Injectable()
export class ReconciliationRepository {
  constructor(@Inject(SERVICE_CONFIG) private readonly config: ServiceConfig) {}

  /** Wakes relays at once only where the service asks for it (OUTBOX_NOTIFY), as Outbox does. */
  private async notify(em: EntityManager) {
    if (this.config.messaging.outboxNotify) await em.query(`SELECT pg_notify($1, '')`, [OUTBOX_CHANNEL]);
  }

  /**
   * Past the due date and not paid in full: nothing paid raises the unpaid subsidy, part
   * paid the short payment, each once (overdue_since / short_since). Safe on many
   * replicas: a row another sweep changed first no longer matches when its lock is freed.
   */
  async sweepBreaches(
    em: EntityManager,
    today: string,
    now: string,
    term?: string,
    county?: string,
  ): Promise<SweepCounts> {
    const [r]: SweepCounts[] = await em.query(
      `WITH hit AS (
         UPDATE entitlement e SET status = 'overdue',
           overdue_since = COALESCE(e.overdue_since, $1::date),
           short_since = CASE WHEN e.amount_paid_fen > 0 THEN COALESCE(e.short_since, $1::date) ELSE e.short_since END
         WHERE e.status IN ('due', 'overdue') AND e.due_date < $1::date AND e.amount_paid_fen < e.amount_due_fen
           AND ((e.amount_paid_fen = 0 AND e.overdue_since IS NULL) OR (e.amount_paid_fen > 0 AND e.short_since IS NULL))
           AND ($4::text IS NULL OR e.term = $4) AND ($5::char(6) IS NULL OR e.county_code = $5)
         RETURNING e.*),
       unpaid AS (${outboxInsertSql('aid.entitlement.overdue.v1', `SELECT x.id AS subject, x.county_code AS county, ${UNPAID_DATA} AS data FROM hit x WHERE x.amount_paid_fen = 0`, '$2', '$3')} RETURNING 1),
       short AS (${outboxInsertSql('aid.payment.short.v1', `SELECT x.id AS subject, x.county_code AS county, ${SHORT_DATA} AS data FROM hit x WHERE x.amount_paid_fen > 0`, '$2', '$3')} RETURNING 1)
       SELECT (SELECT count(*) FROM unpaid)::int AS unpaid, (SELECT count(*) FROM short)::int AS short`,
      [today, now, this.config.service, term ?? null, county ?? null],
    );
    if (r.unpaid + r.short > 0) await this.notify(em);
    return r;
  }

  /**
   * Eligible on the roster (by the term's policy versions, once their due date passed) but
   * no approved entitlement: a coverage gap, recorded and raised once.
   */
  async findCoverageGaps(
    em: EntityManager,
    policies: readonly PolicyVersion[],
    term: Term,
    today: string,
    now: string,
    county?: string,
  ): Promise<number> {
    const rows = policyRowsSql(policies, term);
    if (!rows) return 0;
    await em.query(`SET LOCAL work_mem = '64MB'`);
    const [r]: { gaps: number }[] = await em.query(
      `WITH found AS (
         INSERT INTO coverage_gap (student_key, policy_code, term, county_code, policy_version, amount_fen, found_on)
         SELECT s.student_key, p.code, $1, s.county_code, p.version, p.amount_fen, $2::date
         FROM aid_student s CROSS JOIN LATERAL (${rows}) AS p(code, version, due_date, amount_fen)
         WHERE p.amount_fen > 0 AND p.due_date < $2::date AND ($5::char(6) IS NULL OR s.county_code = $5)
           AND NOT EXISTS (SELECT 1 FROM entitlement e WHERE e.student_key = s.student_key AND e.policy_code = p.code
                             AND e.term = $1 AND e.status <> 'prepared')
         ON CONFLICT DO NOTHING
         RETURNING *),
       ev AS (${outboxInsertSql(
         'aid.coverage.gap.v1',
         `SELECT 'coverage:' || x.student_key || ':' || x.policy_code || ':' || x.term AS subject, x.county_code AS county,
            ${REF} || jsonb_build_object('amount', ${yuanSql('x.amount_fen')}) AS data FROM found x`,
         '$3',
         '$4',
       )} RETURNING 1)
       SELECT (SELECT count(*) FROM ev)::int AS gaps`,
      [term.code, today, now, this.config.service, county ?? null],
    );
    if (r.gaps > 0) await this.notify(em);
    return r.gaps;
  }

  /**
   * Applies a staged payment file: every payment_ref once (a repeated file or line changes
   * nothing), payments matched to approved entitlements and classified (regular, paid
   * twice, without entitlement, name not matching the ID's student), reversals applied to
   * the payment they name; entitlements paid in full settle. Events: settled, irregular.
   */
  async applyPayments(em: EntityManager, ctx: ApplyContext, opts: PaymentApplyOptions): Promise<ApplyResult> {
    const { stage, scope, importId } = ctx;
    const problems: RowProblem[] = [];
    const add = (rows: { line: number }[], field: string, reason: string) =>
      problems.push(...rows.map((r) => ({ line: r.line, field, reason })));

    await em.query(`SET LOCAL work_mem = '64MB'`);
    // The staging table is this import's own: refused lines are deleted from it as they are found.
    const payIn = stage;
    // One row per payment_ref, the first line; later lines repeating it are refused (found by hashing).
    add(
      await deleted(
        em,
        `DELETE FROM ${payIn} st USING (SELECT payment_ref, min(line) AS first FROM ${payIn} GROUP BY payment_ref
           HAVING count(*) > 1) d WHERE st.payment_ref = d.payment_ref AND st.line <> d.first RETURNING st.line`,
      ),
      'payment_ref',
      'repeats the payment_ref of an earlier line',
    );
    await em.query(`ANALYZE ${payIn}`);

    // Already recorded: the same payment again changes nothing; different details are refused.
    const known = await deleted<{ line: number; same: boolean }>(
      em,
      `DELETE FROM ${payIn} p USING payment o WHERE o.reference = p.payment_ref
       RETURNING p.line, (o.student_key = p.student_key AND o.policy_code = p.policy_code AND o.term = p.term
         AND o.amount_fen = p.amount_fen AND o.paid_on = p.paid_on AND o.reverses IS NOT DISTINCT FROM p.reverses) AS same`,
    );
    add(
      known.filter((k) => !k.same),
      'payment_ref',
      'was recorded before with different details',
    );
    const unchanged = known.filter((k) => k.same).length;

    // Payments: matched to the approved entitlement of the student, policy and term.
    await em.query(
      `CREATE TEMP TABLE pay_a ON COMMIT DROP AS
       SELECT p.line, p.payment_ref, p.student_key, p.policy_code, p.term, p.amount_fen, p.paid_on,
              gen_random_uuid() AS id, e.id AS entitlement_id, e.amount_due_fen, e.amount_paid_fen AS paid_before,
              e.status AS status_before, e.due_date, COALESCE(e.county_code, r.county_code, p.id_region) AS county_code,
              (r.name IS NOT NULL AND r.name <> p.name) AS name_mismatch
       FROM ${payIn} p
       LEFT JOIN entitlement e ON e.student_key = p.student_key AND e.policy_code = p.policy_code
         AND e.term = p.term AND e.status <> 'prepared'
       LEFT JOIN aid_student r ON r.student_key = p.student_key
       WHERE p.reverses IS NULL`,
    );
    if (scope)
      add(
        await deleted(em, `DELETE FROM pay_a WHERE county_code <> $1 RETURNING line`, [scope]),
        'id_number',
        'is a student outside your jurisdiction',
      );
    await em.query('ANALYZE pay_a');
    // The running total per entitlement, in date order: a window only where a file pays one entitlement more than once.
    await em.query(
      `CREATE TEMP TABLE pay_c ON COMMIT DROP AS
       WITH multi AS (SELECT entitlement_id FROM pay_a WHERE entitlement_id IS NOT NULL GROUP BY 1 HAVING count(*) > 1),
       cum AS (
         SELECT a.*, a.paid_before + a.amount_fen AS cum FROM pay_a a
         WHERE a.entitlement_id IS NULL OR a.entitlement_id NOT IN (SELECT entitlement_id FROM multi)
         UNION ALL
         SELECT a.*, a.paid_before + sum(a.amount_fen) OVER (PARTITION BY a.entitlement_id ORDER BY a.paid_on, a.line)
         FROM pay_a a WHERE a.entitlement_id IN (SELECT entitlement_id FROM multi))
       SELECT c.*, CASE WHEN c.entitlement_id IS NULL THEN 'without_entitlement'
                        WHEN c.cum > c.amount_due_fen THEN 'paid_twice'
                        WHEN c.name_mismatch THEN 'name_mismatch'
                        ELSE 'regular' END AS class
       FROM cum c`,
    );
    const [paid]: { inserted: number; settled: number; irregular: number }[] = await em.query(
      `WITH ins AS (
         INSERT INTO payment (id, entitlement_id, student_key, county_code, policy_code, term, amount_fen, paid_on,
                              reference, class, import_id, line)
         SELECT id, entitlement_id, student_key, county_code, policy_code, term, amount_fen, paid_on, payment_ref, class, $1, line
         FROM pay_c RETURNING 1),
       agg AS (
         SELECT entitlement_id, sum(amount_fen) AS added,
                COALESCE(sum(amount_fen) FILTER (WHERE paid_on <= due_date), 0) AS on_time,
                min(paid_on) FILTER (WHERE cum >= amount_due_fen) AS full_on, min(status_before) AS status_before
         FROM pay_c WHERE entitlement_id IS NOT NULL GROUP BY entitlement_id),
       upd AS (
         UPDATE entitlement e SET amount_paid_fen = e.amount_paid_fen + a.added, paid_on_time_fen = e.paid_on_time_fen + a.on_time,
           status = CASE WHEN e.amount_paid_fen + a.added >= e.amount_due_fen THEN 'settled' ELSE e.status END,
           settled_on = CASE WHEN e.status <> 'settled' AND e.amount_paid_fen + a.added >= e.amount_due_fen THEN a.full_on ELSE e.settled_on END,
           settled_at = CASE WHEN e.status <> 'settled' AND e.amount_paid_fen + a.added >= e.amount_due_fen THEN $2::timestamptz ELSE e.settled_at END
         FROM agg a WHERE e.id = a.entitlement_id
         RETURNING e.*, a.status_before),
       settled AS (${outboxInsertSql(
         'aid.entitlement.settled.v1',
         `SELECT x.id AS subject, x.county_code AS county, ${REF} || jsonb_build_object('entitlementId', x.id,
            'amountPaid', ${yuanSql('x.amount_paid_fen')}, 'settledAt', $2::text) AS data
          FROM upd x WHERE x.status = 'settled' AND x.status_before <> 'settled'`,
         '$2',
         '$3',
       )} RETURNING 1),
       irregular AS (${outboxInsertSql(
         'aid.payment.irregular.v1',
         `SELECT COALESCE(x.entitlement_id, x.id) AS subject, x.county_code AS county, ${REF} || jsonb_build_object(
            'paymentId', x.id, 'amount', ${yuanSql('x.amount_fen')},
            'reason', CASE x.class WHEN 'paid_twice' THEN 'duplicate' ELSE 'not_entitled' END, 'irregularity', x.class) AS data
          FROM pay_c x WHERE x.class <> 'regular'`,
         '$2',
         '$3',
       )} RETURNING 1)
       SELECT (SELECT count(*) FROM ins)::int AS inserted, (SELECT count(*) FROM settled)::int AS settled,
              (SELECT count(*) FROM irregular)::int AS irregular`,
      [importId, opts.now, this.config.service],
    );

    const reversed = await this.applyReversals(em, ctx, payIn, add);
    if (paid.settled + paid.irregular > 0) await this.notify(em);
    return { inserted: paid.inserted + reversed, updated: 0, unchanged, problems };
  }

  /**
   * Reversals: a negative amount naming the payment_ref it reverses (recorded before or
   * earlier in this file), for the same student, policy and term, never more than is left
   * of it. The entitlement's paid amount drops; one paid in full no longer is.
   */
  private async applyReversals(
    em: EntityManager,
    { importId, scope }: ApplyContext,
    payIn: string,
    add: (rows: { line: number }[], field: string, reason: string) => void,
  ): Promise<number> {
    await em.query(
      `CREATE TEMP TABLE rev ON COMMIT DROP AS
       SELECT p.line, p.payment_ref, p.student_key, p.policy_code, p.term, p.amount_fen, p.paid_on, p.reverses,
              gen_random_uuid() AS id, o.id AS original_id, o.entitlement_id, o.county_code, o.paid_on AS original_paid_on,
              o.amount_fen AS original_fen, o.reversed_fen, e.due_date,
              (o.student_key = p.student_key AND o.policy_code = p.policy_code AND o.term = p.term) AS same_item,
              sum(-p.amount_fen) OVER (PARTITION BY o.id ORDER BY p.line) AS reversing
       FROM ${payIn} p LEFT JOIN payment o ON o.reference = p.reverses LEFT JOIN entitlement e ON e.id = o.entitlement_id
       WHERE p.reverses IS NOT NULL`,
    );
    add(
      await deleted(em, `DELETE FROM rev WHERE original_id IS NULL RETURNING line`),
      'reverses_ref',
      'names no recorded payment',
    );
    add(
      await deleted(em, `DELETE FROM rev WHERE original_fen < 0 RETURNING line`),
      'reverses_ref',
      'names a reversal, which cannot be reversed',
    );
    add(
      await deleted(em, `DELETE FROM rev WHERE NOT same_item RETURNING line`),
      'reverses_ref',
      'names a payment of another student, policy or term',
    );
    if (scope)
      add(
        await deleted(em, `DELETE FROM rev WHERE county_code <> $1 RETURNING line`, [scope]),
        'id_number',
        'is a student outside your jurisdiction',
      );
    add(
      await deleted(em, `DELETE FROM rev WHERE reversing > original_fen - reversed_fen RETURNING line`),
      'amount',
      'reverses more than is left of the payment it names',
    );
    const [r]: { inserted: number }[] = await em.query(
      `WITH ins AS (
         INSERT INTO payment (id, entitlement_id, student_key, county_code, policy_code, term, amount_fen, paid_on,
                              reference, class, reverses, import_id, line)
         SELECT id, entitlement_id, student_key, county_code, policy_code, term, amount_fen, paid_on, payment_ref,
                'reversal', reverses, $1, line FROM rev RETURNING 1),
       orig AS (
         UPDATE payment o SET reversed_fen = o.reversed_fen + t.total
         FROM (SELECT original_id, sum(-amount_fen) AS total FROM rev GROUP BY original_id) t WHERE o.id = t.original_id
         RETURNING 1),
       agg AS (
         SELECT entitlement_id, sum(amount_fen) AS removed,
                COALESCE(sum(amount_fen) FILTER (WHERE original_paid_on <= due_date), 0) AS removed_on_time
         FROM rev WHERE entitlement_id IS NOT NULL GROUP BY entitlement_id),
       upd AS (
         UPDATE entitlement e SET amount_paid_fen = e.amount_paid_fen + a.removed,
           paid_on_time_fen = e.paid_on_time_fen + a.removed_on_time,
           status = CASE WHEN e.status = 'settled' AND e.amount_paid_fen + a.removed < e.amount_due_fen THEN 'due' ELSE e.status END,
           settled_on = CASE WHEN e.amount_paid_fen + a.removed < e.amount_due_fen THEN NULL ELSE e.settled_on END,
           settled_at = CASE WHEN e.amount_paid_fen + a.removed < e.amount_due_fen THEN NULL ELSE e.settled_at END
         FROM agg a WHERE e.id = a.entitlement_id RETURNING 1)
       SELECT (SELECT count(*) FROM ins)::int AS inserted, (SELECT count(*) FROM orig)::int AS o,
              (SELECT count(*) FROM upd)::int AS u`,
      [importId],
    );
    return r.inserted;
  }
}
