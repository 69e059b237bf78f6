import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import type { SupervisedFront } from '../../directory/domain/front.js';
import { LEVELS } from '../../escalation/domain/escalation-policy.js';
import type { Cell, MapRule } from '../domain/battle-map.js';

interface CellRow {
  county_code: string;
  front: SupervisedFront;
  open_items: string;
  overdue_items: string;
  amount_fen: string;
  level_rank: number | null;
}

const toCell = (r: CellRow): Cell => ({
  countyCode: r.county_code,
  front: r.front,
  openBreaches: Number(r.open_items),
  overdueItems: Number(r.overdue_items),
  amountUnpaidFen: Number(r.amount_fen),
  level: r.level_rank === null ? null : LEVELS[r.level_rank],
});

const RANK = `CASE s.level WHEN 'notice' THEN 0 WHEN 'interview' THEN 1 WHEN 'accountability' THEN 2 END`;

export interface RuleSet {
  version: number;
  rules: MapRule[];
  effectiveFrom: string;
}

@Injectable()
export class BattleMapRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Open escalations' items per county and front, now (an index-only scan of the open items). */
  async current(county?: string): Promise<Cell[]> {
    const rows: CellRow[] = await this.dataSource.query(
      `SELECT e.county_code, e.front, sum(t.n) AS open_items, sum(t.overdue) AS overdue_items,
              sum(t.amount) AS amount_fen,
              max(CASE e.level WHEN 'notice' THEN 0 WHEN 'interview' THEN 1 WHEN 'accountability' THEN 2 END) AS level_rank
       FROM escalation e
       CROSS JOIN LATERAL (
         SELECT count(*) AS n, count(*) FILTER (WHERE i.overdue) AS overdue, COALESCE(sum(i.amount_fen), 0) AS amount
         FROM escalation_item i WHERE i.escalation_id = e.id AND i.settled_at IS NULL
       ) t
       WHERE e.status = 'open' AND ($1::char(6) IS NULL OR e.county_code = $1)
       GROUP BY e.county_code, e.front`,
      [county ?? null],
    );
    return rows.map(toCell);
  }

  /** The same, as it stood at the end of each week (open items reported before and settled after). */
  async history(moments: Date[], county?: string): Promise<(Cell & { at: string })[]> {
    const rows: (CellRow & { at: Date })[] = await this.dataSource.query(
      `WITH m AS (SELECT unnest($1::timestamptz[]) AS at),
       open_esc AS (
         SELECT m.at, e.id, e.county_code, e.front FROM m
         JOIN escalation e ON e.opened_at < m.at AND (e.resolved_at IS NULL OR e.resolved_at >= m.at)
         WHERE $2::char(6) IS NULL OR e.county_code = $2
       ),
       items AS (
         SELECT o.at, o.county_code, o.front, count(i.item_key) AS open_items,
                count(i.item_key) FILTER (WHERE i.overdue) AS overdue_items,
                COALESCE(sum(i.amount_fen), 0) AS amount_fen
         FROM open_esc o
         LEFT JOIN escalation_item i ON i.escalation_id = o.id AND i.reported_at < o.at
              AND (i.settled_at IS NULL OR i.settled_at >= o.at)
         GROUP BY o.at, o.county_code, o.front
       ),
       levels AS (
         SELECT o.at, o.county_code, o.front, max(${RANK}) AS level_rank
         FROM open_esc o JOIN escalation_step s ON s.escalation_id = o.id AND s.outcome = 'taken' AND s.at < o.at
         GROUP BY o.at, o.county_code, o.front
       )
       SELECT items.*, levels.level_rank FROM items
       LEFT JOIN levels USING (at, county_code, front)
       ORDER BY at, county_code, front`,
      [moments, county ?? null],
    );
    return rows.map((r) => ({ ...toCell(r), at: r.at.toISOString() }));
  }

  async ruleSets(em: EntityManager = this.dataSource.manager): Promise<RuleSet[]> {
    const rows: { version: number; rules: MapRule[]; effective_from: Date }[] = await em.query(
      'SELECT version, rules, effective_from FROM battle_map_rules ORDER BY version',
    );
    return rows.map((r) => ({
      version: r.version,
      rules: r.rules,
      effectiveFrom: r.effective_from.toISOString(),
    }));
  }

  async seedRules(em: EntityManager, rules: MapRule[], effectiveFrom: string): Promise<boolean> {
    const rows: unknown[] = await em.query(
      `INSERT INTO battle_map_rules (version, rules, effective_from, created_by) VALUES (1, $1, $2, 'seed')
       ON CONFLICT DO NOTHING RETURNING version`,
      [JSON.stringify(rules), effectiveFrom],
    );
    return rows.length > 0;
  }

  async addRules(em: EntityManager, rules: MapRule[], effectiveFrom: Date, by: string): Promise<number> {
    await em.query(`SELECT pg_advisory_xact_lock(hashtext('battle-map-rules'))`);
    const [row]: { version: number }[] = await em.query(
      `INSERT INTO battle_map_rules (version, rules, effective_from, created_by)
       SELECT COALESCE(max(version), 0) + 1, $1, $2, $3 FROM battle_map_rules RETURNING version`,
      [JSON.stringify(rules), effectiveFrom, by],
    );
    return row.version;
  }
}
