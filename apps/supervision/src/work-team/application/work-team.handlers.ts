import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import type { Readable } from 'node:stream';
import { DomainError } from '@edu/contracts';
import { assertCountyAccess, countyScope, type Principal } from '@edu/auth';
import { readRows } from '@edu/imports';
import { Clock } from '@edu/service';
import { DirectoryRepository } from '../../directory/persistence/directory.repository.js';
import { SEED_EFFECTIVE_FROM } from '../../escalation/persistence/escalation.repository.js';
import { SUPERVISION_CONFIG, type SupervisionSettings } from '../../supervision.config.js';
import {
  daysInMonth,
  DEFAULT_WORK_TEAM_RULES,
  parseMemberRow,
  type WorkTeamMember,
  type WorkTeamRules,
} from '../domain/work-team.js';
import { WorkTeamRepository } from '../persistence/work-team.repository.js';
import { WorkTeamCheck } from './work-team-check.js';

const notFound = () => new DomainError('WORK_TEAM_MEMBER_NOT_FOUND', 'no such work-team member', 'not_found');

/** Members, their days in the village and their half-year reports; each record is judged at once. */
@Injectable()
export class WorkTeamHandlers implements OnApplicationBootstrap {
  private readonly logger = new Logger(WorkTeamHandlers.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly teams: WorkTeamRepository,
    private readonly directory: DirectoryRepository,
    private readonly check: WorkTeamCheck,
    private readonly clock: Clock,
    @Inject(SUPERVISION_CONFIG) private readonly settings: SupervisionSettings,
  ) {}

  async onApplicationBootstrap() {
    if (!this.settings.seedJurisdictions) return;
    await this.dataSource.transaction(async (em) => {
      await em.query(`SELECT pg_advisory_xact_lock(hashtext('seed:work-team-rules'))`);
      if ((await em.query<unknown[]>('SELECT 1 FROM work_team_rules LIMIT 1')).length > 0) return;
      await this.teams.addRules(em, DEFAULT_WORK_TEAM_RULES, SEED_EFFECTIVE_FROM, 'seed');
      this.logger.log('seeded the work-team rules');
    });
  }

  async importMembers(source: Readable, by: Principal) {
    const known = new Set((await this.directory.jurisdictions()).map((j) => j.code));
    const scope = countyScope(by);
    const valid = new Map<string, WorkTeamMember>();
    const lines = new Map<string, number>();
    const rejected: { line: number; field: string; reason: string }[] = [];
    let received = 0;
    for await (const { line, record } of readRows(source, 'csv', [], {
      codes: { malformed: 'WORK_TEAM_MALFORMED_CSV' },
      refuseExtraFields: true,
    })) {
      received++;
      const r = parseMemberRow(line, record, (c) => known.has(c));
      if ('problems' in r) rejected.push(...r.problems);
      else if (scope !== undefined && r.member.countyCode !== scope)
        rejected.push({
          line,
          field: 'county_code',
          reason: `${r.member.countyCode} is outside your jurisdiction`,
        });
      else {
        valid.set(r.member.memberId, r.member);
        lines.set(r.member.memberId, line);
      }
    }
    await this.dataSource.transaction(async (em) => {
      if (scope !== undefined) {
        // A county operator's file may not take over another county's member by their id.
        const foreign: { member_id: string }[] = await em.query(
          'SELECT member_id FROM work_team_member WHERE member_id = ANY($1) AND county_code <> $2 FOR UPDATE',
          [[...valid.keys()], scope],
        );
        for (const { member_id } of foreign) {
          valid.delete(member_id);
          rejected.push({
            line: lines.get(member_id) ?? 0,
            field: 'member_id',
            reason: "is another county's member",
          });
        }
      }
      await this.teams.upsertMembers(em, [...valid.values()]);
    });
    return { received, upserted: valid.size, rejected };
  }

  private async withMember<T>(
    memberId: string,
    by: Principal,
    work: (m: WorkTeamMember, em: EntityManager) => Promise<T>,
  ) {
    return this.dataSource.transaction(async (em) => {
      const m = await this.teams.member(em, memberId, true);
      const scope = countyScope(by);
      if (!m || (scope !== undefined && m.countyCode !== scope)) throw notFound();
      return work(m, em);
    });
  }

  recordDays(memberId: string, month: string, days: number, by: Principal) {
    if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(month))
      throw new DomainError('WORK_TEAM_INVALID_MONTH', `${month} is not a month (YYYY-MM)`);
    if (days > daysInMonth(month))
      throw new DomainError('WORK_TEAM_INVALID_DAYS', `${month} has only ${daysInMonth(month)} days`);
    return this.withMember(memberId, by, async (m, em) => {
      await this.teams.recordDays(em, m.memberId, month, days, by.sub, this.clock.now());
      return { memberId, month, daysInVillage: days, ...(await this.check.judge(em, [m])) };
    });
  }

  recordReport(memberId: string, half: string, submittedOn: string, by: Principal) {
    if (!/^\d{4}-H[12]$/.test(half))
      throw new DomainError('WORK_TEAM_INVALID_HALF', `${half} is not a half year (YYYY-H1 or YYYY-H2)`);
    return this.withMember(memberId, by, async (m, em) => {
      await this.teams.recordReport(em, m.memberId, half, submittedOn, by.sub);
      return { memberId, half, submittedOn, ...(await this.check.judge(em, [m])) };
    });
  }

  /** Attendance of a county's members for a year: days per month and the total. */
  async attendance(county: string | undefined, year: number, by: Principal) {
    if (county) assertCountyAccess(by, county);
    const members = await this.teams.members(county);
    const records = await this.teams.records(
      this.dataSource.manager,
      members.map((m) => m.memberId),
    );
    return members.map((m) => {
      const r = records.get(m.memberId)!;
      const months = Array.from({ length: 12 }, (_, i) => `${year}-${String(i + 1).padStart(2, '0')}`);
      const days = Object.fromEntries(months.map((mo) => [mo, r.days.get(mo) ?? null]));
      const total = months.reduce((s, mo) => s + (r.days.get(mo) ?? 0), 0);
      return {
        ...m,
        year,
        days,
        total,
        reports: [...r.reports].filter((h) => h.startsWith(String(year))).sort(),
      };
    });
  }

  async addRules(rules: WorkTeamRules, effectiveFrom: string | undefined, by: Principal) {
    const bad = (['minDaysPerMonth', 'minDaysPerYear', 'monthGraceDays', 'reportGraceDays'] as const).filter(
      (k) => !Number.isInteger(rules[k]) || rules[k] < 0,
    );
    if (bad.length > 0)
      throw new DomainError('WORK_TEAM_RULES_INVALID', `${bad.join(', ')}: must be whole numbers from 0`);
    const from = effectiveFrom ? new Date(effectiveFrom) : this.clock.now();
    const version = await this.dataSource.transaction((em) => this.teams.addRules(em, rules, from, by.sub));
    return { version, effectiveFrom: from.toISOString(), rules };
  }
}
