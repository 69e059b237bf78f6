import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Clock } from '@edu/service';
import { addDays } from '../../calendar/domain/working-day-calendar.js';
import { RecordBreachHandler } from '../../escalation/application/record-breach.handler.js';
import { SettleItemHandler } from '../../escalation/application/settle-item.handler.js';
import { EscalationRepository } from '../../escalation/persistence/escalation.repository.js';
import {
  DEFAULT_WORK_TEAM_RULES,
  shortfallBreach,
  shortfalls,
  type WorkTeamMember,
} from '../domain/work-team.js';
import { WorkTeamRepository } from '../persistence/work-team.repository.js';

/** How far back closed periods are judged. */
const LOOK_BACK_DAYS = 400;

/**
 * Judges members against the rules in the caller's transaction: every shortfall of a
 * closed period is a breach (joining the county's work-team escalation; one already there
 * changes nothing), and a shortfall made good (days corrected, report filed) is settled.
 */
@Injectable()
export class WorkTeamCheck {
  constructor(
    private readonly teams: WorkTeamRepository,
    private readonly escalations: EscalationRepository,
    private readonly recordBreach: RecordBreachHandler,
    private readonly settle: SettleItemHandler,
    private readonly clock: Clock,
  ) {}

  async judge(em: EntityManager, members: WorkTeamMember[]): Promise<{ short: number; settled: number }> {
    if (members.length === 0) return { short: 0, settled: 0 };
    const now = this.clock.now();
    const today = this.clock.today();
    const rules = (await this.teams.rules(em, now)) ?? DEFAULT_WORK_TEAM_RULES;
    const records = await this.teams.records(
      em,
      members.map((m) => m.memberId),
    );
    const since = addDays(today, -LOOK_BACK_DAYS);
    let settled = 0;
    const breaches = [];
    for (const m of members) {
      const r = records.get(m.memberId)!;
      const short = shortfalls(m, r.days, r.reports, rules, today, since);
      const keys = new Set(short.map((s) => s.itemKey));
      for (const open of await this.escalations.openItemKeys(em, `work_team:${m.memberId}:`)) {
        if (keys.has(open)) continue;
        await this.settle.execute(em, open, undefined, now.toISOString());
        settled++;
      }
      breaches.push(...short.map((s) => ({ breach: shortfallBreach(s), eventId: null })));
    }
    await this.recordBreach.record(em, breaches);
    return { short: breaches.length, settled };
  }
}
