import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import type { CalendarDay, DayKind } from '../domain/working-day-calendar.js';

interface DayRow {
  day: string;
  kind: DayKind;
  name: string;
}

@Injectable()
export class CalendarRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async all(em: EntityManager = this.dataSource.manager): Promise<CalendarDay[]> {
    const rows: DayRow[] = await em.query(
      `SELECT to_char(day, 'YYYY-MM-DD') AS day, kind, name FROM calendar_day`,
    );
    return rows.map((r) => ({ date: r.day, kind: r.kind, name: r.name }));
  }

  async year(year: number): Promise<CalendarDay[]> {
    const rows: DayRow[] = await this.dataSource.query(
      `SELECT to_char(day, 'YYYY-MM-DD') AS day, kind, name FROM calendar_day
       WHERE day >= make_date($1, 1, 1) AND day < make_date($1 + 1, 1, 1) ORDER BY day`,
      [year],
    );
    return rows.map((r) => ({ date: r.day, kind: r.kind, name: r.name }));
  }

  async yearsWithData(em: EntityManager = this.dataSource.manager): Promise<number[]> {
    const rows: { year: number }[] = await em.query(
      `SELECT DISTINCT extract(year FROM day)::int AS year FROM calendar_day ORDER BY 1`,
    );
    return rows.map((r) => r.year);
  }

  async insertMissing(em: EntityManager, days: CalendarDay[]): Promise<number> {
    if (days.length === 0) return 0;
    const rows: unknown[] = await em.query(
      `INSERT INTO calendar_day (day, kind, name, updated_by)
       SELECT d::date, k, n, 'seed' FROM unnest($1::text[], $2::text[], $3::text[]) AS u(d, k, n)
       ON CONFLICT (day) DO NOTHING RETURNING day`,
      [days.map((d) => d.date), days.map((d) => d.kind), days.map((d) => d.name)],
    );
    return rows.length;
  }

  async put(em: EntityManager, day: CalendarDay, by: string): Promise<void> {
    await em.query(
      `INSERT INTO calendar_day (day, kind, name, updated_by, updated_at) VALUES ($1, $2, $3, $4, now())
       ON CONFLICT (day) DO UPDATE SET kind = EXCLUDED.kind, name = EXCLUDED.name,
         updated_by = EXCLUDED.updated_by, updated_at = now()`,
      [day.date, day.kind, day.name, by],
    );
  }

  async remove(em: EntityManager, date: string): Promise<boolean> {
    const rows: unknown[] = await em.query(
      `WITH d AS (DELETE FROM calendar_day WHERE day = $1 RETURNING day) SELECT * FROM d`,
      [date],
    );
    return rows.length > 0;
  }
}
