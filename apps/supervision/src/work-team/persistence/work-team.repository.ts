import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import type { WorkTeamMember, WorkTeamRules } from '../domain/work-team.js';

interface MemberRow {
  member_id: string;
  name: string;
  county_code: string;
  village: string;
  role: WorkTeamMember['role'];
  posted_from: string;
  posted_until: string | null;
}

const SELECT_MEMBER = `SELECT member_id, name, county_code, village, role, to_char(posted_from, 'YYYY-MM-DD') AS posted_from,
  to_char(posted_until, 'YYYY-MM-DD') AS posted_until FROM work_team_member`;

const toMember = (r: MemberRow): WorkTeamMember => ({
  memberId: r.member_id,
  name: r.name,
  countyCode: r.county_code,
  village: r.village,
  role: r.role,
  postedFrom: r.posted_from,
  postedUntil: r.posted_until,
});

@Injectable()
export class WorkTeamRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async upsertMembers(em: EntityManager, list: WorkTeamMember[]): Promise<void> {
    if (list.length === 0) return;
    const col = <K extends keyof WorkTeamMember>(k: K) => list.map((m) => m[k]);
    await em.query(
      `INSERT INTO work_team_member (member_id, name, county_code, village, role, posted_from, posted_until)
       SELECT u.i, u.n, u.c, u.v, u.r, u.f::date, u.t::date
       FROM unnest($1::text[], $2::text[], $3::char(6)[], $4::text[], $5::text[], $6::text[], $7::text[]) AS u(i, n, c, v, r, f, t)
       ON CONFLICT (member_id) DO UPDATE SET name = EXCLUDED.name, county_code = EXCLUDED.county_code,
         village = EXCLUDED.village, role = EXCLUDED.role, posted_from = EXCLUDED.posted_from,
         posted_until = EXCLUDED.posted_until, updated_at = now()`,
      [
        col('memberId'),
        col('name'),
        col('countyCode'),
        col('village'),
        col('role'),
        col('postedFrom'),
        col('postedUntil'),
      ],
    );
  }

  async member(em: EntityManager, id: string, lock = false): Promise<WorkTeamMember | null> {
    const rows: MemberRow[] = await em.query(
      `${SELECT_MEMBER} WHERE member_id = $1 ${lock ? 'FOR UPDATE' : ''}`,
      [id],
    );
    return rows[0] ? toMember(rows[0]) : null;
  }

  async members(county?: string): Promise<WorkTeamMember[]> {
    const rows: MemberRow[] = await this.dataSource.query(
      `${SELECT_MEMBER} WHERE ($1::char(6) IS NULL OR county_code = $1) ORDER BY county_code, member_id`,
      [county ?? null],
    );
    return rows.map(toMember);
  }

  /** The next members after `after`, locked so that replicas sweep different ones. */
  async claimMembers(em: EntityManager, after: string, limit: number): Promise<WorkTeamMember[]> {
    const rows: MemberRow[] = await em.query(
      `${SELECT_MEMBER} WHERE member_id > $1 ORDER BY member_id LIMIT $2 FOR UPDATE SKIP LOCKED`,
      [after, limit],
    );
    return rows.map(toMember);
  }

  async recordDays(em: EntityManager, memberId: string, month: string, days: number, by: string, at: Date) {
    await em.query(
      `INSERT INTO work_team_attendance (member_id, month, days_in_village, recorded_by, recorded_at)
       VALUES ($1, ($2 || '-01')::date, $3, $4, $5)
       ON CONFLICT (member_id, month) DO UPDATE SET days_in_village = EXCLUDED.days_in_village,
         recorded_by = EXCLUDED.recorded_by, recorded_at = EXCLUDED.recorded_at`,
      [memberId, month, days, by, at],
    );
  }

  async recordReport(em: EntityManager, memberId: string, half: string, submittedOn: string, by: string) {
    await em.query(
      `INSERT INTO work_team_report (member_id, half, submitted_on, recorded_by) VALUES ($1, $2, $3, $4)
       ON CONFLICT (member_id, half) DO UPDATE SET submitted_on = EXCLUDED.submitted_on, recorded_by = EXCLUDED.recorded_by`,
      [memberId, half, submittedOn, by],
    );
  }

  /** Days in the village per month (YYYY-MM) and the half years reported, for these members. */
  async records(em: EntityManager, memberIds: string[]) {
    const days: { member_id: string; month: string; d: number }[] = await em.query(
      `SELECT member_id, to_char(month, 'YYYY-MM') AS month, days_in_village AS d FROM work_team_attendance
       WHERE member_id = ANY($1::text[])`,
      [memberIds],
    );
    const reports: { member_id: string; half: string }[] = await em.query(
      'SELECT member_id, half FROM work_team_report WHERE member_id = ANY($1::text[])',
      [memberIds],
    );
    const byMember = new Map(
      memberIds.map((id) => [id, { days: new Map<string, number>(), reports: new Set<string>() }]),
    );
    for (const r of days) byMember.get(r.member_id)?.days.set(r.month, r.d);
    for (const r of reports) byMember.get(r.member_id)?.reports.add(r.half);
    return byMember;
  }

  async rules(em: EntityManager, at: Date): Promise<WorkTeamRules | null> {
    const rows: { rules: WorkTeamRules }[] = await em.query(
      'SELECT rules FROM work_team_rules WHERE effective_from <= $1 ORDER BY version DESC LIMIT 1',
      [at],
    );
    return rows[0]?.rules ?? null;
  }

  async ruleVersions() {
    const rows: { version: number; rules: WorkTeamRules; effective_from: Date }[] =
      await this.dataSource.query(
        'SELECT version, rules, effective_from FROM work_team_rules ORDER BY version',
      );
    return rows.map((r) => ({
      version: r.version,
      rules: r.rules,
      effectiveFrom: r.effective_from.toISOString(),
    }));
  }

  async addRules(
    em: EntityManager,
    rules: WorkTeamRules,
    effectiveFrom: Date | string,
    by: string,
  ): Promise<number> {
    await em.query(`SELECT pg_advisory_xact_lock(hashtext('work-team-rules'))`);
    const [row]: { version: number }[] = await em.query(
      `INSERT INTO work_team_rules (version, rules, effective_from, created_by)
       SELECT COALESCE(max(version), 0) + 1, $1, $2, $3 FROM work_team_rules RETURNING version`,
      [JSON.stringify(rules), effectiveFrom, by],
    );
    return row.version;
  }
}
