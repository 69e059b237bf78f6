import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, type EntityManager, type SelectQueryBuilder } from 'typeorm';
import { DropoutCase, type CaseHistoryEntry, type CaseState } from '../domain/dropout-case.js';
import type { PersuasionAttempt } from '../domain/persuasion-attempt.js';
import { DropoutCaseEntity } from './dropout-case.entity.js';

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
const INSERT_COLUMNS: [string, string, (r: Row) => unknown][] = [
  ['id', 'uuid', (r) => r.id],
  ['student_key', 'text', (r) => r.studentKey],
  ['student_id_number', 'text', (r) => r.studentIdNumber],
  ['student_name', 'text', (r) => r.studentName],
  ['county_code', 'text', (r) => r.countyCode],
  ['school_code', 'text', (r) => r.schoolCode],
  ['registered_poor', 'boolean', (r) => r.registeredPoor],
  ['household_id', 'text', (r) => r.householdId],
  ['township', 'text', (r) => r.township],
  ['village', 'text', (r) => r.village],
  ['disability_level', 'text', (r) => r.disabilityLevel],
  ['source', 'text', (r) => r.source],
  ['finding', 'text', (r) => r.finding],
  ['reason', 'text', (r) => r.reason],
  ['state', 'text', (r) => r.state],
  ['state_entered_on', 'date', (r) => r.stateEnteredOn],
  ['deadline', 'date', (r) => r.deadline],
  // An array column cannot ride in unnest(); a new case has reported no breach yet.
  ['persuaders', 'jsonb', (r) => (r.persuaders ? JSON.stringify(r.persuaders) : null)],
  ['attempts_in_cycle', 'int', (r) => r.attemptsInCycle],
  ['home_teaching_plan_id', 'uuid', (r) => r.homeTeachingPlanId],
  ['resolution', 'text', (r) => r.resolution],
  ['resolution_school_code', 'text', (r) => r.resolutionSchoolCode],
  ['exempt_reason', 'text', (r) => r.exemptReason],
  ['exempt_document', 'text', (r) => r.exemptDocument],
  ['close_evidence', 'text', (r) => r.closeEvidence],
  ['reopen_count', 'int', (r) => r.reopenCount],
  ['opened_at', 'timestamptz', (r) => r.openedAt],
  ['opened_by', 'text', (r) => r.openedBy],
  ['verified_at', 'timestamptz', (r) => r.verifiedAt],
  ['verified_by', 'text', (r) => r.verifiedBy],
  ['planned_at', 'timestamptz', (r) => r.plannedAt],
  ['planned_by', 'text', (r) => r.plannedBy],
  ['resolved_at', 'timestamptz', (r) => r.resolvedAt],
  ['resolved_by', 'text', (r) => r.resolvedBy],
  ['closed_at', 'timestamptz', (r) => r.closedAt],
  ['closed_by', 'text', (r) => r.closedBy],
  ['reopened_at', 'timestamptz', (r) => r.reopenedAt],
];

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
   * so two concurrent requests cannot both open one). Returns whether it was inserted.
   */
  async insertIfNoOpenCase(em: EntityManager, c: DropoutCase): Promise<boolean> {
    const inserted = await this.insertManyIfNoOpenCase(em, [c]);
    return inserted.size > 0;
  }

  /**
   * The batch form (a cross-check opens thousands at once): one INSERT from arrays, the
   * partial unique index skipping children who have an open case. Returns the ids inserted.
   */
  async insertManyIfNoOpenCase(em: EntityManager, cases: DropoutCase[]): Promise<Set<string>> {
    if (cases.length === 0) return new Set();
    const rows = cases.map(toRow);
    const returned: { id: string }[] = await em.query(
      `INSERT INTO dropout_case (${INSERT_COLUMNS.map(([c]) => c).join(', ')})
       SELECT * FROM unnest(${INSERT_COLUMNS.map(([, type], i) => `$${i + 1}::${type}[]`).join(', ')})
       ON CONFLICT DO NOTHING
       RETURNING id`,
      INSERT_COLUMNS.map(([, , value]) => rows.map(value)),
    );
    const ids = new Set(returned.map((r) => r.id));
    await this.saveHistory(
      em,
      cases.filter((c) => ids.has(c.state.id)),
    );
    return ids;
  }

  /** 一家一案: every household with a case has a plan; created empty, filled in by the county. */
  async ensureHouseholdPlans(em: EntityManager, cases: DropoutCase[]): Promise<void> {
    const withHousehold = cases.filter((c) => c.state.householdId !== null);
    if (withHousehold.length === 0) return;
    await em.query(
      `INSERT INTO household_plan (household_id, county_code, township, village)
       SELECT DISTINCT ON (h) h, c, t, v FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS u(h, c, t, v)
       ORDER BY h
       ON CONFLICT (household_id) DO NOTHING`,
      [
        withHousehold.map((c) => c.state.householdId),
        withHousehold.map((c) => c.state.countyCode),
        withHousehold.map((c) => c.state.township),
        withHousehold.map((c) => c.state.village),
      ],
    );
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
    await em.query(
      `INSERT INTO case_history (case_id, action, from_state, to_state, by_sub, by_role, at, detail)
       SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[],
         $7::timestamptz[], $8::jsonb[])`,
      [
        lines.map((l) => l.caseId),
        lines.map((l) => l.action),
        lines.map((l) => l.from),
        lines.map((l) => l.to),
        lines.map((l) => l.by),
        lines.map((l) => l.role),
        lines.map((l) => l.at),
        lines.map((l) => (l.detail ? JSON.stringify(l.detail) : null)),
      ],
    );
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
