import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, type EntityManager, type SelectQueryBuilder } from 'typeorm';
import { DropoutCase, type CaseHistoryEntry, type CaseState } from '../domain/dropout-case.js';
import type { PersuasionAttempt } from '../domain/persuasion-attempt.js';
import { DropoutCaseEntity } from './dropout-case.entity.js';
import { unnestInsert, type InsertColumn } from './unnest-insert.js';

const iso = (d: Date | null) => (d ? d.toISOString() : null);
const date = (s: string | null) => (s ? new Date(s) : null);

function toDomain(row: DropoutCaseEntity): DropoutCase {
  return DropoutCase.restore({
    id: row.id,
    studentKey: row.studentKey,
    studentIdNumber: row.studentIdNumber,
    name: row.studentName,
    countyCode: row.countyCode,
    schoolCode: row.schoolCode,
    registeredPoor: row.registeredPoor,
    householdId: row.householdId,
    township: row.township,
    village: row.village,
    disabilityLevel: row.disabilityLevel,
    source: row.source,
    finding: row.finding,
    reason: row.reason,
    state: row.state,
    stateEnteredOn: row.stateEnteredOn,
    deadline: row.deadline,
    overdueStates: row.overdueStates,
    persuaders: row.persuaders,
    attemptsInCycle: row.attemptsInCycle,
    homeTeachingPlanId: row.homeTeachingPlanId,
    resolution: row.resolution,
    resolutionSchoolCode: row.resolutionSchoolCode,
    exemptReason: row.exemptReason,
    exemptDocument: row.exemptDocument,
    closeEvidence: row.closeEvidence,
    reopenCount: row.reopenCount,
    openedAt: row.openedAt.toISOString(),
    openedBy: row.openedBy,
    verifiedAt: iso(row.verifiedAt),
    verifiedBy: row.verifiedBy,
    plannedAt: iso(row.plannedAt),
    plannedBy: row.plannedBy,
    resolvedAt: iso(row.resolvedAt),
    resolvedBy: row.resolvedBy,
    closedAt: iso(row.closedAt),
    closedBy: row.closedBy,
    reopenedAt: iso(row.reopenedAt),
  });
}

function toRow(c: DropoutCase): DropoutCaseEntity {
  const s = c.state;
  return Object.assign(new DropoutCaseEntity(), {
    id: s.id,
    studentKey: s.studentKey,
    studentIdNumber: s.studentIdNumber,
    studentName: s.name,
    countyCode: s.countyCode,
    schoolCode: s.schoolCode,
    registeredPoor: s.registeredPoor,
    householdId: s.householdId,
    township: s.township,
    village: s.village,
    disabilityLevel: s.disabilityLevel,
    source: s.source,
    finding: s.finding,
    reason: s.reason,
    state: s.state,
    stateEnteredOn: s.stateEnteredOn,
    deadline: s.deadline,
    overdueStates: [...s.overdueStates],
    persuaders: s.persuaders,
    attemptsInCycle: s.attemptsInCycle,
    homeTeachingPlanId: s.homeTeachingPlanId,
    resolution: s.resolution,
    resolutionSchoolCode: s.resolutionSchoolCode,
    exemptReason: s.exemptReason,
    exemptDocument: s.exemptDocument,
    closeEvidence: s.closeEvidence,
    reopenCount: s.reopenCount,
    openedAt: new Date(s.openedAt),
    openedBy: s.openedBy,
    verifiedAt: date(s.verifiedAt),
    verifiedBy: s.verifiedBy,
    plannedAt: date(s.plannedAt),
    plannedBy: s.plannedBy,
    resolvedAt: date(s.resolvedAt),
    resolvedBy: s.resolvedBy,
    closedAt: date(s.closedAt),
    closedBy: s.closedBy,
    reopenedAt: date(s.reopenedAt),
  });
}

type Row = DropoutCaseEntity;

/** dropout_case's columns as INSERT … SELECT FROM unnest(…) writes them. */
const INSERT_COLUMNS: InsertColumn<Row>[] = [
  { name: 'id', type: 'uuid', value: (r) => r.id },
  { name: 'student_key', type: 'text', value: (r) => r.studentKey },
  { name: 'student_id_number', type: 'text', value: (r) => r.studentIdNumber },
  { name: 'student_name', type: 'text', value: (r) => r.studentName },
  { name: 'county_code', type: 'text', value: (r) => r.countyCode },
  { name: 'school_code', type: 'text', value: (r) => r.schoolCode },
  { name: 'registered_poor', type: 'boolean', value: (r) => r.registeredPoor },
  { name: 'household_id', type: 'text', value: (r) => r.householdId },
  { name: 'township', type: 'text', value: (r) => r.township },
  { name: 'village', type: 'text', value: (r) => r.village },
  { name: 'disability_level', type: 'text', value: (r) => r.disabilityLevel },
  { name: 'source', type: 'text', value: (r) => r.source },
  { name: 'finding', type: 'text', value: (r) => r.finding },
  { name: 'reason', type: 'text', value: (r) => r.reason },
  { name: 'state', type: 'text', value: (r) => r.state },
  { name: 'state_entered_on', type: 'date', value: (r) => r.stateEnteredOn },
  { name: 'deadline', type: 'date', value: (r) => r.deadline },
  // An array column cannot ride in unnest(); a new case has reported no breach yet.
  { name: 'persuaders', type: 'jsonb', value: (r) => (r.persuaders ? JSON.stringify(r.persuaders) : null) },
  { name: 'attempts_in_cycle', type: 'int', value: (r) => r.attemptsInCycle },
  { name: 'home_teaching_plan_id', type: 'uuid', value: (r) => r.homeTeachingPlanId },
  { name: 'resolution', type: 'text', value: (r) => r.resolution },
  { name: 'resolution_school_code', type: 'text', value: (r) => r.resolutionSchoolCode },
  { name: 'exempt_reason', type: 'text', value: (r) => r.exemptReason },
  { name: 'exempt_document', type: 'text', value: (r) => r.exemptDocument },
  { name: 'close_evidence', type: 'text', value: (r) => r.closeEvidence },
  { name: 'reopen_count', type: 'int', value: (r) => r.reopenCount },
  { name: 'opened_at', type: 'timestamptz', value: (r) => r.openedAt },
  { name: 'opened_by', type: 'text', value: (r) => r.openedBy },
  { name: 'verified_at', type: 'timestamptz', value: (r) => r.verifiedAt },
  { name: 'verified_by', type: 'text', value: (r) => r.verifiedBy },
  { name: 'planned_at', type: 'timestamptz', value: (r) => r.plannedAt },
  { name: 'planned_by', type: 'text', value: (r) => r.plannedBy },
  { name: 'resolved_at', type: 'timestamptz', value: (r) => r.resolvedAt },
  { name: 'resolved_by', type: 'text', value: (r) => r.resolvedBy },
  { name: 'closed_at', type: 'timestamptz', value: (r) => r.closedAt },
  { name: 'closed_by', type: 'text', value: (r) => r.closedBy },
  { name: 'reopened_at', type: 'timestamptz', value: (r) => r.reopenedAt },
];

type HistoryLine = CaseHistoryEntry & { caseId: string };

const HISTORY_COLUMNS: InsertColumn<HistoryLine>[] = [
  { name: 'case_id', type: 'uuid', value: (l) => l.caseId },
  { name: 'action', type: 'text', value: (l) => l.action },
  { name: 'from_state', type: 'text', value: (l) => l.from },
  { name: 'to_state', type: 'text', value: (l) => l.to },
  { name: 'by_sub', type: 'text', value: (l) => l.by },
  { name: 'by_role', type: 'text', value: (l) => l.role },
  { name: 'at', type: 'timestamptz', value: (l) => l.at },
  { name: 'detail', type: 'jsonb', value: (l) => (l.detail ? JSON.stringify(l.detail) : null) },
];

/** New cases as one statement, built apart from writing it (see `insertManyIfNoOpenCase`). */
export interface CaseOpening {
  sql: string;
  params: unknown[];
}

/**
 * The statement that writes new cases with their history and household plans, or null for
 * none. Takes the history lines out of the aggregates: a case the statement does not insert
 * (the child has an open case) is dropped by its caller, its history with it.
 */
export function openingOf(cases: DropoutCase[]): CaseOpening | null {
  if (cases.length === 0) return null;
  const params: unknown[] = [];
  const opened = unnestInsert(
    'dropout_case',
    INSERT_COLUMNS,
    cases.map(toRow),
    'ON CONFLICT DO NOTHING RETURNING id, household_id, county_code, township, village',
    params,
  );
  const lines = cases.flatMap((c) => c.pullHistory().map((h) => ({ caseId: c.state.id, ...h })));
  const history =
    lines.length === 0
      ? null
      : unnestInsert(
          'case_history',
          HISTORY_COLUMNS,
          lines,
          (column) => `WHERE ${column('case_id')} IN (SELECT id FROM opened)`,
          params,
        );
  return {
    sql: `WITH opened AS (${opened.sql}),
       ${history ? `history AS (${history.sql}),` : ''}
       plans AS (
         INSERT INTO household_plan (household_id, county_code, township, village)
         SELECT DISTINCT ON (household_id) household_id, county_code, township, village FROM opened
         WHERE household_id IS NOT NULL ORDER BY household_id
         ON CONFLICT (household_id) DO NOTHING)
       SELECT id FROM opened`,
    params,
  };
}

export interface CaseFilter {
  county?: string;
  school?: string;
  state?: CaseState;
  /** true: past the current state's deadline; false: not. */
  overdue?: boolean;
  household?: string;
  /** The bureau's date, for `overdue`. */
  today: string;
}

export interface StoredAttempt extends PersuasionAttempt {
  id: string;
  cycle: number;
  recordedBy: string;
  recordedAt: string;
}

export interface StoredHistoryEntry extends CaseHistoryEntry {
  seq: number;
}

@Injectable()
export class DropoutCaseRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Inserts unless the child already has an open case (the partial unique index decides,
   * so two concurrent requests cannot both open one), with its history and its household's
   * plan (see `insertManyIfNoOpenCase`). Returns whether it was inserted.
   */
  async insertIfNoOpenCase(em: EntityManager, c: DropoutCase): Promise<boolean> {
    const inserted = await this.insertManyIfNoOpenCase(em, [c]);
    return inserted.size > 0;
  }

  /**
   * The batch form (a cross-check opens thousands at once), one statement: the cases from
   * arrays, the partial unique index skipping children who have an open case; the history
   * lines their opening recorded, for the cases inserted; and 一家一案, a plan for the
   * household of every case inserted that has none yet (created empty, filled in by the
   * county). Returns the ids inserted.
   */
  async insertManyIfNoOpenCase(em: EntityManager, cases: DropoutCase[]): Promise<Set<string>> {
    return this.insertOpening(em, openingOf(cases));
  }

  /** Writes a statement `openingOf` built (see `insertManyIfNoOpenCase`); returns the ids inserted. */
  async insertOpening(em: EntityManager, opening: CaseOpening | null): Promise<Set<string>> {
    if (opening === null) return new Set();
    const returned: { id: string }[] = await em.query(opening.sql, opening.params);
    return new Set(returned.map((r) => r.id));
  }

  async findOpenByStudentKey(em: EntityManager, studentKey: string): Promise<DropoutCase | null> {
    const row = await em
      .getRepository(DropoutCaseEntity)
      .createQueryBuilder('c')
      .where("c.studentKey = :studentKey AND c.state <> 'closed'", { studentKey })
      .getOne();
    return row ? toDomain(row) : null;
  }

  async findForUpdate(em: EntityManager, id: string): Promise<DropoutCase | null> {
    const [found] = await this.findManyForUpdate(em, [id]);
    return found ?? null;
  }

  async findManyForUpdate(em: EntityManager, ids: string[]): Promise<DropoutCase[]> {
    if (ids.length === 0) return [];
    const rows = await em
      .getRepository(DropoutCaseEntity)
      .createQueryBuilder('c')
      .where('c.id = ANY(:ids)', { ids })
      .orderBy('c.id')
      .setLock('pessimistic_write')
      .getMany();
    return rows.map(toDomain);
  }

  async findById(id: string): Promise<DropoutCase | null> {
    const row = await this.dataSource.getRepository(DropoutCaseEntity).findOneBy({ id });
    return row ? toDomain(row) : null;
  }

  /**
   * Cases whose current state's deadline has passed and whose breach is not yet reported,
   * locked so concurrent sweepers take different rows.
   */
  async claimOverdue(em: EntityManager, today: string, limit: number): Promise<DropoutCase[]> {
    const rows = await em
      .getRepository(DropoutCaseEntity)
      .createQueryBuilder('c')
      .where("c.state <> 'closed' AND c.deadline < :today", { today })
      .andWhere('NOT (c.state = ANY(c.overdueStates))')
      .orderBy('c.deadline')
      .limit(limit)
      .setLock('pessimistic_write')
      .setOnLocked('skip_locked')
      .getMany();
    return rows.map(toDomain);
  }

  /** Saves the case and the history lines its methods recorded. */
  async save(em: EntityManager, c: DropoutCase): Promise<void> {
    const row = toRow(c);
    await em.getRepository(DropoutCaseEntity).update(row.id, row);
    await this.saveHistory(em, [c]);
  }

  private async saveHistory(em: EntityManager, cases: DropoutCase[]): Promise<void> {
    const lines = cases.flatMap((c) => c.pullHistory().map((h) => ({ caseId: c.state.id, ...h })));
    if (lines.length === 0) return;
    const { sql, params } = unnestInsert('case_history', HISTORY_COLUMNS, lines);
    await em.query(sql, params);
  }

  async addAttempt(
    em: EntityManager,
    c: DropoutCase,
    attempt: PersuasionAttempt,
    by: string,
    at: Date,
  ): Promise<StoredAttempt> {
    const id = randomUUID();
    await em.query(
      `INSERT INTO persuasion_attempt (id, case_id, cycle, attempted_on, persuaders, method, outcome, note,
         recorded_by, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [
        id,
        c.state.id,
        c.state.reopenCount,
        attempt.attemptedOn,
        JSON.stringify(attempt.persuaders),
        attempt.method,
        attempt.outcome,
        attempt.note,
        by,
        at,
      ],
    );
    return { id, cycle: c.state.reopenCount, recordedBy: by, recordedAt: at.toISOString(), ...attempt };
  }

  async attempts(caseId: string): Promise<StoredAttempt[]> {
    const rows: Record<string, unknown>[] = await this.dataSource.query(
      `SELECT id, cycle, to_char(attempted_on, 'YYYY-MM-DD') AS attempted_on, persuaders, method, outcome, note,
         recorded_by, recorded_at FROM persuasion_attempt WHERE case_id = $1 ORDER BY attempted_on, recorded_at`,
      [caseId],
    );
    return rows.map((r) => ({
      id: r.id as string,
      cycle: r.cycle as number,
      attemptedOn: r.attempted_on as string,
      persuaders: r.persuaders as StoredAttempt['persuaders'],
      method: r.method as StoredAttempt['method'],
      outcome: r.outcome as StoredAttempt['outcome'],
      note: r.note as string | null,
      recordedBy: r.recorded_by as string,
      recordedAt: (r.recorded_at as Date).toISOString(),
    }));
  }

  async history(caseId: string): Promise<StoredHistoryEntry[]> {
    const rows: Record<string, unknown>[] = await this.dataSource.query(
      `SELECT seq, action, from_state, to_state, by_sub, by_role, at, detail FROM case_history
       WHERE case_id = $1 ORDER BY seq`,
      [caseId],
    );
    return rows.map((r) => ({
      seq: Number(r.seq),
      action: r.action as StoredHistoryEntry['action'],
      from: r.from_state as CaseState | null,
      to: r.to_state as CaseState,
      by: r.by_sub as string,
      role: r.by_role as string,
      at: (r.at as Date).toISOString(),
      detail: r.detail as StoredHistoryEntry['detail'],
    }));
  }

  private filtered(filter: CaseFilter): SelectQueryBuilder<DropoutCaseEntity> {
    const qb = this.dataSource.getRepository(DropoutCaseEntity).createQueryBuilder('c');
    if (filter.county) qb.andWhere('c.countyCode = :county', { county: filter.county });
    if (filter.school) qb.andWhere('c.schoolCode = :school', { school: filter.school });
    if (filter.state) qb.andWhere('c.state = :state', { state: filter.state });
    if (filter.household) qb.andWhere('c.householdId = :household', { household: filter.household });
    if (filter.overdue === true)
      qb.andWhere("c.state <> 'closed' AND c.deadline < :today", { today: filter.today });
    if (filter.overdue === false)
      qb.andWhere("(c.state = 'closed' OR c.deadline >= :today)", { today: filter.today });
    return qb;
  }

  /** A page of the ledger, most urgent first, and how many cases match in all. */
  async list(filter: CaseFilter, page: { limit: number; offset: number }) {
    const qb = this.filtered(filter);
    const [rows, total] = await qb
      .orderBy('c.deadline', 'ASC', 'NULLS LAST')
      .addOrderBy('c.id')
      .take(page.limit)
      .skip(page.offset)
      .getManyAndCount();
    return { cases: rows.map(toDomain), total };
  }

  /** Every matching case, read in batches (for exports of any size). */
  async *stream(filter: CaseFilter, batch = 500): AsyncGenerator<DropoutCase> {
    let after = '00000000-0000-0000-0000-000000000000';
    for (;;) {
      const rows = await this.filtered(filter)
        .andWhere('c.id > :after', { after })
        .orderBy('c.id')
        .limit(batch)
        .getMany();
      for (const r of rows) yield toDomain(r);
      if (rows.length < batch) return;
      after = rows[rows.length - 1].id;
    }
  }
}
