import { Injectable } from '@nestjs/common';
import { Clock } from '@edu/service';
import { FRONT_NAMES, SUPERVISED_FRONTS } from '../../directory/domain/front.js';
import { DirectoryRepository } from '../../directory/persistence/directory.repository.js';
import { rate, weeks, worst, type Cell, type MapRule } from '../domain/battle-map.js';
import { BattleMapRepository, type RuleSet } from '../persistence/battle-map.repository.js';

const DAY_MS = 86_400_000;

/** The battle map (挂牌督战作战图): per county and front, now or week by week. */
@Injectable()
export class BattleMapQuery {
  constructor(
    private readonly map: BattleMapRepository,
    private readonly directory: DirectoryRepository,
    private readonly clock: Clock,
  ) {}

  private rulesAt(sets: RuleSet[], at: Date): RuleSet | null {
    return sets.filter((s) => new Date(s.effectiveFrom) <= at).at(-1) ?? null;
  }

  /** Every county (and the city, if it has anything open) with a cell per front. */
  private async layout(cells: Cell[], county?: string) {
    const places = await this.directory.jurisdictions();
    const shown = places.filter((p) =>
      county ? p.code === county : p.parentCode !== null || cells.some((c) => c.countyCode === p.code),
    );
    return shown.map((p) => ({ code: p.code, name: p.name }));
  }

  private board(cells: Cell[], places: { code: string; name: string }[], rules: MapRule[]) {
    return places.map((p) => {
      const fronts = SUPERVISED_FRONTS.map((front) => {
        const c = cells.find((x) => x.countyCode === p.code && x.front === front) ?? {
          countyCode: p.code,
          front,
          openBreaches: 0,
          overdueItems: 0,
          level: null,
          amountUnpaidFen: 0,
        };
        const { status, rule } = rate(c, rules);
        return {
          front,
          frontName: FRONT_NAMES[front],
          openBreaches: c.openBreaches,
          overdueItems: c.overdueItems,
          level: c.level,
          amountUnpaid: (c.amountUnpaidFen / 100).toFixed(2),
          status,
          rule,
        };
      });
      return { countyCode: p.code, countyName: p.name, status: worst(fronts.map((f) => f.status)), fronts };
    });
  }

  async now(county?: string) {
    const at = this.clock.now();
    const cells = await this.map.current(county);
    const set = this.rulesAt(await this.map.ruleSets(), at);
    return {
      asOf: at.toISOString(),
      rulesVersion: set?.version ?? null,
      counties: this.board(cells, await this.layout(cells, county), set?.rules ?? []),
    };
  }

  /** Week by week from `from` (default: twelve weeks back) to `to` (default: now), at most 104 weeks. */
  async history(q: { from?: string; to?: string; county?: string }) {
    const now = this.clock.now();
    const to = q.to ? new Date(Math.min(Date.parse(`${q.to}T23:59:59+08:00`), now.getTime())) : now;
    const from = q.from ? new Date(`${q.from}T00:00:00+08:00`) : new Date(to.getTime() - 11 * 7 * DAY_MS);
    const span = weeks(from, to).slice(-104);
    const cells = await this.map.history(
      span.map((w) => w.at),
      q.county,
    );
    const sets = await this.map.ruleSets();
    const places = await this.layout(cells, q.county);
    return span.map((w) => {
      const set = this.rulesAt(sets, w.at);
      const at = w.at.toISOString();
      return {
        week: w.week,
        asOf: at,
        rulesVersion: set?.version ?? null,
        counties: this.board(
          cells.filter((c) => c.at === at),
          places,
          set?.rules ?? [],
        ),
      };
    });
  }
}
